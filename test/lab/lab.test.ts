// Acceptance of the lab: real systemd nodes, real SSH with verified host keys, faults, cleanup.
// Runs as root on a host with systemd-nspawn + debootstrap: `npx jest --selectProjects lab`.
// It owns the lab while it runs (starts from `down`, ends with `down`): don't run it next to e2e tests.
import * as fs from "fs";
import { Client } from "ssh2";
import * as cgroup from "./cgroup";
import { BRIDGE, NETNS_PREFIX, NFT_TABLE, stateDir, VETH_PREFIX } from "./config";
import { imageDir } from "./image";
import { Lab, labProblems } from "./index";
import * as node from "./node";
import { run } from "./sh";

jest.setTimeout(15 * 60_000);

const lab = new Lab();
const figures: Record<string, string> = {};
const mib = (b: number) => `${(b / 1048576).toFixed(0)} MiB`;

/** Real OpenSSH client, host key checked against the lab known_hosts (StrictHostKeyChecking=yes). */
async function sshRun(ip: string, user: string, cmd: string, knownHosts = lab.knownHostsPath) {
  return run("ssh", [
    "-F", "/dev/null",
    "-i", lab.connection(0).privateKeyPath,
    "-o", "IdentitiesOnly=yes",
    "-o", `UserKnownHostsFile=${knownHosts}`,
    "-o", "GlobalKnownHostsFile=/dev/null",
    "-o", "StrictHostKeyChecking=yes",
    "-o", "BatchMode=yes",
    "-o", "ConnectTimeout=3",
    `${user}@${ip}`,
    cmd,
  ], { timeoutMs: 30_000 });
}

/** ssh2 with a hostVerifier pinned to the lab's hostKey: how our providers connect. */
function ssh2Run(idx: number, cmd: string, hostKeyOverride?: string): Promise<string> {
  const c = lab.connection(idx);
  const expected = Buffer.from((hostKeyOverride ?? c.hostKey).split(" ")[1], "base64");
  return new Promise((resolve, reject) => {
    const conn = new Client();
    conn
      .on("ready", () =>
        conn.exec(cmd, (err, stream) => {
          if (err) return reject(err);
          let out = "";
          stream.on("data", (d: Buffer) => (out += d)).on("close", () => {
            conn.end();
            resolve(out);
          });
          stream.stderr.on("data", () => undefined);
        }),
      )
      .on("error", reject)
      .connect({ host: c.host, port: c.port, username: c.user, privateKey: c.privateKey, hostVerifier: (key: Buffer) => key.equals(expected), readyTimeout: 10_000 });
  });
}

/** From node `from`, open a TCP connection to ip:port. */
async function tcpFrom(from: number, ip: string, port = 22): Promise<boolean> {
  const r = await lab.exec(from, `timeout 3 bash -c 'exec 3<>/dev/tcp/${ip}/${port}' 2>/dev/null && echo open || echo closed`);
  if (r.code === 255) throw new Error(`ssh to node ${from} failed: ${r.stderr}`);
  return r.stdout.trim() === "open";
}

/** Everything the lab could leave on the host. */
async function leftovers(): Promise<string[]> {
  const found: string[] = [];
  if ((await run("ip", ["link", "show", "dev", BRIDGE])).code === 0) found.push(`bridge ${BRIDGE}`);
  const links = (await run("ip", ["-o", "link", "show"])).stdout;
  for (const m of links.matchAll(/^\d+:\s+([^:@\s]+)/gm)) if (m[1].startsWith(VETH_PREFIX)) found.push(`veth ${m[1]}`);
  if (fs.existsSync("/run/netns")) for (const ns of fs.readdirSync("/run/netns")) if (ns.startsWith(NETNS_PREFIX)) found.push(`netns ${ns}`);
  for (const line of fs.readFileSync("/proc/self/mountinfo", "utf8").split("\n")) {
    const mp = line.split(" ")[4];
    if (mp && (mp.startsWith(stateDir()) || / pgsty-node-/.test(line))) found.push(`mount ${mp}`);
  }
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (cmdline[0].endsWith("systemd-nspawn") && cmdline.some((a) => a.includes(stateDir()))) found.push(`nspawn pid ${pid}`);
    } catch {
      /* exited */
    }
  }
  for (const n of cgroup.listNodes()) found.push(`cgroup ${n}`);
  if ((await run("nft", ["list", "table", "bridge", NFT_TABLE])).code === 0) found.push(`nft table ${NFT_TABLE}`);
  if (fs.existsSync(stateDir())) found.push(`state dir ${stateDir()}`);
  return found;
}

