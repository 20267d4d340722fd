// One cgroup per node, created by us before systemd-nspawn starts.
//
// Why: without a host systemd (and with --keep-unit --register=no) nspawn puts the container under
// the cgroup it was started in, creating "payload"/"supervisor" children there. Started from the
// same cgroup, two nodes would share one "payload" cgroup. A cgroup per node also gives a true
// power-off: cgroup.kill SIGKILLs every process of the node (nspawn and the whole container) in one
// step, and the cgroup tells us whether anything of a node is still alive.
//
// Works on cgroup v2 hosts (/sys/fs/cgroup is cgroup2) and on hybrid hosts like this one (v2 at
// /sys/fs/cgroup/unified plus the v1 name=systemd hierarchy, which nspawn also uses).
import * as fs from "fs";
import * as path from "path";
import { CGROUP_DIR } from "./config";
import { sleep } from "./sh";

interface Hierarchies {
  unified: string; // cgroup2 mount: membership, cgroup.kill, cgroup.events
  legacySystemd?: string; // v1 name=systemd mount on hybrid hosts
}

let cached: Hierarchies | undefined;

export function hierarchies(): Hierarchies {
  if (cached) return cached;
  const mounts = fs.readFileSync("/proc/self/mountinfo", "utf8").split("\n");
  let unified: string | undefined;
  let legacySystemd: string | undefined;
  for (const line of mounts) {
    const [pre, post] = line.split(" - ");
    if (!post) continue;
    const mountPoint = pre.split(" ")[4];
    const [fstype, , superOpts] = post.split(" ");
    if (fstype === "cgroup2" && (!unified || mountPoint === "/sys/fs/cgroup")) unified = mountPoint;
    if (fstype === "cgroup" && /(^|,)name=systemd(,|$)/.test(superOpts ?? "")) legacySystemd = mountPoint;
  }
  if (!unified) throw new Error("[lab] no cgroup2 hierarchy mounted (need /sys/fs/cgroup or /sys/fs/cgroup/unified)");
  cached = { unified, legacySystemd };
  return cached;
}

function dirs(node: string): string[] {
  const h = hierarchies();
  return [h.unified, h.legacySystemd].filter((x): x is string => !!x).map((root) => path.join(root, CGROUP_DIR, node));
}

export function unifiedDir(node: string): string {
  return path.join(hierarchies().unified, CGROUP_DIR, node);
}

/** Create the node's cgroups; returns the cgroup.procs files the launcher writes its PID into. */
export function prepare(node: string): string[] {
  return dirs(node).map((d) => {
    fs.mkdirSync(d, { recursive: true });
    return path.join(d, "cgroup.procs");
  });
}

/** Every PID in the node's cgroup subtree (nspawn, the container's init and all its services). */
export function pids(node: string): number[] {
  const out: number[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    try {
      for (const l of fs.readFileSync(path.join(d, "cgroup.procs"), "utf8").split("\n")) if (l) out.push(Number(l));
    } catch {
      /* removed under us */
    }
    for (const e of entries) if (e.isDirectory()) walk(path.join(d, e.name));
  };
  walk(unifiedDir(node));
  return out;
}

export function populated(node: string): boolean {
  try {
    return /populated 1/.test(fs.readFileSync(path.join(unifiedDir(node), "cgroup.events"), "utf8"));
  } catch {
    return false;
  }
}

/** SIGKILL everything in the node at once (no shutdown, like pulling the plug), wait until gone,
 *  then remove the node's cgroups so the next boot starts clean. */
export async function killAll(node: string, timeoutMs = 15_000): Promise<void> {
  const dir = unifiedDir(node);
  if (fs.existsSync(dir)) {
    const killFile = path.join(dir, "cgroup.kill");
    const deadline = Date.now() + timeoutMs;
    while (populated(node)) {
      if (fs.existsSync(killFile)) fs.writeFileSync(killFile, "1");
      else {
        // kernels < 5.14 have no cgroup.kill: freeze-free fallback, repeated until empty
        for (const pid of pids(node)) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            /* already gone */
          }
        }
      }
      if (Date.now() > deadline) throw new Error(`[lab] processes of ${node} survive SIGKILL: ${pids(node).join(" ")}`);
      await sleep(50);
    }
  }
  removeDirs(node);
}

function removeDirs(node: string): void {
  for (const d of dirs(node)) rmdirTree(d);
}

function rmdirTree(d: string): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(d, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) if (e.isDirectory()) rmdirTree(path.join(d, e.name));
  try {
    fs.rmdirSync(d); // cgroup dirs are removed with rmdir, never rm -r
  } catch {
    /* still populated or already gone */
  }
}

/** Node names that have a cgroup (running, or leftovers of a crash). */
export function listNodes(): string[] {
  const found = new Set<string>();
  for (const root of [hierarchies().unified, hierarchies().legacySystemd]) {
    if (!root) continue;
    try {
      for (const e of fs.readdirSync(path.join(root, CGROUP_DIR), { withFileTypes: true })) if (e.isDirectory()) found.add(e.name);
    } catch {
      /* none */
    }
  }
  return [...found];
}

/** Remove the lab's parent cgroup once every node is gone (for `down`). */
export function removeParent(): void {
  for (const root of [hierarchies().unified, hierarchies().legacySystemd]) {
    if (!root) continue;
    try {
      fs.rmdirSync(path.join(root, CGROUP_DIR));
    } catch {
      /* not empty or absent */
    }
  }
}

/** Memory of a node in bytes: memory.current when the memory controller is on in cgroup v2,
 *  else the sum of PSS (proportional set size: shared pages split between sharers) of its processes. */
export function memoryBytes(node: string): { bytes: number; method: "memory.current" | "pss" } {
  try {
    const v = Number(fs.readFileSync(path.join(unifiedDir(node), "memory.current"), "utf8"));
    if (Number.isFinite(v)) return { bytes: v, method: "memory.current" };
  } catch {
    /* no memory controller here */
  }
  let kb = 0;
  for (const pid of pids(node)) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
      if (m) kb += Number(m[1]);
    } catch {
      /* exited */
    }
  }
  return { bytes: kb * 1024, method: "pss" };
}
