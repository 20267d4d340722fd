import { execSync } from "child_process";
import { exec, resolveConnection, SshPool, uploadFile, statFile, removeFile, RemoteCommandError, SshConnectError } from "../../lib/ssh";
import { LoopbackSshd, startSshd, freePort } from "../support/sshd";

// lib/ssh against a real OpenSSH server on loopback.
jest.setTimeout(60_000);
let sshd: LoopbackSshd;
let pool: SshPool;
const conn = (extra: object = {}) =>
  resolveConnection({ host: sshd.host, port: sshd.port, user: "root", privateKey: sshd.privateKey, hostKey: sshd.hostKey, ...extra });

beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(async () => {
  await sshd?.stop();
});
beforeEach(() => {
  pool = new SshPool();
});
afterEach(() => pool.closeAll());

test("runs a command and returns stdout, stderr and exit code", async () => {
  const r = await exec(pool, conn(), { command: "echo out; echo err >&2; true" });
  expect(r).toEqual({ stdout: "out\n", stderr: "err\n", exitCode: 0 });
  const f = await exec(pool, conn(), { command: "exit 3", allowFailure: true });
  expect(f.exitCode).toBe(3);
});

test("a failing command names host, step, exit code and the last lines of output", async () => {
  const e = await exec(pool, conn(), { command: "for i in $(seq 1 40); do echo line$i; done; echo boom >&2; exit 7", step: "render patroni" }).catch((x) => x);
  expect(e).toBeInstanceOf(RemoteCommandError);
  expect(e.message).toContain(`[root@127.0.0.1:${sshd.port}] step "render patroni" exited with code 7`);
  expect(e.message).toContain("boom");
  expect(e.message).toContain("line40");
  expect(e.message).not.toContain("line1\n"); // only the tail
});

test("environment and stdin reach the script; secrets are not on any command line", async () => {
  const secret = "S3cr3t-" + Math.random().toString(36).slice(2);
  const marker = "marker" + Date.now();
  const run = exec(pool, conn(), {
    command: `read -r line; echo "env=$PGPASSWORD stdin=$line"; sleep 2 # ${marker}`,
    environment: { PGPASSWORD: secret },
    stdin: secret + "\n",
    secrets: [secret],
  });
  await new Promise((r) => setTimeout(r, 800));
  // The sshd runs on this machine, so the host's process list is the remote process list.
  const ps = execSync("ps -eo args", { encoding: "utf8" });
  expect(ps).not.toContain(secret);
  const r = await run;
  // The value arrived (and is masked in what we return).
  expect(r.stdout).toBe("env=[secret] stdin=[secret]\n");
});

test("a timeout kills the whole remote process group", async () => {
  const marker = `pigsty-timeout-${Date.now()}`;
  const t0 = Date.now();
  const e = await exec(pool, conn(), { command: `sh -c 'sleep 300; echo ${marker}' & sleep 300 # ${marker}`, timeoutSeconds: 2 }).catch((x) => x);
  expect(e).toBeInstanceOf(RemoteCommandError);
  expect(e.timedOut).toBe(true);
  expect(e.message).toContain("timed out after 2s");
  expect(Date.now() - t0).toBeLessThan(15_000);
  await new Promise((r) => setTimeout(r, 500));
  const left = execSync("ps -eo args", { encoding: "utf8" }).split("\n").filter((l) => l.includes(marker));
  expect(left).toEqual([]);
});

test("an unreachable host fails with a clear error naming it, within the dial limits", async () => {
  const closed = await freePort();
  const t0 = Date.now();
  const e = await exec(pool, conn({ port: closed, dialErrorLimit: 3, perDialTimeout: 2 }), { command: "true" }).catch((x) => x);
  expect(e).toBeInstanceOf(SshConnectError);
  expect(e.message).toMatch(new RegExp(`cannot connect to root@127.0.0.1:${closed} after 3 attempt\\(s\\): .*ECONNREFUSED`));
  expect(Date.now() - t0).toBeLessThan(5_000);
});

test("a wrong host key is refused at once with a clear message", async () => {
  const other = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPq7u8Hq0m0b2kXgZ0dP7yqK4c3mR0v3o6zQ0b0l0m1n";
  const before = sshd.connectionsAccepted();
  const e = await exec(pool, conn({ hostKey: other }), { command: "true" }).catch((x) => x);
  expect(e).toBeInstanceOf(SshConnectError);
  expect(e.message).toContain(`host key mismatch for root@127.0.0.1:${sshd.port}`);
  await new Promise((r) => setTimeout(r, 300));
  expect(sshd.connectionsAccepted() - before).toBe(1); // refused once, never retried
});

