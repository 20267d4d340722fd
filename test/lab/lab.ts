// The lab as a whole: N nodes on one bridge. Orchestrates image, network, disks and nodes; every
// mutating operation holds the lab lock, so several jest files (workers) and the CLI can share one
// lab. Host state is the truth (cgroups, netns, mounts found by name), so a crashed run is
// recovered by the next `up` and fully removed by `down`.
import * as fs from "fs";
import * as path from "path";
import * as cgroup from "./cgroup";
import { DEFAULT_NODES, MAX_NODES, nodeSpec, NodeSpec, resolveNode, stateDir } from "./config";
import * as disk from "./disk";
import { adminKeyPath, ensureAdminKey, ensureNodeIdentity, knownHostsPath, readNodeIdentity, writeKnownHosts } from "./identity";
import { ensureImage, Image } from "./image";
import { withLock } from "./lock";
import * as net from "./net";
import * as node from "./node";
import { preflight, TOOLS_DOWN, TOOLS_UP } from "./preflight";
import { RunResult } from "./sh";
import * as ssh from "./ssh";

export type NodeRef = string | number | NodeSpec;

export interface Connection {
  host: string;
  port: number;
  user: string;
  privateKey: string; // OpenSSH PEM text of the lab admin key
  privateKeyPath: string;
  hostKey: string; // "ssh-ed25519 AAAA…", authorized_keys format
  knownHostsPath: string;
}

export interface NodeReport {
  name: string;
  ip: string;
  reused: boolean; // true: was already running and healthy (fast path)
  state: string; // systemctl is-system-running
  failed: string[]; // failed units when degraded
}

export interface UpReport {
  image: Image;
  nodes: NodeReport[];
  seconds: number;
}

export interface NodeStatus {
  name: string;
  ip: string;
  running: boolean;
  nspawnPid?: number;
  link: "up" | "down" | "absent";
  partitioned: boolean;
  mounted: boolean;
  ssh: boolean;
  system?: string;
  memoryBytes?: number;
}

interface LabState {
  nodes: number;
  image: string; // lower layer all node disks were created on
}

const stateFile = () => path.join(stateDir(), "lab.json");
const lockFile = () => `${stateDir()}.lock`; // beside, not inside: `down` deletes the state dir

export class Lab {
  constructor(private readonly log: (msg: string) => void = (m) => process.stderr.write(`[lab] ${m}\n`)) {}

  private readState(): LabState | undefined {
    try {
      return JSON.parse(fs.readFileSync(stateFile(), "utf8")) as LabState;
    } catch {
      return undefined;
    }
  }

  /** Nodes of the current lab (empty when the lab is down). */
  get nodes(): NodeSpec[] {
    const s = this.readState();
    return s ? Array.from({ length: s.nodes }, (_, i) => nodeSpec(i)) : [];
  }

  get knownHostsPath(): string {
    return knownHostsPath();
  }

  /** NODE as index, IP, hostname or spec; must belong to the lab. */
  node(ref: NodeRef): NodeSpec {
    const n = typeof ref === "object" ? ref : resolveNode(ref);
    const count = this.readState()?.nodes ?? 0;
    if (n.index >= count) throw new Error(`[lab] ${n.name} is not part of the lab (${count} nodes; run 'lab up ${n.index + 1}')`);
    return n;
  }

