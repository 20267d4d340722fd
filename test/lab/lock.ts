// A lock file so two `up`s (two jest workers, or a CLI next to a test run) never race on the same
// bridge, mounts and nodes. O_EXCL create + the holder's PID inside; a lock whose holder is gone
// (crash, SIGKILL) is stale and taken over, so a crash never wedges the lab.
import * as fs from "fs";
import * as path from "path";
import { sleep } from "./sh";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

const held = new Map<string, number>(); // re-entrant within one process (Lab methods call each other)

export async function withLock<T>(lockPath: string, fn: () => Promise<T>, timeoutMs = 30 * 60_000): Promise<T> {
  const depth = held.get(lockPath) ?? 0;
  if (depth === 0) await acquire(lockPath, timeoutMs);
  held.set(lockPath, depth + 1);
  try {
    return await fn();
  } finally {
    held.set(lockPath, (held.get(lockPath) ?? 1) - 1);
    if (held.get(lockPath) === 0) {
      held.delete(lockPath);
      release(lockPath);
    }
  }
}

async function acquire(lockPath: string, timeoutMs: number): Promise<void> {
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let reported = false;
  for (;;) {
    try {
      const fd = fs.openSync(lockPath, "wx", 0o644);
      fs.writeSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    let holder = NaN;
    try {
      holder = parseInt(fs.readFileSync(lockPath, "utf8"), 10);
    } catch {
      continue; // released between our open and read
    }
    if (!Number.isNaN(holder) && !alive(holder)) {
      // Stale: rename first so two waiters cannot both delete a fresh lock taken in between.
      const tomb = `${lockPath}.stale-${process.pid}`;
      try {
        fs.renameSync(lockPath, tomb);
        if (parseInt(fs.readFileSync(tomb, "utf8"), 10) === holder) fs.rmSync(tomb, { force: true });
        else fs.renameSync(tomb, lockPath); // somebody else's fresh lock: put it back
      } catch {
        /* another waiter handled it */
      }
      continue;
    }
    if (Date.now() > deadline) throw new Error(`[lab] timed out waiting for lock ${lockPath} held by pid ${holder}`);
    if (!reported) {
      process.stderr.write(`[lab] waiting for lock ${lockPath} (held by pid ${holder})\n`);
      reported = true;
    }
    await sleep(250);
  }
}

function release(lockPath: string): void {
  try {
    if (parseInt(fs.readFileSync(lockPath, "utf8"), 10) === process.pid) fs.rmSync(lockPath, { force: true });
  } catch {
    /* already gone (e.g. `down` removed the state dir) */
  }
}