afterAll(async () => {
  await lab.down(); // also when a test failed: nothing may stay behind
  console.log(`lab figures:\n${Object.entries(figures).map(([k, v]) => `  ${k}: ${v}`).join("\n")}`);
});

test("refuses without root or without its host tools, naming what is missing", () => {
  const uid = jest.spyOn(process, "getuid").mockReturnValue(1000);
  try {
    expect(labProblems(["ip"]).join("\n")).toMatch(/must run as root/);
  } finally {
    uid.mockRestore();
  }
  const savedPath = process.env.PATH;
  process.env.PATH = "/nonexistent";
  try {
    const p = labProblems(["systemd-nspawn", "debootstrap"]).join("\n");
    expect(p).toMatch(/missing host tools: systemd-nspawn, debootstrap/);
    expect(p).toMatch(/apt-get install systemd-container debootstrap/);
  } finally {
    process.env.PATH = savedPath;
  }
});

test("4 nodes boot with systemd, serve SSH with verified host keys, and reach each other", async () => {
  await lab.down(); // from nothing (image cached or built now)
  const t0 = Date.now();
  const report = await lab.up(4);
  const secs = (Date.now() - t0) / 1000;
  if (report.image.built) figures["first image build"] = `${report.image.buildSeconds}s`;
  else figures["image build (recorded at build time)"] = `${JSON.parse(fs.readFileSync(`${imageDir()}/image.json`, "utf8")).buildSeconds}s`;
  figures[`4-node up from nothing${report.image.built ? " (incl. image build)" : " (image cached)"}`] = `${secs.toFixed(1)}s`;

  expect(lab.nodes.map((n) => n.ip)).toEqual(["10.10.10.10", "10.10.10.11", "10.10.10.12", "10.10.10.13"]);
  for (const r of report.nodes) {
    expect(["running", "degraded"]).toContain(r.state);
    figures[`${r.name} systemd`] = r.state + (r.failed.length ? ` (failed: ${r.failed.join(", ")})` : "");
  }

  const machineIds = new Set<string>();
  const hostKeys = new Set<string>();
  for (const n of lab.nodes) {
    // OpenSSH, strict host key checking, as root and as the sudo user
    const root = await sshRun(n.ip, "root", "hostname; cat /etc/machine-id; systemctl is-active ssh");
    expect(root.code).toBe(0);
    const [hostname, machineId, sshd] = root.stdout.trim().split("\n");
    expect(hostname).toBe(n.hostname);
    expect(sshd).toBe("active");
    machineIds.add(machineId);
    hostKeys.add(lab.connection(n).hostKey);
    const admin = await sshRun(n.ip, "admin", "id -un; sudo -n id -u");
    expect(admin.stdout.trim().split("\n")).toEqual(["admin", "0"]);
    // ssh2 with the hostKey from connection(): accepted when it matches ...
    expect((await ssh2Run(n.index, "echo ok")).trim()).toBe("ok");
    expect(lab.connection(n, { user: "admin" })).toMatchObject({ host: n.ip, port: 22, user: "admin" });
    expect(lab.connection(n).hostKey).toMatch(/^ssh-ed25519 [A-Za-z0-9+/=]+$/);
  }
  expect(machineIds.size).toBe(4);
  expect(hostKeys.size).toBe(4);

  // ... and refused when it does not: verification is real
  await expect(ssh2Run(0, "true", lab.connection(1).hostKey)).rejects.toThrow();
  const wrongKnownHosts = `${stateDir()}/known_hosts.wrong`;
  fs.writeFileSync(wrongKnownHosts, `10.10.10.10 ${lab.connection(1).hostKey}\n`);
  const refused = await sshRun("10.10.10.10", "root", "true", wrongKnownHosts);
  expect(refused.code).toBe(255);
  expect(refused.stderr).toMatch(/host key/i);

  // node <-> node over TCP, full mesh
  for (const a of lab.nodes) for (const b of lab.nodes) if (a !== b) expect(await tcpFrom(a.index, b.ip)).toBe(true);

  // idle memory per node, after boot settled
  await new Promise((r) => setTimeout(r, 10_000));
  for (const n of lab.nodes) {
    const m = lab.memory(n);
    figures[`${n.name} idle memory (${m.method})`] = mib(m.bytes);
  }
});