  /** Boot nodes 0..count-1 (nodes already running and healthy are reused as they are; nodes
   *  beyond count are left alone). Builds the base image first if needed. */
  async up(count = DEFAULT_NODES): Promise<UpReport> {
    if (!Number.isInteger(count) || count < 1 || count > MAX_NODES) throw new Error(`[lab] node count must be 1..${MAX_NODES}`);
    preflight(TOOLS_UP);
    const started = Date.now();
    return withLock(lockFile(), async () => {
      const image = await ensureImage(this.log);
      let state = this.readState();
      if (state && state.image !== image.rootfs) {
        // Disks created on another base image: an overlay must never change its lower layer.
        this.log(`base image changed (${state.image} -> ${image.rootfs}): recreating the lab`);
        await this.downLocked();
        state = undefined;
      }
      const total = Math.max(count, state?.nodes ?? 0);
      fs.mkdirSync(stateDir(), { recursive: true, mode: 0o700 });
      fs.writeFileSync(stateFile(), JSON.stringify({ nodes: total, image: image.rootfs } satisfies LabState, null, 2) + "\n");
      const admin = await ensureAdminKey();
      await net.ensureBridge();

      const all = Array.from({ length: total }, (_, i) => nodeSpec(i));
      const wanted = all.slice(0, count);
      const reused = new Set<string>();
      for (const n of all) await ensureNodeIdentity(n);
      writeKnownHosts(all); // before any ssh: health and readiness checks verify host keys too
      for (const n of wanted) if (await this.healthy(n)) reused.add(n.name);
      const booting: NodeSpec[] = [];
      for (const n of wanted) {
        if (reused.has(n.name)) continue;
        await this.bootLocked(n, image.rootfs, admin.publicKey, all);
        booting.push(n);
      }
      if (booting.length) this.log(`booting ${booting.map((n) => n.name).join(", ")}…`);
      const reports = await Promise.all(
        wanted.map(async (n): Promise<NodeReport> => {
          if (reused.has(n.name)) {
            const r = await ssh.exec(n, "systemctl is-system-running", { timeoutMs: 15_000 });
            const st = r.stdout.trim();
            return { name: n.name, ip: n.ip, reused: true, state: st, failed: st === "running" ? [] : await node.failedUnits(n) };
          }
          const r = await node.waitReady(n);
          return { name: n.name, ip: n.ip, reused: false, ...r };
        }),
      );
      for (const r of reports) {
        this.log(`${r.name} ${r.ip} ${r.reused ? "reused" : "booted"}: ${r.state}${r.failed.length ? ` (failed: ${r.failed.join(" ")})` : ""}`);
      }
      return { image, nodes: reports, seconds: (Date.now() - started) / 1000 };
    });
  }

  /** Fast path of `up`: nspawn alive, disk mounted, network in place, sshd answering. */
  private async healthy(n: NodeSpec): Promise<boolean> {
    const pid = node.nspawnPid(n);
    if (!pid || !node.isRunning(n) || !cgroup.pids(n.name).includes(pid)) return false;
    if (!disk.isMounted(n) || !net.netnsExists(n.netns) || !(await net.portUp(n))) return false;
    if (!readNodeIdentity(n)) return false;
    return (await ssh.exec(n, "true", { connectTimeoutSec: 3, timeoutMs: 10_000 })).code === 0;
  }

  /** Bring one node from whatever state (absent, killed, crashed, half-started) to booting. */
  private async bootLocked(n: NodeSpec, lower: string, adminPublicKey: string, all: NodeSpec[]): Promise<void> {
    await node.powerOff(n); // leftovers of a crash: orphaned container without nspawn, stale cgroups
    await net.ensureNodeNet(n);
    await disk.mount(n, lower);
    if (!disk.hasIdentity(n)) disk.seed(n, await ensureNodeIdentity(n), adminPublicKey, all);
    await node.boot(n);
  }

  /** Remove everything of the lab from the host: processes, cgroups, mounts, namespaces, bridge,
   *  nft table and the state dir (disks, keys). Safe to repeat; works after a crash. */
  async down(): Promise<void> {
    preflight(TOOLS_DOWN);
    await withLock(lockFile(), () => this.downLocked());
  }

  private async downLocked(): Promise<void> {
    const names = new Set<string>(cgroup.listNodes());
    if (fs.existsSync(stateDir())) for (const e of fs.readdirSync(stateDir())) if (/^node-\d+$/.test(e)) names.add(e);
    for (const name of names) await cgroup.killAll(name);
    await disk.unmountAll(stateDir());
    await net.removeAll();
    cgroup.removeParent();
    if (disk.mountsUnder(stateDir()).length === 0) fs.rmSync(stateDir(), { recursive: true, force: true });
  }

