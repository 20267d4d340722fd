/**
 * Errors that tell an operator what failed where: host, step, exit code, the last lines of
 * output — with every known secret value replaced by `[secret]` first.
 */

export const REDACTED = "[secret]";

/** Replace each secret value (longest first, so a secret containing another is masked whole). */
export function redact(text: string, secrets: readonly string[] | undefined): string {
  if (!secrets || secrets.length === 0 || !text) return text;
  const values = [...new Set(secrets.filter((s) => typeof s === "string" && s.length >= 3))].sort((a, b) => b.length - a.length);
  let out = text;
  for (const v of values) out = out.split(v).join(REDACTED);
  return out;
}

/** The last `n` non-empty lines of `text`. */
export function tail(text: string, n = 20): string {
  const lines = text.replace(/\s+$/, "").split("\n");
  return lines.slice(-n).join("\n");
}

/** Could not connect (after retries) or the host was refused. `permanent`: retrying will not help. */
export class SshConnectError extends Error {
  constructor(
    message: string,
    readonly target: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = "SshConnectError";
  }
}

export interface CommandFailure {
  target: string;
  step: string;
  exitCode: number | null;
  signal?: string;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/** A remote command exited non-zero, was killed, or timed out. Output already redacted. */
export class RemoteCommandError extends Error {
  readonly target: string;
  readonly step: string;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;

  constructor(f: CommandFailure, timeoutSeconds?: number) {
    const what = f.timedOut
      ? `timed out after ${timeoutSeconds}s (remote process group killed)`
      : f.signal === "CONNECTION_LOST"
        ? "lost its connection (host down or unreachable); its outcome on the host is unknown"
        : f.signal
          ? `was killed by signal ${f.signal}`
        : `exited with code ${f.exitCode}`;
    const out = [f.stderr && `--- stderr (last lines) ---\n${tail(f.stderr)}`, f.stdout && `--- stdout (last lines) ---\n${tail(f.stdout)}`]
      .filter(Boolean)
      .join("\n");
    super(`[${f.target}] step "${f.step}" ${what}${out ? `\n${out}` : ""}`);
    this.name = "RemoteCommandError";
    this.target = f.target;
    this.step = f.step;
    this.exitCode = f.exitCode;
    this.timedOut = f.timedOut;
    this.stdout = f.stdout;
    this.stderr = f.stderr;
  }
}
