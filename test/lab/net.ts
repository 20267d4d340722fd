// The lab network: one bridge on the host (the gateway, 10.10.10.1/24) and per node a network
// namespace with a veth whose host end is a bridge port. Nothing is routed or NATed to the outside:
// lab traffic stays between the nodes and the host.
//
// Faults live here too, on the HOST side, where a node's own root cannot undo them (our modules
// manage nftables inside the nodes and may flush their ruleset):
//   power-off  = the node's bridge port goes down: packets to it vanish (timeouts, like a dead host)
//   partition  = a `bridge` family nft rule drops everything forwarded to/from the node's port, so
//                node<->node traffic dies both ways, while node<->host traffic (delivered to the
//                bridge itself, not forwarded) still flows and tests can observe the node.
import * as fs from "fs";
import { BRIDGE, GATEWAY_IP, NETNS_PREFIX, NFT_TABLE, NodeSpec, VETH_PREFIX } from "./config";
import { run, runOk } from "./sh";

const linkExists = async (name: string, netns?: string) =>
  (await run("ip", [...(netns ? ["-n", netns] : []), "link", "show", "dev", name])).code === 0;

export const netnsExists = (ns: string) => fs.existsSync(`/run/netns/${ns}`);

export async function ensureBridge(): Promise<void> {
  if (!(await linkExists(BRIDGE))) {
    await runOk("ip", ["link", "add", BRIDGE, "type", "bridge"]);
  }
  const addrs = await runOk("ip", ["-4", "-o", "addr", "show", "dev", BRIDGE]);
  if (!addrs.includes(`${GATEWAY_IP}/24`)) await runOk("ip", ["addr", "add", `${GATEWAY_IP}/24`, "dev", BRIDGE]);
  await runOk("ip", ["link", "set", BRIDGE, "up"]);
  await ensureNftTable();
}

/** Namespace + veth + addresses for one node. Idempotent; a half-built one is rebuilt. */
export async function ensureNodeNet(n: NodeSpec): Promise<void> {
  const complete = netnsExists(n.netns) && (await linkExists(n.veth)) && (await linkExists("eth0", n.netns));
  if (!complete) {
    await removeNodeNet(n);
    await runOk("ip", ["netns", "add", n.netns]);
    await runOk("ip", ["link", "add", n.veth, "type", "veth", "peer", "name", "eth0", "netns", n.netns]);
    await runOk("ip", ["link", "set", n.veth, "master", BRIDGE]);
    await runOk("ip", ["-n", n.netns, "addr", "add", `${n.ip}/24`, "dev", "eth0"]);
    await runOk("ip", ["-n", n.netns, "link", "set", "lo", "up"]);
    await runOk("ip", ["-n", n.netns, "link", "set", "eth0", "up"]);
    await runOk("ip", ["-n", n.netns, "route", "add", "default", "via", GATEWAY_IP]);
  }
  await setPort(n, true);
}

/** Bring the node's bridge port up/down (down = the node is off the wire). */
export async function setPort(n: NodeSpec, up: boolean): Promise<void> {
  await runOk("ip", ["link", "set", n.veth, up ? "up" : "down"]);
}

export async function portUp(n: NodeSpec): Promise<boolean> {
  const r = await run("ip", ["-o", "link", "show", "dev", n.veth]);
  return r.code === 0 && /[<,]UP[,>]/.test(r.stdout);
}

export async function removeNodeNet(n: { netns: string; veth: string }): Promise<void> {
  if (await linkExists(n.veth)) await run("ip", ["link", "del", n.veth]); // also removes the peer
  if (netnsExists(n.netns)) await runOk("ip", ["netns", "del", n.netns]);
}

/** Namespaces and veths of the lab that exist on the host (found by prefix: survives a crash). */
export async function listNodeNets(): Promise<{ netns: string[]; veths: string[] }> {
  const netns = fs.existsSync("/run/netns") ? fs.readdirSync("/run/netns").filter((x) => x.startsWith(NETNS_PREFIX)) : [];
  const links = await runOk("ip", ["-o", "link", "show"]);
  const veths = [...links.matchAll(/^\d+:\s+([^:@\s]+)/gm)].map((m) => m[1]).filter((x) => x.startsWith(VETH_PREFIX));
  return { netns, veths };
}

export async function bridgeExists(): Promise<boolean> {
  return linkExists(BRIDGE);
}

/** Tear the whole lab network down: every node's namespace and veth, the nft table, the bridge. */
export async function removeAll(): Promise<void> {
  const { netns, veths } = await listNodeNets();
  for (const v of veths) await run("ip", ["link", "del", v]);
  for (const ns of netns) await runOk("ip", ["netns", "del", ns]);
  if ((await run("nft", ["list", "table", "bridge", NFT_TABLE])).code === 0) await runOk("nft", ["delete", "table", "bridge", NFT_TABLE]);
  if (await linkExists(BRIDGE)) await runOk("ip", ["link", "del", BRIDGE]);
}

// --- partitions ---------------------------------------------------------------------------

async function ensureNftTable(): Promise<void> {
  // `add` is idempotent for tables and chains. The forward hook of the bridge family sees only
  // frames switched between ports (node<->node), never frames for the host itself.
  await runOk("nft", ["add", "table", "bridge", NFT_TABLE]);
  await runOk("nft", ["add", "chain", "bridge", NFT_TABLE, "forward", "{ type filter hook forward priority 0; policy accept; }"]);
}

const commentOf = (n: NodeSpec) => `partition-${n.name}`;

async function partitionHandles(n: NodeSpec): Promise<string[]> {
  const r = await run("nft", ["-a", "list", "chain", "bridge", NFT_TABLE, "forward"]);
  if (r.code !== 0) return [];
  const re = new RegExp(`comment "${commentOf(n)}".*# handle (\\d+)`, "g");
  return [...r.stdout.matchAll(re)].map((m) => m[1]);
}

export async function isPartitioned(n: NodeSpec): Promise<boolean> {
  return (await partitionHandles(n)).length > 0;
}

export async function partition(n: NodeSpec): Promise<void> {
  await ensureNftTable();
  if (await isPartitioned(n)) return;
  for (const dir of ["iifname", "oifname"]) {
    await runOk("nft", ["add", "rule", "bridge", NFT_TABLE, "forward", dir, n.veth, "drop", "comment", `"${commentOf(n)}"`]);
  }
}

export async function heal(n: NodeSpec): Promise<void> {
  for (const h of await partitionHandles(n)) await runOk("nft", ["delete", "rule", "bridge", NFT_TABLE, "forward", "handle", h]);
}