  async status(): Promise<NodeStatus[]> {
    return Promise.all(
      this.nodes.map(async (n): Promise<NodeStatus> => {
        const running = node.isRunning(n);
        const linkOut = net.netnsExists(n.netns) ? ((await net.portUp(n)) ? "up" : "down") : "absent";
        let sshOk = false;
        let system: string | undefined;
        if (running) {
          const r = await ssh.exec(n, "systemctl is-system-running", { connectTimeoutSec: 2, timeoutMs: 8_000 });
          sshOk = r.code !== 255;
          system = sshOk ? r.stdout.trim() : undefined;
        }
        return {
          name: n.name,
          ip: n.ip,
          running,
          nspawnPid: running ? node.nspawnPid(n) : undefined,
          link: linkOut,
          partitioned: await net.isPartitioned(n),
          mounted: disk.isMounted(n),
          ssh: sshOk,
          system,
          memoryBytes: running ? cgroup.memoryBytes(n.name).bytes : undefined,
        };
      }),
    );
  }

  /** Connection arguments for a node, shaped like @pulumi/command's remote.ConnectionArgs. */
  connection(ref: NodeRef, opts: { user?: string } = {}): Connection {
    const n = this.node(ref);
    const id = readNodeIdentity(n);
    if (!id) throw new Error(`[lab] ${n.name} has no identity yet (run 'lab up')`);
    return {
      host: n.ip,
      port: 22,
      user: opts.user ?? "root",
      privateKey: fs.readFileSync(adminKeyPath(), "utf8"),
      privateKeyPath: adminKeyPath(),
      hostKey: id.hostKey,
      knownHostsPath: knownHostsPath(),
    };
  }

  /** Run a command on a node over SSH (as root unless opts.user). code 255 = SSH failed. */
  exec(ref: NodeRef, cmd: string | string[], opts: ssh.ExecOptions = {}): Promise<RunResult> {
    return ssh.exec(this.node(ref), cmd, opts);
  }

  /** Hard power-off: all processes of the node die at once, its network port goes dark. */
  async kill(ref: NodeRef): Promise<void> {
    const n = this.node(ref);
    await withLock(lockFile(), () => node.powerOff(n));
  }

  /** Boot a node again with its disk as it was; no-op if running and healthy. */
  async start(ref: NodeRef): Promise<NodeReport> {
    const n = this.node(ref);
    preflight(TOOLS_UP);
    return withLock(lockFile(), async () => {
      if (await this.healthy(n)) {
        const st = (await ssh.exec(n, "systemctl is-system-running", { timeoutMs: 15_000 })).stdout.trim();
        return { name: n.name, ip: n.ip, reused: true, state: st, failed: st === "running" ? [] : await node.failedUnits(n) };
      }
      const image = await ensureImage(this.log);
      const admin = await ensureAdminKey();
      await net.ensureBridge();
      await this.bootLocked(n, image.rootfs, admin.publicKey, this.nodes);
      return { name: n.name, ip: n.ip, reused: false, ...(await node.waitReady(n)) };
    });
  }

  /** Fresh disk: power off, drop the node's overlay upper layer, boot again (same IP, host key). */
  async reset(ref: NodeRef): Promise<NodeReport> {
    const n = this.node(ref);
    preflight(TOOLS_UP);
    return withLock(lockFile(), async () => {
      await node.powerOff(n);
      await disk.unmount(n);
      disk.wipe(n);
      return this.start(n);
    });
  }

  /** Cut the node off from the other nodes, both directions; the host still reaches it. */
  async partition(ref: NodeRef): Promise<void> {
    const n = this.node(ref);
    await withLock(lockFile(), () => net.partition(n));
  }

  async heal(ref: NodeRef): Promise<void> {
    const n = this.node(ref);
    await withLock(lockFile(), () => net.heal(n));
  }

  memory(ref: NodeRef): { bytes: number; method: string } {
    return cgroup.memoryBytes(this.node(ref).name);
  }
}
