// Shared building blocks for the module schemas: the error type every validator throws, the
// conversion of zod issues into located messages, and small zod helpers for values that YAML
// (and Ansible's YAML 1.1 habits) hand us in more than one shape.
import { z } from "zod";

/** One validation problem: where (`<group>/<host>: <param>` or similar) and which rule was broken. */
export interface ConfigIssue {
    path: string;
    message: string;
}

/**
 * Thrown once per validation run with every problem found, so a user fixes an inventory in one pass
 * instead of one error per `pulumi preview`.
 */
export class ConfigError extends Error {
    readonly issues: ConfigIssue[];
    constructor(issues: ConfigIssue[]) {
        super(`invalid configuration (${issues.length} issue${issues.length === 1 ? "" : "s"}):\n` +
            issues.map((i) => `  - ${i.path}: ${i.message}`).join("\n"));
        this.name = "ConfigError";
        this.issues = issues;
    }
}

/** Collects issues from many checks; `throwIfAny` raises one ConfigError listing all of them. */
export class IssueCollector {
    readonly issues: ConfigIssue[] = [];
    add(path: string, message: string): void {
        this.issues.push({ path, message });
    }
    addAll(issues: ConfigIssue[]): void {
        this.issues.push(...issues);
    }
    get empty(): boolean {
        return this.issues.length === 0;
    }
    throwIfAny(): void {
        if (this.issues.length > 0) throw new ConfigError(this.issues);
    }
}

/** Renders a zod path (`["pg_users", 2, "name"]`) the way Pigsty users write it: `pg_users[2].name`. */
export function formatZodPath(path: ReadonlyArray<PropertyKey>): string {
    let out = "";
    for (const p of path) {
        if (typeof p === "number") out += `[${p}]`;
        else out += out === "" ? String(p) : `.${String(p)}`;
    }
    return out === "" ? "(root)" : out;
}

/**
 * Parses `input` with `schema`; on failure returns located issues (`<where>: <param>`) instead of
 * throwing so callers can gather problems from many hosts before raising one error.
 */
export function parseWith<S extends z.ZodType>(
    schema: S, input: unknown, where: string,
): { value?: z.output<S>; issues: ConfigIssue[] } {
    const r = schema.safeParse(input);
    if (r.success) return { value: r.data, issues: [] };
    return {
        issues: r.error.issues.map((i) => ({ path: `${where}: ${formatZodPath(i.path)}`, message: i.message })),
    };
}

/** Parses or throws a ConfigError (for direct TypeScript use of a single schema). */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
    const r = parseWith(schema, input, where);
    if (r.issues.length > 0) throw new ConfigError(r.issues);
    return r.value as z.output<S>;
}

// ---------------------------------------------------------------------------------------------
// Value helpers

const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIPv4(s: string): boolean {
    return IPV4_RE.test(s);
}

/** `a.b.c.d` or `a.b.c.d/n` with 0 ≤ n ≤ 32. */
export function isIPv4Cidr(s: string): boolean {
    const [ip, mask, ...rest] = s.split("/");
    if (rest.length > 0 || !isIPv4(ip)) return false;
    if (mask === undefined) return true;
    return /^\d{1,2}$/.test(mask) && Number(mask) <= 32;
}

export const ipv4 = z.string().refine(isIPv4, { message: "must be an IPv4 address" });
export const ipv4Cidr = z.string().refine(isIPv4Cidr, { message: "must be an IPv4 address or CIDR (a.b.c.d/n)" });

/**
 * Boolean that also accepts YAML 1.1 spellings (`yes`, `no`, `on`, `off`, `y`, `n`) and `"true"`:
 * Pigsty inventories are written for Ansible's YAML 1.1 loader, we parse with YAML 1.2.
 */
export type YamlBool = boolean | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n";
export const bool = z.preprocess((v) => {
    if (typeof v === "string") {
        const s = v.trim().toLowerCase();
        if (["true", "yes", "on", "y"].includes(s)) return true;
        if (["false", "no", "off", "n"].includes(s)) return false;
    }
    return v;
}, z.boolean()) as unknown as z.ZodType<boolean, YamlBool>; // typed input: autocompletion for users

/** Integer that also accepts a string of digits (`pg_seq: "1"` from templated inventories). */
export function int(refine: (n: z.ZodNumber) => z.ZodNumber = (n) => n): z.ZodType<number, number | `${number}`> {
    return z.preprocess((v) => (typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : v), refine(z.number().int())) as unknown as z.ZodType<number, number | `${number}`>;
}

export const port = z.preprocess(
    (v) => (typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : v),
    z.number().int().min(1, "port must be 1-65535").max(65535, "port must be 1-65535"),
) as unknown as z.ZodType<number, number | `${number}`>;

/** A list given either as YAML list or as a comma-separated string (Pigsty accepts both in places). */
export function listOrCsv<T extends z.ZodType>(item: T) {
    return z.preprocess((v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter((s) => s !== "") : v), z.array(item));
}

/**
 * A secret parameter. Schemas hold plain strings: components resolve `pulumi.Input<string>` secrets
 * (with `pulumi.all(...).apply`) before they call the pure renderers, and store the rendered files as
 * secret outputs. See `SECRET_PARAMS` in index.ts for the list of such parameters.
 */
export const secret = z.string();

/** Duration in Pigsty/Go style (`10s`, `24h`, `1.5s`, `15min`). */
export const duration = z.string().regex(/^\d+(\.\d+)?(ms|s|m|min|h|d)$/, "must be a duration like 10s, 5m, 24h");
