// Reaching nodes the way our product does: the real OpenSSH client, key auth, host key verified
// against the lab's known_hosts (StrictHostKeyChecking=yes). No user ssh config is read (-F
// /dev/null), so a developer's ~/.ssh/config cannot change what the tests see.
import { NodeSpec } from "./config";
import { adminKeyPath, knownHostsPath } from "./identity";
import { run, RunResult, shellQuote, sleep } from "./sh";

export function sshArgs(n: NodeSpec, user = "root", connectTimeoutSec = 5): string[] {
  return [
    "-F", "/dev/null",
    "-i", adminKeyPath(),
    "-o", "IdentitiesOnly=yes",
    "-o", `UserKnownHostsFile=${knownHostsPath()}`,
    "-o", "GlobalKnownHostsFile=/dev/null",
    "-o", "StrictHostKeyChecking=yes",
    "-o", "BatchMode=yes",
    "-o", `ConnectTimeout=${connectTimeoutSec}`,
    "-o", "ServerAliveInterval=5",
    "-o", "ServerAliveCountMax=3",
    "-o", "LogLevel=ERROR",
    `${user}@${n.ip}`,
  ];
}

export interface ExecOptions {
  user?: string;
  input?: string;
  timeoutMs?: number;
  connectTimeoutSec?: number;
}

/** Run a command on a node. A string goes to the remote shell as is; an array is shell-quoted.
 *  code 255 = ssh itself failed (node down, unreachable, auth). */
export function exec(n: NodeSpec, cmd: string | string[], opts: ExecOptions = {}): Promise<RunResult> {
  const command = Array.isArray(cmd) ? cmd.map(shellQuote).join(" ") : cmd;
  return run("ssh", [...sshArgs(n, opts.user ?? "root", opts.connectTimeoutSec ?? 5), "--", command], {
    input: opts.input,
    timeoutMs: opts.timeoutMs ?? 10 * 60_000,
  });
}

/** Wait until sshd accepts our key on the node. */
export async function waitSsh(n: NodeSpec, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: RunResult | undefined;
  while (Date.now() < deadline) {
    last = await exec(n, "true", { connectTimeoutSec: 2, timeoutMs: 5_000 });
    if (last.code === 0) return;
    await sleep(300);
  }
  throw new Error(`[lab] ${n.name} (${n.ip}): ssh not ready after ${timeoutMs} ms: ${last?.stderr.trim()}`);
}
