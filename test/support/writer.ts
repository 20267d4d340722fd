import { spawn } from "child_process";

/**
 * A client that keeps writing through a PostgreSQL service (one short psql session per write, as a
 * failing-over application would reconnect), recording when writes succeeded. The largest gap
 * between consecutive successful writes is the write outage a failover or switchover caused.
 */
export interface WriterOptions {
  /** libpq URL without password, e.g. postgres://test@10.10.10.12:5433/test */
  url: string;
  password: string;
  /** Table to insert into (created if missing). */
  table?: string;
  /** Pause between writes, ms. */
  intervalMs?: number;
}

export interface WriterReport {
  ok: number;
  failed: number;
  /** Longest time between two successful writes, seconds. */
  maxGapSeconds: number;
  /** Last error seen, for diagnostics. */
  lastError?: string;
}

function psql(url: string, password: string, sql: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn("psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", url, "-c", sql], {
      env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: "2" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    const kill = setTimeout(() => p.kill("SIGKILL"), 5_000); // a write that hangs counts as failed
    p.on("close", (code) => {
      clearTimeout(kill);
      resolve({ code: code ?? 1, out });
    });
  });
}

export class Writer {
  private running = false;
  private loop?: Promise<void>;
  private readonly successes: number[] = [];
  private failed = 0;
  private lastError?: string;

  constructor(private readonly o: WriterOptions) {}

  async start(): Promise<void> {
    const table = this.o.table ?? "failover_probe";
    const r = await psql(this.o.url, this.o.password, `CREATE TABLE IF NOT EXISTS ${table} (id bigserial primary key, ts timestamptz default now())`);
    if (r.code !== 0) throw new Error(`writer cannot create ${table}: ${r.out}`);
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const w = await psql(this.o.url, this.o.password, `INSERT INTO ${table} DEFAULT VALUES`);
        if (w.code === 0) this.successes.push(Date.now());
        else {
          this.failed++;
          this.lastError = w.out.trim();
        }
        await new Promise((res) => setTimeout(res, this.o.intervalMs ?? 100));
      }
    })();
  }

  /** Wait until a write succeeds after `since` (epoch ms), up to `timeoutMs`. */
  async resumedAfter(since: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.successes.some((t) => t > since)) return true;
      await new Promise((res) => setTimeout(res, 200));
    }
    return false;
  }

  async stop(): Promise<WriterReport> {
    this.running = false;
    await this.loop;
    // the outage is measured between successful commits: a write that failed fast does not shorten it
    let gap = 0;
    for (let i = 1; i < this.successes.length; i++) gap = Math.max(gap, this.successes[i] - this.successes[i - 1]);
    return { ok: this.successes.length, failed: this.failed, maxGapSeconds: gap / 1000, lastError: this.lastError };
  }
}
