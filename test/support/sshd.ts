import { ChildProcess, execFileSync, spawn } from "child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, mkdirSync, existsSync } from "fs";
import { createServer } from "net";
import { tmpdir } from "os";
import { join } from "path";
import { utils } from "ssh2";

/**
 * A throw-away OpenSSH server on 127.0.0.1 for provider and e2e tests: a real sshd, real keys,
 * real sessions — on loopback only. Needs root (it authenticates local users) and openssh-server.
 */
export interface LoopbackSshd {
  host: string;
  port: number;
  user: string;
  privateKey: string;
  /** The server's host key, authorized_keys format. */
  hostKey: string;
  /** A known_hosts file listing this server. */
  knownHostsFile: string;
  dir: string;
  /** sshd's own log (LogLevel VERBOSE): one "Connection from" line per TCP connection. */
  log(): string;
  connectionsAccepted(): number;
  stop(): Promise<void>;
}

const SSHD = "/usr/sbin/sshd";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

export function sshdAvailable(): string | undefined {
  if (process.getuid?.() !== 0) return "loopback sshd tests need root";
  if (!existsSync(SSHD)) return `${SSHD} missing: apt-get install openssh-server`;
  return undefined;
}

export async function startSshd(opts: { maxStartups?: string; maxSessions?: number } = {}): Promise<LoopbackSshd> {
  const missing = sshdAvailable();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), "pigsty-sshd-"));
  chmodSync(dir, 0o755);
  const host = utils.generateKeyPairSync("ed25519");
  const client = utils.generateKeyPairSync("ed25519");
  writeFileSync(join(dir, "host_key"), host.private, { mode: 0o600 });
  writeFileSync(join(dir, "authorized_keys"), client.public + "\n", { mode: 0o600 });
  const port = await freePort();
  const hostKey = host.public.trim().split(/\s+/).slice(0, 2).join(" ");
  writeFileSync(join(dir, "known_hosts"), `[127.0.0.1]:${port} ${hostKey}\n`);
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const logFile = join(dir, "sshd.log");
  writeFileSync(
    join(dir, "sshd_config"),
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${join(dir, "host_key")}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      "PermitRootLogin prohibit-password",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "StrictModes no",
      `PidFile ${join(dir, "sshd.pid")}`,
      "LogLevel VERBOSE",
      `MaxStartups ${opts.maxStartups ?? "10:30:100"}`,
      `MaxSessions ${opts.maxSessions ?? 10}`,
      "Subsystem sftp internal-sftp",
    ].join("\n") + "\n",
  );
  execFileSync(SSHD, ["-t", "-f", join(dir, "sshd_config")]);
  const proc: ChildProcess = spawn(SSHD, ["-D", "-f", join(dir, "sshd_config"), "-E", logFile], { stdio: "ignore" });
  // Wait until it accepts connections.
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (existsSync(logFile) && readFileSync(logFile, "utf8").includes("Server listening")) break;
    if (proc.exitCode !== null) throw new Error(`sshd exited: ${readFileSync(logFile, "utf8")}`);
    if (Date.now() > deadline) throw new Error("sshd did not start in 10 s");
    await new Promise((r) => setTimeout(r, 50));
  }
  const log = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");
  return {
    host: "127.0.0.1",
    port,
    user: "root",
    privateKey: client.private,
    hostKey,
    knownHostsFile: join(dir, "known_hosts"),
    dir,
    log,
    connectionsAccepted: () => (log().match(/Connection from 127\.0\.0\.1 port/g) ?? []).length,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill("SIGTERM");
        await new Promise((r) => proc.once("exit", r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
