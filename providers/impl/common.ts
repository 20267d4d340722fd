import { randomBytes } from "crypto";
import { Connection, resolveConnection, ResolvedConnection } from "../../lib/ssh";

/** What the engine sends for values not known yet (previews). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

/** Structural equality for JSON-like values (key order does not matter). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** True when the value differs or is not known yet (so a preview never hides a possible change). */
export const changed = (olds: unknown, news: unknown) => containsUnknown(news) || !deepEqual(olds, news);

export const newId = (prefix: string) => `${prefix}-${randomBytes(6).toString("hex")}`;

export interface CheckFailure {
  property: string;
  reason: string;
}

/** Validate the connection input; the failures name the offending field. */
export function checkConnection(c: unknown, failures: CheckFailure[], at = "connection"): void {
  if (containsUnknown(c)) return;
  if (!c || typeof c !== "object") {
    failures.push({ property: at, reason: `${at} is required: { host, user?, privateKey?|password?, hostKey?|knownHostsFile? }` });
    return;
  }
  const x = c as Record<string, unknown>;
  if (typeof x.host !== "string" || !x.host.trim()) failures.push({ property: `${at}.host`, reason: `${at}.host is required` });
  if (x.port !== undefined && (!Number.isInteger(x.port) || (x.port as number) < 1 || (x.port as number) > 65535)) {
    failures.push({ property: `${at}.port`, reason: `${at}.port must be an integer 1-65535 (got ${JSON.stringify(x.port)})` });
  }
  if (!x.privateKey && !x.password && !x.agentSocketPath && !process.env.SSH_AUTH_SOCK) {
    failures.push({ property: `${at}.privateKey`, reason: `${at} of ${String(x.host)} has no credentials: set privateKey or password` });
  }
  if (!x.hostKey && !x.knownHostsFile && !x.insecureIgnoreHostKey) {
    failures.push({
      property: `${at}.hostKey`,
      reason: `${at} of ${String(x.host)} has no host key to verify: set hostKey or knownHostsFile (or insecureIgnoreHostKey: true, knowingly)`,
    });
  }
  for (const k of ["dialErrorLimit", "perDialTimeout"]) {
    if (x[k] !== undefined && !Number.isInteger(x[k])) failures.push({ property: `${at}.${k}`, reason: `${at}.${k} must be an integer` });
  }
  if (x.proxy !== undefined) checkConnection(x.proxy, failures, `${at}.proxy`);
}

export const asConnection = (c: unknown): ResolvedConnection => resolveConnection(c as Connection);

/** A host's identity: changing any of these means a different machine, so the resource is replaced. */
export function identityChanged(olds: unknown, news: unknown): boolean {
  const o = (olds ?? {}) as Record<string, unknown>;
  const n = (news ?? {}) as Record<string, unknown>;
  return changed(o.host, n.host) || changed(o.port ?? 22, n.port ?? 22) || changed(o.user ?? "root", n.user ?? "root");
}

/** Every credential in a connection, to be masked in messages. */
export function connectionSecrets(c: unknown): string[] {
  const x = (c ?? {}) as Record<string, unknown>;
  const own = [x.password, x.privateKey, x.privateKeyPassword].filter((v): v is string => typeof v === "string");
  return x.proxy ? [...own, ...connectionSecrets(x.proxy)] : own;
}

/**
 * Error carrying the resource's id and properties: the engine records the resource as created but
 * failed to initialize, so the next `up` resumes with an update instead of forgetting it.
 * `__provider` must be carried along, or later operations could not find their provider.
 */
export function partialFailure(e: unknown, id: string, properties: Record<string, unknown>): Error {
  const err = e instanceof Error ? e : new Error(String(e));
  return Object.assign(err, { id, properties, reasons: [err.message] });
}