test("a known_hosts file verifies the host; an unknown host is refused", async () => {
  const ok = await exec(pool, conn({ hostKey: undefined, knownHostsFile: sshd.knownHostsFile }), { command: "echo ok" });
  expect(ok.stdout).toBe("ok\n");
  const empty = `${sshd.dir}/empty_known_hosts`;
  require("fs").writeFileSync(empty, "");
  const e = await exec(pool, conn({ hostKey: undefined, knownHostsFile: empty }), { command: "true" }).catch((x) => x);
  expect(e.message).toContain(`no known host key for [127.0.0.1]:${sshd.port} in ${empty}`);
});

test("no host key at all is refused, never trusted silently", async () => {
  const e = await exec(pool, conn({ hostKey: undefined }), { command: "true" }).catch((x) => x);
  expect(e.message).toContain("no host key to verify against");
});

test("bad credentials fail fast without a retry storm", async () => {
  const { utils } = require("ssh2");
  const wrong = utils.generateKeyPairSync("ed25519").private;
  const before = sshd.connectionsAccepted();
  const t0 = Date.now();
  const e = await exec(pool, conn({ privateKey: wrong, dialErrorLimit: 10 }), { command: "true" }).catch((x) => x);
  expect(e).toBeInstanceOf(SshConnectError);
  expect(e.message).toContain("authentication failed for root@127.0.0.1");
  expect(e.message).toContain("not retrying");
  expect(Date.now() - t0).toBeLessThan(3_000);
  await new Promise((r) => setTimeout(r, 300));
  expect(sshd.connectionsAccepted() - before).toBe(1);
});

test("50 concurrent commands share a handful of connections", async () => {
  const before = sshd.connectionsAccepted();
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, i) => exec(pool, conn(), { command: `sleep 0.2; echo ${i}` })),
  );
  expect(results.map((r) => Number(r.stdout))).toEqual(Array.from({ length: 50 }, (_, i) => i));
  expect(pool.stats.connectionsOpened).toBeLessThanOrEqual(3);
  expect(pool.stats.peakSessions).toBeGreaterThan(8);
  expect(sshd.connectionsAccepted() - before).toBe(pool.stats.connectionsOpened);
  expect(sshd.log()).not.toMatch(/refused|MaxStartups|no more sessions/i);
});

test("uploads atomically with mode, owner and group; stat sees content drift", async () => {
  const path = `${sshd.dir}/sub/dir/app.conf`;
  const s = await uploadFile(pool, conn(), { path, content: Buffer.from("a=1\n"), mode: "640", owner: "root", group: "daemon" });
  expect(s.mode).toBe("0640");
  const st = await statFile(pool, conn(), path);
  expect(st).toEqual({ exists: true, sha256: s.sha256, mode: "0640", owner: "root", group: "daemon" });
  require("fs").writeFileSync(path, "a=2\n");
  expect((await statFile(pool, conn(), path)).sha256).not.toBe(s.sha256);
  // no staging files left behind
  expect(execSync(`ls -A ${sshd.dir}/sub/dir`, { encoding: "utf8" }).trim()).toBe("app.conf");
  expect(execSync("ls -A /tmp | grep -c pigsty-upload || true", { encoding: "utf8" }).trim()).toBe("0");
  await removeFile(pool, conn(), path);
  expect((await statFile(pool, conn(), path)).exists).toBe(false);
});

test("tunnels through a bastion (proxy)", async () => {
  const viaBastion = conn({ proxy: { host: sshd.host, port: sshd.port, user: "root", privateKey: sshd.privateKey, hostKey: sshd.hostKey } });
  const before = sshd.connectionsAccepted();
  const r = await exec(pool, viaBastion, { command: "echo $SSH_CONNECTION" });
  // two SSH connections: one to the bastion, one tunnelled through it (arriving from the bastion)
  expect(sshd.connectionsAccepted() - before).toBe(2);
  expect(r.stdout).toMatch(/^127\.0\.0\.1 \d+ 127\.0\.0\.1 \d+\n$/);
});

test("a wrong bastion host key is refused, naming the bastion", async () => {
  const badProxy = conn({ proxy: { host: sshd.host, port: sshd.port, user: "root", privateKey: sshd.privateKey, hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPq7u8Hq0m0b2kXgZ0dP7yqK4c3mR0v3o6zQ0b0l0m1n" } });
  const e = await exec(pool, badProxy, { command: "true" }).catch((x) => x);
  expect(e.message).toContain(`host key mismatch for root@127.0.0.1:${sshd.port}`);
});
