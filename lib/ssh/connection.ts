/**
 * How to reach a host over SSH. Field names and defaults mirror `@pulumi/command`'s
 * `remote.ConnectionArgs`, so users of that package already know them.
 *
 * This is the plain (resolved) shape used inside providers; components accept the same fields as
 * `pulumi.Input`s (see providers/connection.ts).
 */
export interface Connection {
  /** Address of the host (IP or name). */
  host: string;
  /** SSH port. Default 22. */
  port?: number;
  /** Login user. Default `root`. Non-root users run commands through `sudo -n` when `sudo` is set. */
  user?: string;
  /** Password for password or keyboard-interactive auth. */
  password?: string;
  /** Private key (OpenSSH or PEM text). */
  privateKey?: string;
  /** Passphrase of `privateKey`. */
  privateKeyPassword?: string;
  /** ssh-agent socket. Default: `$SSH_AUTH_SOCK` when set. */
  agentSocketPath?: string;
  /**
   * The host's public key in authorized_keys format (`ssh-ed25519 AAAA…`), pinned. Takes precedence
   * over `knownHostsFile`. One of the two is required unless `insecureIgnoreHostKey` is set.
   */
  hostKey?: string;
  /** A known_hosts file to verify the host key against (plain or hashed entries). */
  knownHostsFile?: string;
  /** Accept any host key. Off by default: we never trust a host silently. */
  insecureIgnoreHostKey?: boolean;
  /** A bastion to tunnel through (same fields; not nestable further than one level, like @pulumi/command). */
  proxy?: Connection;
  /** Dial attempts before giving up; -1 = unlimited. Default 10. Authentication failures are never retried. */
  dialErrorLimit?: number;
  /** Seconds allowed for one dial (TCP + handshake + auth). Default 15; 0 = no limit. */
  perDialTimeout?: number;
  /** Run commands and file operations through `sudo -n` (for a non-root `user`). */
  sudo?: boolean;
}

export const CONNECTION_DEFAULTS = {
  port: 22,
  user: "root",
  dialErrorLimit: 10,
  perDialTimeout: 15,
} as const;

export type ResolvedConnection = Connection & { port: number; user: string; dialErrorLimit: number; perDialTimeout: number };

/** Fill in defaults, so that later comparisons (pool keys, diffs) never see a missing-vs-default difference. */
export function resolveConnection(c: Connection): ResolvedConnection {
  if (!c || typeof c.host !== "string" || c.host.trim() === "") {
    throw new Error("connection.host is required");
  }
  const port = c.port ?? CONNECTION_DEFAULTS.port;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`connection.port must be an integer 1-65535 (got ${String(c.port)}) for host ${c.host}`);
  }
  return {
    ...c,
    port,
    user: c.user ?? CONNECTION_DEFAULTS.user,
    dialErrorLimit: c.dialErrorLimit ?? CONNECTION_DEFAULTS.dialErrorLimit,
    perDialTimeout: c.perDialTimeout ?? CONNECTION_DEFAULTS.perDialTimeout,
    proxy: c.proxy ? resolveConnection(c.proxy) : undefined,
  };
}

/** `user@host:port`, with the bastion when there is one: the name used in every message. */
export function describeTarget(c: Connection): string {
  const base = `${c.user ?? "root"}@${c.host}:${c.port ?? 22}`;
  return c.proxy ? `${base} via ${describeTarget(c.proxy)}` : base;
}

/**
 * The pool key: connections are shared by every resource that targets the same host, port, user
 * and bastion. Credentials are part of the key's identity only through a digest, so a changed key
 * opens a new connection instead of reusing one authenticated with the old key.
 */
export function poolKey(c: ResolvedConnection, digest: (s: string) => string): string {
  const cred = digest(`${c.privateKey ?? ""}\0${c.password ?? ""}\0${c.hostKey ?? ""}\0${c.knownHostsFile ?? ""}`);
  const proxy = c.proxy ? `>${poolKey(c.proxy as ResolvedConnection, digest)}` : "";
  return `${c.user}@${c.host}:${c.port}#${cred}${proxy}`;
}
