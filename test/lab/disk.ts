// A node's disk: an overlayfs whose lower layer is the shared, read-only base image and whose
// upper layer (all the node's writes) lives in the lab state. Wiping the upper layer = a fresh disk.
// The overlay is mounted in the host's mount namespace (outside nspawn), so it survives a killed
// container: `start` after `kill` finds the disk as it was.
import * as fs from "fs";
import * as path from "path";
import { NodeSpec, stateDir } from "./config";
import { NodeIdentity } from "./identity";
import { run, runOk } from "./sh";

export const nodeDir = (n: { name: string }) => path.join(stateDir(), n.name);
export const rootDir = (n: { name: string }) => path.join(nodeDir(n), "root"); // the merged view
const upperDir = (n: { name: string }) => path.join(nodeDir(n), "upper");
const workDir = (n: { name: string }) => path.join(nodeDir(n), "work");
const MARKER = "etc/pulumi-pigsty-lab.json"; // present once a disk has been given its identity

/** Mount points (from /proc/self/mountinfo) at or below `dir`, deepest first. */
export function mountsUnder(dir: string): string[] {
  const prefix = path.resolve(dir);
  return fs
    .readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((l) => l.split(" ")[4])
    .filter((mp): mp is string => !!mp)
    .map((mp) => mp.replace(/\\040/g, " "))
    .filter((mp) => mp === prefix || mp.startsWith(prefix + "/"))
    .sort((a, b) => b.length - a.length);
}

export const isMounted = (n: { name: string }) => mountsUnder(rootDir(n)).includes(rootDir(n));

export async function mount(n: NodeSpec, lower: string): Promise<void> {
  if (isMounted(n)) return;
  for (const d of [upperDir(n), workDir(n), rootDir(n)]) fs.mkdirSync(d, { recursive: true, mode: 0o755 });
  await runOk("mount", ["-t", "overlay", `pgsty-${n.name}`, "-o", `lowerdir=${lower},upperdir=${upperDir(n)},workdir=${workDir(n)}`, rootDir(n)]);
}

export async function unmount(n: { name: string }): Promise<void> {
  await unmountAll(nodeDir(n));
}

/** Unmount everything under dir (lazily as a last resort), so it can be deleted safely. */
export async function unmountAll(dir: string): Promise<void> {
  for (const mp of mountsUnder(dir)) {
    if ((await run("umount", [mp])).code !== 0) await runOk("umount", ["-l", mp]);
  }
  const left = mountsUnder(dir);
  if (left.length) throw new Error(`[lab] still mounted: ${left.join(", ")}`);
}

/** Fresh disk: drop every write the node ever made. Must be unmounted. */
export function wipe(n: { name: string }): void {
  if (mountsUnder(nodeDir(n)).length) throw new Error(`[lab] refusing to wipe ${n.name}: still mounted`);
  fs.rmSync(upperDir(n), { recursive: true, force: true });
  fs.rmSync(workDir(n), { recursive: true, force: true });
}

export const hasIdentity = (n: NodeSpec) => fs.existsSync(path.join(rootDir(n), MARKER));

/** Give a fresh disk its identity: hostname, hosts, machine-id, host key, authorized keys.
 *  Only on a fresh disk: later changes made on the node (e.g. a module setting the hostname) stay. */
export function seed(n: NodeSpec, id: NodeIdentity, adminPublicKey: string, allNodes: NodeSpec[]): void {
  const root = rootDir(n);
  const put = (rel: string, content: string, mode: number, uid = 0, gid = 0) => {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content, { mode });
    fs.chmodSync(file, mode);
    fs.chownSync(file, uid, gid);
  };
  put("etc/hostname", `${n.hostname}\n`, 0o644);
  put(
    "etc/hosts",
    ["127.0.0.1\tlocalhost", `127.0.1.1\t${n.hostname}`, "::1\tlocalhost ip6-localhost ip6-loopback", "", "# pulumi-pigsty lab nodes"]
      .concat(allNodes.map((x) => `${x.ip}\t${x.hostname}`))
      .join("\n") + "\n",
    0o644,
  );
  put("etc/machine-id", `${id.machineId}\n`, 0o444);
  put("etc/ssh/ssh_host_ed25519_key", fs.readFileSync(id.hostKeyFile, "utf8"), 0o600);
  put("etc/ssh/ssh_host_ed25519_key.pub", fs.readFileSync(`${id.hostKeyFile}.pub`, "utf8"), 0o644);

  put("root/.ssh/authorized_keys", `${adminPublicKey}\n`, 0o600);
  fs.chmodSync(path.join(root, "root/.ssh"), 0o700);
  const admin = passwdEntry(root, "admin");
  put("home/admin/.ssh/authorized_keys", `${adminPublicKey}\n`, 0o600, admin.uid, admin.gid);
  fs.chownSync(path.join(root, "home/admin/.ssh"), admin.uid, admin.gid);
  fs.chmodSync(path.join(root, "home/admin/.ssh"), 0o700);

  put(MARKER, JSON.stringify({ name: n.name, ip: n.ip, index: n.index }) + "\n", 0o644);
}

function passwdEntry(root: string, user: string): { uid: number; gid: number } {
  const line = fs
    .readFileSync(path.join(root, "etc/passwd"), "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`[lab] base image has no user '${user}'`);
  const f = line.split(":");
  return { uid: Number(f[2]), gid: Number(f[3]) };
}
