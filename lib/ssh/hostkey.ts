import { createHmac } from "crypto";

/**
 * Host key verification. Pure: given what the user pinned (an authorized_keys-style key, or the
 * text of a known_hosts file) and the key blob the server presented, decide accept/refuse and say why.
 */

export interface HostKeyVerdict {
  ok: boolean;
  /** Why it was refused (names host and key type), for the error message. */
  reason?: string;
}

/** Parse `ssh-ed25519 AAAA… [comment]` into its type and raw blob. */
export function parsePublicKey(text: string): { type: string; blob: Buffer } {
  const parts = text.trim().split(/\s+/);
  if (parts.length < 2) throw new Error(`hostKey must be in authorized_keys format "<type> <base64>" (got "${text.slice(0, 40)}")`);
  const blob = Buffer.from(parts[1], "base64");
  if (blob.length < 16) throw new Error(`hostKey "${parts[0]} ${parts[1].slice(0, 12)}…" is not a valid base64 key`);
  return { type: parts[0], blob };
}

/** The key type written inside an SSH wire-format key blob (first length-prefixed string). */
export function blobKeyType(blob: Buffer): string {
  if (blob.length < 4) return "unknown";
  const n = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + n).toString("latin1");
}

/** The name a known_hosts entry uses for a target: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp("^" + pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$", "i");
  return re.test(name);
}

function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith("|1|")) {
    const [, , salt, hash] = field.split("|");
    if (!salt || !hash) return false;
    const mac = createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest("base64");
    return mac === hash;
  }
  let matched = false;
  for (const pat of field.split(",")) {
    if (pat.startsWith("!")) {
      if (globMatch(pat.slice(1), name)) return false;
    } else if (globMatch(pat, name)) {
      matched = true;
    }
  }
  return matched;
}

/** Verify against a pinned authorized_keys-format key. */
export function verifyPinned(pinned: string, presented: Buffer, target: string): HostKeyVerdict {
  const want = parsePublicKey(pinned);
  if (want.blob.equals(presented)) return { ok: true };
  return {
    ok: false,
    reason: `host key mismatch for ${target}: it presented a ${blobKeyType(presented)} key that is not the pinned ${want.type} key (connection.hostKey)`,
  };
}

/** Verify against the text of a known_hosts file. */
export function verifyKnownHosts(text: string, host: string, port: number, presented: Buffer, file: string): HostKeyVerdict {
  const name = knownHostsName(host, port);
  const presentedType = blobKeyType(presented);
  let sawHost = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    let fields = line.split(/\s+/);
    let marker = "";
    if (fields[0].startsWith("@")) {
      marker = fields[0];
      fields = fields.slice(1);
    }
    if (fields.length < 3 || !hostFieldMatches(fields[0], name)) continue;
    if (marker === "@cert-authority") continue; // certificates are not supported; never a plain-key match
    const blob = Buffer.from(fields[2], "base64");
    if (marker === "@revoked") {
      if (blob.equals(presented)) return { ok: false, reason: `host key of ${name} is marked @revoked in ${file}` };
      continue;
    }
    sawHost = true;
    if (blob.equals(presented)) return { ok: true };
  }
  return {
    ok: false,
    reason: sawHost
      ? `host key mismatch for ${name}: its ${presentedType} key is not the one recorded in ${file} (possible man-in-the-middle, or the host was rebuilt)`
      : `no known host key for ${name} in ${file}: add it (ssh-keyscan) or pin connection.hostKey`,
  };
}
