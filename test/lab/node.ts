// One node's life: boot (systemd-nspawn --boot on its overlay, in its netns and cgroup), wait
// until it serves SSH, hard power-off, and teardown.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as cgroup from "./cgroup";
import { NodeSpec } from "./config";
import * as disk from "./disk";
import * as net from "./net";
import { sleep } from "./sh";
import * as ssh from "./ssh";

const pidFile = (n: { name: string }) => path.join(disk.nodeDir(n), "nspawn.pid");
export const consoleLog = (n: { name: string }) => path.join(disk.nodeDir(n), "console.log");

/** Capabilities on top of nspawn's default set: keepalived (VIPs) and our modules' sysctl/nft
 *  work need CAP_NET_ADMIN in the node's own netns; mlock (etcd, redis) wants CAP_IPC_LOCK.
 *  Never CAP_SYS_TIME: chrony would set the HOST's clock (its unit skips itself without it). */
const EXTRA_CAPS = "CAP_NET_ADMIN,CAP_IPC_LOCK";

/** Running = something of the node is alive in its cgroup (nspawn or any container process). */
export const isRunning = (n: { name: string }) => cgroup.populated(n.name);

export function nspawnPid(n: { name: string }): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidFile(n), "utf8"));
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Start the container detached from us (its own session, output to console.log), so the node
 *  outlives the CLI or jest worker that booted it. Returns once nspawn is launched. */
export async function boot(n: NodeSpec): Promise<number> {
  if (isRunning(n)) throw new Error(`[lab] ${n.name} is already running`);
  const procs = cgroup.prepare(n.name);
  const log = fs.openSync(consoleLog(n), "a");
  fs.writeSync(log, `\n==== [lab] boot ${n.name} at ${new Date().toISOString()} ====\n`);
  const args = [
    "--boot",
    `--directory=${disk.rootDir(n)}`,
    `--machine=${n.name}`,
    // no host systemd/machined here (PID 1 is not systemd): don't register, don't ask for a scope
    "--register=no",
    "--keep-unit",
    `--network-namespace-path=/run/netns/${n.netns}`,
    "--private-users=no",
    "--resolv-conf=off",
    "--timezone=off",
    "--link-journal=no",
    "--console=read-only",
    `--capability=${EXTRA_CAPS}`,
  ];
  // The shell moves itself into the node's cgroups, then becomes nspawn (exec keeps the PID), so
  // nspawn and everything it starts are in the node's cgroup from the first instruction.
  const script = 'for f in $PGSTY_CGROUP_PROCS; do echo $$ > "$f" || exit 111; done; exec systemd-nspawn "$@"';
  const child = spawn("/bin/sh", ["-c", script, "sh", ...args], {
    detached: true,
    stdio: ["ignore", log, log],
    env: {
      ...process.env,
      PGSTY_CGROUP_PROCS: procs.join(" "),
      SYSTEMD_LOG_COLOR: "0",
      // /proc/sys/net is per network namespace, so the node may tune it (ip_nonlocal_bind for
      // haproxy/keepalived VIPs, somaxconn …) without touching the host. nspawn mounts it
      // read-only unless it created the netns itself; this makes just /proc/sys/net writable.
      SYSTEMD_NSPAWN_API_VFS_WRITABLE: "network",
    },
  });
  fs.closeSync(log);
  const pid = child.pid;
  if (!pid) throw new Error(`[lab] could not start systemd-nspawn for ${n.name}`);
  fs.writeFileSync(pidFile(n), `${pid}\n`);
  // Until the launcher has joined the node's cgroup, "running" would read false: wait for that
  // (or for an early exit, e.g. a cgroup write refused or nspawn rejecting its arguments).
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));
  const deadline = Date.now() + 10_000;
  while (exited === undefined && !cgroup.pids(n.name).includes(pid) && Date.now() < deadline) await sleep(20);
  child.unref();
  if (exited !== undefined) throw new Error(`[lab] ${n.name}: systemd-nspawn exited at once (code ${exited}); ${consoleLog(n)}:\n${tail(consoleLog(n))}`);
  return pid;
}

function tail(file: string, lines = 25): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/** Wait until the node accepts SSH and systemd finished booting. Returns systemd's verdict
 *  (`running` or `degraded`) and the failed units, if any. */
export async function waitReady(n: NodeSpec, timeoutMs = 180_000): Promise<{ state: string; failed: string[] }> {
  const deadline = Date.now() + timeoutMs;
  // nspawn dies early on bad arguments/images: say so instead of timing out on ssh
  while (Date.now() < deadline) {
    if (!isRunning(n)) throw new Error(`[lab] ${n.name}: systemd-nspawn exited during boot; ${consoleLog(n)}:\n${tail(consoleLog(n))}`);
    try {
      await ssh.waitSsh(n, Math.min(5_000, deadline - Date.now()));
      break;
    } catch (e) {
      if (Date.now() >= deadline) throw new Error(`${(e as Error).message}\n${consoleLog(n)}:\n${tail(consoleLog(n))}`);
    }
  }
  const left = Math.max(5, Math.round((deadline - Date.now()) / 1000));
  const r = await ssh.exec(n, `timeout ${left} systemctl is-system-running --wait`, { timeoutMs: (left + 10) * 1000 });
  const state = r.stdout.trim() || `unknown (${r.stderr.trim()})`;
  const failed = state === "running" ? [] : await failedUnits(n);
  return { state, failed };
}

export async function failedUnits(n: NodeSpec): Promise<string[]> {
  const r = await ssh.exec(n, "systemctl list-units --failed --plain --no-legend --no-pager | awk '{print $1}'");
  return r.stdout.split("\n").filter(Boolean);
}

/** Pull the plug: every process of the node dies at once (no shutdown, no sync by the node), and
 *  its bridge port goes down so peers see a dead host (timeouts), not a refused connection. The
 *  disk (overlay) stays mounted on the host, so `start` boots the same disk. */
export async function powerOff(n: NodeSpec): Promise<void> {
  if (fs.existsSync(`/run/netns/${n.netns}`)) await net.setPort(n, false).catch(() => undefined);
  await cgroup.killAll(n.name);
  fs.rmSync(pidFile(n), { force: true });
}

/** Everything of one node off the host: processes, cgroups, mounts, netns (disk files stay). */
export async function teardown(n: { name: string; netns: string; veth: string }): Promise<void> {
  await cgroup.killAll(n.name);
  fs.rmSync(pidFile(n), { force: true });
  await disk.unmount(n);
  await net.removeNodeNet(n);
}

export async function waitGone(n: { name: string }, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isRunning(n) && Date.now() < deadline) await sleep(50);
}
