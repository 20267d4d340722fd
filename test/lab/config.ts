// Names, addresses and paths of the lab, in one place. Everything the lab creates on the host
// carries the "pgsty" prefix, so cleanup can find leftovers of a crashed run by name alone.
import * as os from "os";
import * as path from "path";

// Root shells do not always have the sbin directories on PATH (su without -, sudo's secure_path
// varies), yet ip, debootstrap and mount live there. Add them once, for every tool we spawn.
for (const dir of ["/usr/local/sbin", "/usr/sbin", "/sbin"]) {
  const parts = (process.env.PATH ?? "/usr/bin:/bin").split(":");
  if (!parts.includes(dir)) process.env.PATH = `${parts.join(":")}:${dir}`;
}

export const SUBNET_PREFIX = "10.10.10"; // Pigsty's sandbox network
export const GATEWAY_IP = `${SUBNET_PREFIX}.1`;
export const FIRST_HOST = 10; // nodes are 10.10.10.10, .11, … like Pigsty's sandbox
export const MAX_NODES = 254 - FIRST_HOST + 1;
export const DEFAULT_NODES = 4;
export const BRIDGE = "pgstybr0";
export const NETNS_PREFIX = "pgsty-"; // /run/netns/pgsty-node-10
export const VETH_PREFIX = "pgstyv"; // host side of node 10's veth: pgstyv10 (<= 15 chars)
export const NFT_TABLE = "pgsty_lab"; // `bridge` family table holding partition rules
export const CGROUP_DIR = "pgsty-lab"; // <cgroup root>/pgsty-lab/node-10

export const SUITE = "bookworm";
export const MIRROR = process.env.PIGSTY_LAB_MIRROR ?? "http://deb.debian.org/debian";
export const SECURITY_MIRROR = process.env.PIGSTY_LAB_SECURITY_MIRROR ?? "http://deb.debian.org/debian-security";

/** Lab state (overlay uppers, keys, pid files). `down` deletes it entirely. */
export function stateDir(): string {
  const dir = path.resolve(process.env.PIGSTY_LAB_STATE_DIR ?? "/var/lib/pulumi-pigsty-lab");
  // `down` unmounts everything below this directory and deletes it: never let that be "/" or /var.
  if (dir.split("/").filter(Boolean).length < 2) throw new Error(`[lab] PIGSTY_LAB_STATE_DIR too shallow: ${dir}`);
  return dir;
}

/** Image cache, shared with the rest of the project's caches and kept across `down`. */
export function cacheDir(): string {
  return path.join(process.env.PIGSTY_CACHE_DIR ?? path.join(os.homedir(), ".cache", "pulumi-pigsty"), "lab");
}

/** Where the files of this directory live (build script, package list), for both ts-jest and dist/. */
export function sourceDir(): string {
  // dist/test/lab/*.js → test/lab (the .sh/.txt files are not copied by tsc)
  const here = __dirname;
  const distMarker = `${path.sep}dist${path.sep}test${path.sep}lab`;
  return here.endsWith(distMarker) ? here.slice(0, -distMarker.length) + `${path.sep}test${path.sep}lab` : here;
}

export interface NodeSpec {
  index: number; // 0-based position in the lab
  ip: string; // 10.10.10.(10+index)
  hostname: string; // node-10, node-11, … (last octet: unambiguous for any lab size)
  name: string; // same as hostname; used for state dir, cgroup, nspawn machine name
  netns: string;
  veth: string;
}

export function nodeSpec(index: number): NodeSpec {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_NODES) throw new Error(`[lab] no node index ${index}`);
  const octet = FIRST_HOST + index;
  const name = `node-${octet}`;
  return { index, ip: `${SUBNET_PREFIX}.${octet}`, hostname: name, name, netns: `${NETNS_PREFIX}${name}`, veth: `${VETH_PREFIX}${octet}` };
}

/** Resolve a NODE argument: an index (0..), an IP (10.10.10.x) or a hostname (node-x). */
export function resolveNode(ref: string | number): NodeSpec {
  const s = String(ref).trim();
  if (/^\d+$/.test(s)) return nodeSpec(Number(s));
  let m = new RegExp(`^${SUBNET_PREFIX.replace(/\./g, "\\.")}\\.(\\d+)$`).exec(s);
  if (m && Number(m[1]) >= FIRST_HOST) return nodeSpec(Number(m[1]) - FIRST_HOST);
  m = /^node-(\d+)$/.exec(s);
  if (m && Number(m[1]) >= FIRST_HOST) return nodeSpec(Number(m[1]) - FIRST_HOST);
  throw new Error(`[lab] unknown node '${s}': give an index (0, 1, …), an IP (${SUBNET_PREFIX}.10, …) or a hostname (node-10, …)`);
}
