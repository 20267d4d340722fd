import { createHash } from "crypto";
import { Client } from "ssh2";
import { poolKey, ResolvedConnection } from "./connection";
import { dial } from "./dial";

/**
 * A per-process pool of SSH connections, shared by every resource the provider process serves.
 *
 * Why: Pulumi runs many resources in parallel (16+). One TCP connection per command would hit
 * sshd's MaxStartups (10:30:100, unauthenticated connections) and waste a handshake each time.
 * Instead each host gets a few connections, each carrying a bounded number of concurrent
 * sessions (channels), below sshd's MaxSessions (10). Dials to one host happen one at a time.
 */
export interface PoolOptions {
  /** Concurrent sessions on one connection (sshd MaxSessions defaults to 10). */
  maxSessionsPerConnection: number;
  /** Connections per host key (sshd MaxStartups starts refusing at 10 unauthenticated). */
  maxConnectionsPerHost: number;
  /** Close a connection after this long without sessions. */
  idleMs: number;
}

const DEFAULTS: PoolOptions = { maxSessionsPerConnection: 8, maxConnectionsPerHost: 3, idleMs: 15_000 };

interface Pooled {
  client: Client;
  active: number;
  closed: boolean;
  idleTimer?: NodeJS.Timeout;
}

interface Entry {
  conns: Pooled[];
  dialing?: Promise<void>;
  waiters: Array<() => void>;
}

export interface PoolStats {
  /** TCP connections (SSH clients) opened since the pool was created. */
  connectionsOpened: number;
  /** Sessions run. */
  sessions: number;
  /** Most sessions running at once. */
  peakSessions: number;
}

const digest = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 16);

export class SshPool {
  private readonly opts: PoolOptions;
  private readonly entries = new Map<string, Entry>();
  private running = 0;
  readonly stats: PoolStats = { connectionsOpened: 0, sessions: 0, peakSessions: 0 };

  constructor(opts: Partial<PoolOptions> = {}, private readonly log?: (msg: string) => void) {
    this.opts = { ...DEFAULTS, ...opts };
  }

  /** Run `fn` with a client that has a free session slot for it; the slot is released afterwards. */
  async withClient<T>(c: ResolvedConnection, fn: (client: Client) => Promise<T>): Promise<T> {
    const pooled = await this.acquire(c);
    this.running++;
    this.stats.sessions++;
    this.stats.peakSessions = Math.max(this.stats.peakSessions, this.running);
    try {
      return await fn(pooled.client);
    } finally {
      this.running--;
      this.release(poolKey(c, digest), pooled);
    }
  }

  /** Close every connection (tests, and the end of a provider process). */
  closeAll(): void {
    for (const entry of this.entries.values()) {
      for (const p of entry.conns) this.drop(entry, p);
    }
    this.entries.clear();
  }

  private entry(key: string): Entry {
    let e = this.entries.get(key);
    if (!e) {
      e = { conns: [], waiters: [] };
      this.entries.set(key, e);
    }
    return e;
  }

  private async acquire(c: ResolvedConnection): Promise<Pooled> {
    const key = poolKey(c, digest);
    const entry = this.entry(key);
    for (;;) {
      const free = entry.conns.find((p) => !p.closed && p.active < this.opts.maxSessionsPerConnection);
      if (free) {
        free.active++;
        if (free.idleTimer) clearTimeout(free.idleTimer);
        return free;
      }
      if (entry.dialing) {
        // Share the outcome of the dial in progress: if it fails while we have no connection at
        // all, every waiter fails with the same error instead of dialing again (no retry storm).
        const hadNone = entry.conns.length === 0;
        try {
          await entry.dialing;
        } catch (e) {
          if (hadNone) throw e;
        }
        continue;
      }
      if (entry.conns.length < this.opts.maxConnectionsPerHost) {
        entry.dialing = this.open(c, entry);
        try {
          await entry.dialing;
        } finally {
          entry.dialing = undefined;
          this.wake(entry);
        }
        continue;
      }
      await new Promise<void>((r) => entry.waiters.push(r));
    }
  }

  private async open(c: ResolvedConnection, entry: Entry): Promise<void> {
    const client = await dial(c, this.log);
    this.stats.connectionsOpened++;
    client.setMaxListeners(this.opts.maxSessionsPerConnection + 10); // one close listener per running session
    const pooled: Pooled = { client, active: 0, closed: false };
    const onGone = () => {
      this.drop(entry, pooled);
      this.wake(entry);
    };
    client.on("close", onGone);
    client.on("error", onGone);
    entry.conns.push(pooled);
  }

  private release(key: string, p: Pooled): void {
    p.active--;
    const entry = this.entries.get(key);
    if (!entry) return;
    if (p.active === 0 && !p.closed) {
      p.idleTimer = setTimeout(() => this.drop(entry, p), this.opts.idleMs);
      p.idleTimer.unref();
    }
    this.wake(entry);
  }

  private drop(entry: Entry, p: Pooled): void {
    if (p.idleTimer) clearTimeout(p.idleTimer);
    if (!p.closed) {
      p.closed = true;
      p.client.end();
    }
    entry.conns = entry.conns.filter((x) => x !== p);
  }

  private wake(entry: Entry): void {
    const waiters = entry.waiters.splice(0);
    for (const w of waiters) w();
  }
}

/** The pool of this process: providers share it across resources. */
let shared: SshPool | undefined;
export function sharedPool(): SshPool {
  if (!shared) shared = new SshPool({}, process.env.PULUMI_PIGSTY_SSH_DEBUG ? (m) => console.error(m) : undefined);
  return shared;
}
