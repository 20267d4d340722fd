// Keys and ids: one admin key per lab state (authorized for root and `admin` on every node), and
// per node a machine-id and SSH host key. Node identities are kept in the lab state, outside the
// node's disk, so `reset` (fresh disk) keeps the same host key: tests that pinned a hostKey keep
// working, like a reinstalled server whose keys were restored.
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { NodeSpec, stateDir } from "./config";
import { runOk } from "./sh";

export const adminKeyPath = () => path.join(stateDir(), "admin_ed25519");
export const knownHostsPath = () => path.join(stateDir(), "known_hosts");
export const identityDir = (n: NodeSpec) => path.join(stateDir(), n.name, "identity");

async function keygen(file: string, comment: string): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  await runOk("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file]);
  fs.chmodSync(file, 0o600);
}

export async function ensureAdminKey(): Promise<{ privateKey: string; publicKey: string }> {
  const file = adminKeyPath();
  if (!fs.existsSync(file) || !fs.existsSync(`${file}.pub`)) {
    fs.rmSync(file, { force: true });
    fs.rmSync(`${file}.pub`, { force: true });
    await keygen(file, "pulumi-pigsty-lab-admin");
  }
  return { privateKey: fs.readFileSync(file, "utf8"), publicKey: fs.readFileSync(`${file}.pub`, "utf8").trim() };
}

export interface NodeIdentity {
  machineId: string;
  hostKeyFile: string; // private key, installed as /etc/ssh/ssh_host_ed25519_key
  hostKey: string; // "ssh-ed25519 AAAA…" (authorized_keys format, no comment)
}

export async function ensureNodeIdentity(n: NodeSpec): Promise<NodeIdentity> {
  const dir = identityDir(n);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const idFile = path.join(dir, "machine-id");
  if (!fs.existsSync(idFile)) fs.writeFileSync(idFile, randomBytes(16).toString("hex") + "\n");
  const hostKeyFile = path.join(dir, "ssh_host_ed25519_key");
  if (!fs.existsSync(hostKeyFile) || !fs.existsSync(`${hostKeyFile}.pub`)) {
    fs.rmSync(hostKeyFile, { force: true });
    fs.rmSync(`${hostKeyFile}.pub`, { force: true });
    await keygen(hostKeyFile, `root@${n.hostname}`);
  }
  return readNodeIdentity(n)!;
}

export function readNodeIdentity(n: NodeSpec): NodeIdentity | undefined {
  const dir = identityDir(n);
  const hostKeyFile = path.join(dir, "ssh_host_ed25519_key");
  try {
    const pub = fs.readFileSync(`${hostKeyFile}.pub`, "utf8").trim().split(/\s+/);
    return { machineId: fs.readFileSync(path.join(dir, "machine-id"), "utf8").trim(), hostKeyFile, hostKey: `${pub[0]} ${pub[1]}` };
  } catch {
    return undefined;
  }
}

/** known_hosts for the whole lab: "10.10.10.10,node-10 ssh-ed25519 AAAA…", one line per node. */
export function writeKnownHosts(nodes: NodeSpec[]): string {
  const lines = nodes
    .map((n) => ({ n, id: readNodeIdentity(n) }))
    .filter((x) => x.id)
    .map(({ n, id }) => `${n.ip},${n.hostname} ${id!.hostKey}`);
  const file = knownHostsPath();
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, lines.join("\n") + "\n", { mode: 0o644 });
  fs.renameSync(tmp, file); // readers (ssh of a concurrent test) never see a half-written file
  return file;
}
