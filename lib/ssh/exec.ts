import { Client } from "ssh2";
import { describeTarget, ResolvedConnection } from "./connection";
import { redact, RemoteCommandError } from "./errors";
import { SshPool } from "./pool";

export interface ExecOptions {
  /** Shell script to run (POSIX sh). */
  command: string;
  /** Data for the script's standard input. */
  stdin?: string | Buffer;
  /** Environment for the script; delivered inside the script, never on a command line, never via sshd AcceptEnv. */
  environment?: Record<string, string>;
  /** Seconds before the remote process group is killed; 0 = no limit. Default 900. */
  timeoutSeconds?: number;
  /** A short name of what this command does, for messages ("install patroni.yml"). */
  step?: string;
  /** Values to mask in every message and log line. */
  secrets?: readonly string[];
  /** Called with output chunks as they arrive (already redacted). */
  onOutput?: (stream: "stdout" | "stderr", text: string) => void;
  /** Resolve with the result instead of throwing when the command exits non-zero. */
  allowFailure?: boolean;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export const DEFAULT_TIMEOUT_SECONDS = 900;
/** Grace between TERM and KILL of the remote process group on timeout. */
const KILL_AFTER_SECONDS = 5;
/** `timeout` exits 124 when it had to stop the command, 137 when KILL was needed. */
const TIMEOUT_EXIT_CODES = new Set([124, 137]);
/** Only believe those codes mean "timed out" when the time was really up (a script may exit 124 itself). */
const ranOutOfTime = (code: number | null, startedAt: number, timeout: number) =>
  timeout > 0 && code !== null && TIMEOUT_EXIT_CODES.has(code) && Date.now() - startedAt >= timeout * 1000 - 500;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Build what is sent for one command: a short, secret-free command line, and a script that
 * travels on stdin ahead of the user's own stdin.
 *
 * The command line reads exactly `length` bytes of the channel (dd bs=1 never over-reads a pipe)
 * and evals them, so environment values and the script itself never appear in `ps` or in sshd
 * logs; whatever follows on stdin is the script's own stdin. `timeout` makes itself a process
 * group leader and signals the whole group on expiry, which kills what the script started too.
 */
export function buildInvocation(o: Pick<ExecOptions, "command" | "environment" | "timeoutSeconds">, sudo: boolean): { commandLine: string; script: Buffer } {
  const exports = Object.entries(o.environment ?? {}).map(([k, v]) => {
    if (!ENV_NAME.test(k)) throw new Error(`environment variable name "${k}" is not a valid shell name`);
    return `export ${k}=${shellQuote(String(v))}`;
  });
  const script = Buffer.from([...exports, o.command].join("\n") + "\n", "utf8");
  const timeout = o.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const reader = `sh -c ${shellQuote(`eval "$(dd bs=1 count=${script.length} 2>/dev/null)"`)}`;
  const limited = timeout > 0 ? `timeout -k ${KILL_AFTER_SECONDS} ${timeout} ${reader}` : reader;
  return { commandLine: sudo ? `sudo -n -- ${limited}` : limited, script };
}

function runOnClient(client: Client, c: ResolvedConnection, o: ExecOptions): Promise<ExecResult> {
  const target = describeTarget(c);
  const step = o.step ?? "command";
  const timeout = o.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const { commandLine, script } = buildInvocation(o, !!c.sudo && c.user !== "root");
  return new Promise((resolve, reject) => {
    const startedAt = Date.now();
    client.exec(commandLine, (err, channel) => {
      if (err) return reject(new Error(`[${target}] step "${step}": cannot open a session: ${err.message}`));
      const out: Buffer[] = [];
      const errb: Buffer[] = [];
      let watchdog: NodeJS.Timeout | undefined;
      let localTimeout = false;
      if (timeout > 0) {
        // Backstop if the remote `timeout` cannot act (host gone): give up locally a bit later.
        watchdog = setTimeout(() => {
          localTimeout = true;
          channel.close();
        }, (timeout + KILL_AFTER_SECONDS + 15) * 1000);
      }
      channel.on("data", (d: Buffer) => {
        out.push(d);
        o.onOutput?.("stdout", redact(d.toString("utf8"), o.secrets));
      });
      channel.stderr.on("data", (d: Buffer) => {
        errb.push(d);
        o.onOutput?.("stderr", redact(d.toString("utf8"), o.secrets));
      });
      // If the connection itself dies (host powered off, network cut), keepalives close the client;
      // make sure the command fails then instead of waiting for a channel close that never comes.
      const onClientGone = () => channel.emit("close", null, "CONNECTION_LOST");
      client.once("close", onClientGone);
      let closed = false;
      channel.on("close", (code: number | null, signal?: string) => {
        if (closed) return;
        closed = true;
        client.removeListener("close", onClientGone);
        if (watchdog) clearTimeout(watchdog);
        const stdout = redact(Buffer.concat(out).toString("utf8"), o.secrets);
        const stderr = redact(Buffer.concat(errb).toString("utf8"), o.secrets);
        const timedOut = localTimeout || ranOutOfTime(code, startedAt, timeout);
        const exitCode = code ?? -1;
        if (exitCode === 0 && !timedOut) return resolve({ stdout, stderr, exitCode });
        if (o.allowFailure && !timedOut && code !== null) return resolve({ stdout, stderr, exitCode });
        reject(new RemoteCommandError({ target, step, exitCode: code, signal, timedOut, stdout, stderr }, timeout));
      });
      channel.write(script);
      if (o.stdin !== undefined && o.stdin !== "") channel.write(o.stdin);
      channel.end();
    });
  });
}

/** Run a command on the host through the pool. Throws RemoteCommandError on failure. */
export function exec(pool: SshPool, c: ResolvedConnection, o: ExecOptions): Promise<ExecResult> {
  return pool.withClient(c, (client) => runOnClient(client, c, o));
}