test("kill powers a node off at once; start boots it with its disk intact", async () => {
  const token = `disk-${Date.now()}`;
  expect((await lab.exec(1, `echo ${token} > /root/marker`)).code).toBe(0);

  const t0 = Date.now();
  await lab.kill(1);
  figures["kill"] = `${Date.now() - t0} ms`;
  expect(cgroup.pids("node-11")).toEqual([]); // every process of the node is gone
  expect(node.isRunning({ name: "node-11" })).toBe(false);
  const r = await lab.exec(1, "true", { connectTimeoutSec: 2, timeoutMs: 10_000 });
  expect(r.code).toBe(255);
  expect(await tcpFrom(0, "10.10.10.11")).toBe(false);

  const t1 = Date.now();
  const started = await lab.start(1);
  figures["start after kill"] = `${((Date.now() - t1) / 1000).toFixed(1)}s`;
  expect(["running", "degraded"]).toContain(started.state);
  expect((await lab.exec(1, "cat /root/marker")).stdout.trim()).toBe(token);
  expect(await tcpFrom(0, "10.10.10.11")).toBe(true);
  expect((await sshRun("10.10.10.11", "root", "true")).code).toBe(0); // same host key
});

test("partition cuts a node off from the other nodes both ways until heal", async () => {
  await lab.partition(2);
  try {
    expect(await tcpFrom(0, "10.10.10.12")).toBe(false); // others -> node
    expect(await tcpFrom(2, "10.10.10.10")).toBe(false); // node -> others
    expect(await tcpFrom(2, "10.10.10.13")).toBe(false);
    expect(await tcpFrom(0, "10.10.10.13")).toBe(true); // the rest of the lab is unaffected
    expect((await lab.exec(2, "hostname")).stdout.trim()).toBe("node-12"); // the host still reaches it
    await lab.partition(2); // idempotent
  } finally {
    await lab.heal(2);
  }
  expect(await tcpFrom(0, "10.10.10.12")).toBe(true);
  expect(await tcpFrom(2, "10.10.10.10")).toBe(true);
  await lab.heal(2); // idempotent
});

test("reset gives a node a fresh disk (same address and host key)", async () => {
  expect((await lab.exec(3, "echo x > /root/reset-marker && hostnamectl hostname changed-by-test")).code).toBe(0);
  const r = await lab.reset(3);
  expect(["running", "degraded"]).toContain(r.state);
  expect((await lab.exec(3, "test -e /root/reset-marker; echo $?")).stdout.trim()).toBe("1");
  expect((await sshRun("10.10.10.13", "root", "hostname")).stdout.trim()).toBe("node-13");
  expect(await tcpFrom(0, "10.10.10.13")).toBe(true);
});

test("down twice leaves nothing behind", async () => {
  await lab.down();
  await lab.down();
  expect(await leftovers()).toEqual([]);
  expect(lab.nodes).toEqual([]);
});

test("up after an interrupted run (nspawn killed, no cleanup) works; down then leaves nothing", async () => {
  const t0 = Date.now();
  await lab.up(4);
  figures["4-node up from nothing (image cached), 2nd run"] = `${((Date.now() - t0) / 1000).toFixed(1)}s`;

  // fast path: a second up reuses the running nodes
  const t1 = Date.now();
  const again = await lab.up(4);
  figures["up on a running lab (fast path)"] = `${((Date.now() - t1) / 1000).toFixed(1)}s`;
  expect(again.nodes.every((n) => n.reused)).toBe(true);

  // crash: SIGKILL every systemd-nspawn, nothing else (containers are orphaned, mounts, netns,
  // bridge, cgroups, pid files all stay)
  for (const n of lab.nodes) {
    const pid = node.nspawnPid(n);
    expect(pid).toBeDefined();
    process.kill(pid!, "SIGKILL");
  }
  await new Promise((r) => setTimeout(r, 500));

  const recovered = await lab.up(4);
  expect(recovered.nodes.map((n) => n.reused)).toEqual([false, false, false, false]);
  for (const n of recovered.nodes) expect(["running", "degraded"]).toContain(n.state);
  for (const n of lab.nodes) expect((await sshRun(n.ip, "root", "true")).code).toBe(0);
  expect(await tcpFrom(0, "10.10.10.13")).toBe(true);

  await lab.down();
  expect(await leftovers()).toEqual([]);
});
