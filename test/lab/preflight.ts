// Refuse early, with a message naming what is missing, instead of failing half way through `up`
// with a cryptic ENOENT or EPERM.
import * as fs from "fs";
import * as path from "path";
import "./config"; // PATH includes the sbin directories

/** Host tool → Debian package providing it (scripts/lab-packages.txt lists the packages). */
const TOOLS: Record<string, string> = {
  "systemd-nspawn": "systemd-container",
  debootstrap: "debootstrap",
  ip: "iproute2",
  nft: "nftables",
  ssh: "openssh-client",
  "ssh-keygen": "openssh-client",
  unshare: "util-linux",
  setpriv: "util-linux",
  mount: "mount",
  umount: "mount",
};
export type Tool = keyof typeof TOOLS;

export const TOOLS_UP: Tool[] = Object.keys(TOOLS);
export const TOOLS_DOWN: Tool[] = ["ip", "nft", "umount"];
export const TOOLS_SSH: Tool[] = ["ssh"];

function onPath(bin: string): boolean {
  const dirs = (process.env.PATH ?? "").split(":").filter(Boolean); // config.ts added the sbin dirs
  return dirs.some((d) => {
    try {
      fs.accessSync(path.join(d, bin), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Problems that stop the lab on this machine ([] = fine). */
export function problems(tools: Tool[], needRoot = true): string[] {
  const out: string[] = [];
  if (needRoot && process.getuid && process.getuid() !== 0) {
    out.push("the lab must run as root (it creates a bridge, network namespaces, overlay mounts and containers)");
  }
  const missing = tools.filter((t) => !onPath(t));
  if (missing.length) {
    const pkgs = [...new Set(missing.map((t) => TOOLS[t]))];
    out.push(`missing host tools: ${missing.join(", ")} (apt-get install ${pkgs.join(" ")}; see scripts/lab-packages.txt)`);
  }
  if (tools.includes("systemd-nspawn")) {
    const fsList = fs.existsSync("/proc/filesystems") ? fs.readFileSync("/proc/filesystems", "utf8") : "";
    if (!/\boverlay\b/.test(fsList)) out.push("the kernel has no overlay filesystem (modprobe overlay)");
  }
  return out;
}

export class PreflightError extends Error {}

export function preflight(tools: Tool[], needRoot = true): void {
  const p = problems(tools, needRoot);
  if (p.length) throw new PreflightError(`[lab] cannot run here:\n  - ${p.join("\n  - ")}`);
}
