import * as pulumi from "@pulumi/pulumi";
import { exec, shellQuote, sharedPool } from "../../lib/ssh";
import { asConnection, changed, CheckFailure, checkConnection, containsUnknown, identityChanged, newId } from "./common";

/**
 * Packages present on a host. Checked first and installed only when missing, so hosts without a
 * reachable repository work as long as the packages are already there (as in our lab image).
 * Delete leaves packages installed (removing software is never a side effect of destroy).
 */
export interface PackagesInputs {
  connection: Record<string, unknown>;
  packages: string[];
  __provider?: string;
}
export interface PackagesOutputs extends PackagesInputs {
  /** Of `packages`, those missing at the last refresh (drift). */
  missing: string[];
}

const PKG = /^[a-z0-9][a-z0-9+.:_-]*$/i;

/** Prints the missing packages, one per line; dpkg or rpm, whichever the host has. */
export function missingScript(pkgs: string[]): string {
  const list = pkgs.map(shellQuote).join(" ");
  return `for p in ${list}; do
  if command -v dpkg-query >/dev/null 2>&1; then dpkg-query -W -f='\${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  else rpm -q "$p" >/dev/null 2>&1 || echo "$p"; fi
done`;
}

export function installScript(pkgs: string[]): string {
  return `set -e
missing=$(${missingScript(pkgs)})
[ -z "$missing" ] && exit 0
echo "installing: $missing" >&2
if command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends $missing || { apt-get update -q && apt-get install -y -q --no-install-recommends $missing; }
elif command -v dnf >/dev/null 2>&1; then dnf install -y $missing
else echo "no apt-get or dnf on this host; cannot install: $missing" >&2; exit 1; fi`;
}

async function missing(p: PackagesInputs): Promise<string[]> {
  const { stdout } = await exec(sharedPool(), asConnection(p.connection), { command: missingScript(p.packages), step: "check packages", timeoutSeconds: 120 });
  return stdout.split("\n").map((s) => s.trim()).filter(Boolean);
}

async function ensure(p: PackagesInputs): Promise<PackagesOutputs> {
  await exec(sharedPool(), asConnection(p.connection), { command: installScript(p.packages), step: `install packages ${p.packages.join(" ")}`, timeoutSeconds: 1800 });
  return { ...p, missing: await missing(p) };
}

export const packages: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    const failures: CheckFailure[] = [];
    checkConnection(news.connection, failures);
    if (!containsUnknown(news.packages)) {
      if (!Array.isArray(news.packages) || news.packages.length === 0) failures.push({ property: "packages", reason: "packages must be a non-empty list" });
      else for (const p of news.packages) if (typeof p !== "string" || !PKG.test(p)) failures.push({ property: "packages", reason: `"${p}" is not a valid package name` });
    }
    const pkgs = Array.isArray(news.packages) ? [...new Set(news.packages as string[])].sort() : news.packages;
    return { inputs: { ...news, packages: pkgs }, failures };
  },
  async diff(_id, olds: PackagesOutputs, news: PackagesInputs) {
    const replaces = identityChanged(olds.connection, news.connection) ? ["connection"] : [];
    const changes = replaces.length > 0 || (olds.missing ?? []).length > 0 || changed(olds.packages, news.packages) || changed(olds.connection, news.connection);
    return { changes, replaces };
  },
  async create(inputs: PackagesInputs) {
    return { id: newId("pkgs"), outs: await ensure(inputs) };
  },
  async read(id, props: PackagesOutputs) {
    return { id, props: { ...props, missing: await missing(props) } };
  },
  async update(_id, _olds: PackagesOutputs, news: PackagesInputs) {
    return { outs: await ensure(news) };
  },
  async delete() {
    // Packages stay installed.
  },
};
