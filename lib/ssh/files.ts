import { createHash, randomBytes } from "crypto";
import { Client, SFTPWrapper } from "ssh2";
import { describeTarget, ResolvedConnection } from "./connection";
import { exec, shellQuote } from "./exec";
import { SshPool } from "./pool";

export interface FileState {
  exists: boolean;
  /** sha256 of the content, hex; "" when absent. */
  sha256: string;
  /** Octal permission bits, 4 digits ("0644"). */
  mode: string;
  owner: string;
  group: string;
}

export interface UploadOptions {
  path: string;
  content: Buffer;
  /** Octal mode, e.g. "0644". */
  mode: string;
  owner?: string;
  group?: string;
  step?: string;
  secrets?: readonly string[];
}

export const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

const MODE = /^0?[0-7]{3,4}$/;
/** Normalise "644" / "0644" / "00644" to four digits, so "644" and "0644" never diff. */
export function normalizeMode(mode: string): string {
  if (!MODE.test(mode)) throw new Error(`mode must be octal like "0644" (got "${mode}")`);
  return mode.replace(/^0*/, "").padStart(4, "0");
}

const NAME = /^[a-z_][a-z0-9_.-]*\$?$/i;
function checkAccountName(kind: string, v: string): void {
  if (!NAME.test(v)) throw new Error(`${kind} "${v}" is not a valid user/group name`);
}

function withSftp<T>(client: Client, target: string, fn: (sftp: SFTPWrapper) => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) =>
    client.sftp((err, sftp) => {
      if (err) return reject(new Error(`[${target}] cannot open SFTP: ${err.message}`));
      fn(sftp).then(
        (v) => {
          sftp.end();
          resolve(v);
        },
        (e) => {
          sftp.end();
          reject(e);
        },
      );
    }),
  );
}

function sftpWrite(sftp: SFTPWrapper, path: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) =>
    sftp.writeFile(path, data, { mode: 0o600, flag: "wx" }, (err) => (err ? reject(err) : resolve())),
  );
}

/**
 * Upload a file atomically: SFTP into a private (0600) staging file, then — as root, through sudo
 * when needed — copy it next to the target, set owner/group/mode, and rename it over the target.
 * A reader never sees a half-written file, and the target never exists with wrong permissions.
 */
export async function uploadFile(pool: SshPool, c: ResolvedConnection, o: UploadOptions): Promise<FileState> {
  const target = describeTarget(c);
  const mode = normalizeMode(o.mode);
  if (o.owner) checkAccountName("owner", o.owner);
  if (o.group) checkAccountName("group", o.group);
  if (!o.path.startsWith("/")) throw new Error(`path must be absolute (got "${o.path}")`);
  const staging = `/tmp/.pigsty-upload-${randomBytes(8).toString("hex")}`;
  await pool.withClient(c, (client) => withSftp(client, target, (sftp) => sftpWrite(sftp, staging, o.content))).catch((e: Error) => {
    throw new Error(`[${target}] step "${o.step ?? `upload ${o.path}`}": SFTP write failed: ${e.message}`);
  });
  const q = shellQuote;
  const owner = o.owner ? `${o.owner}${o.group ? `:${o.group}` : ""}` : o.group ? `:${o.group}` : "";
  const script = [
    "set -e",
    `src=${q(staging)}; dst=${q(o.path)}`,
    `trap 'rm -f "$src"' EXIT`,
    `dir=$(dirname "$dst"); tmp="$dir/.$(basename "$dst").pigsty-tmp"`,
    `mkdir -p "$dir"`,
    `cp "$src" "$tmp"`,
    owner ? `chown ${q(owner)} "$tmp"` : ":",
    `chmod ${mode} "$tmp"`,
    `mv -f "$tmp" "$dst"`,
  ].join("\n");
  await exec(pool, c, { command: script, step: o.step ?? `install ${o.path}`, secrets: o.secrets, timeoutSeconds: 120 });
  return { exists: true, sha256: sha256(o.content), mode, owner: o.owner ?? "", group: o.group ?? "" };
}

/** What is at `path` now: existence, content hash, mode, owner, group. */
export async function statFile(pool: SshPool, c: ResolvedConnection, path: string): Promise<FileState> {
  const script = `p=${shellQuote(path)}
if [ -f "$p" ]; then stat -c '%a %U %G' "$p"; sha256sum "$p" | cut -d' ' -f1; else echo ABSENT; fi`;
  const { stdout } = await exec(pool, c, { command: script, step: `stat ${path}`, timeoutSeconds: 60 });
  const lines = stdout.trim().split("\n");
  if (lines[0] === "ABSENT") return { exists: false, sha256: "", mode: "", owner: "", group: "" };
  const [m, owner, group] = lines[0].split(" ");
  return { exists: true, sha256: lines[1] ?? "", mode: normalizeMode(m), owner, group };
}

export async function removeFile(pool: SshPool, c: ResolvedConnection, path: string): Promise<void> {
  await exec(pool, c, { command: `rm -f ${shellQuote(path)}`, step: `remove ${path}`, timeoutSeconds: 60 });
}
