// `${name}` placeholders as Pigsty uses them in parameter values. One function expands them all, so
// every renderer agrees on their meaning, and an unknown placeholder is an error naming the field.
import { ConfigError, ConfigIssue } from "./common";

/** Every placeholder Pigsty documents (§1.4 of the facts); values are supplied per use site. */
export const KNOWN_PLACEHOLDERS = [
    "admin_ip", "dbsu", "repl", "monitor", "admin", "ip", "lo", "vip", "pg_cluster", "pg_version",
    "minio_cluster", "minio_seq",
] as const;
export type PlaceholderName = (typeof KNOWN_PLACEHOLDERS)[number];
export type PlaceholderValues = Partial<Record<PlaceholderName, string | number>>;

const PLACEHOLDER_RE = /\$\{([^}]*)\}/g;

/** Names of the placeholders used in `text`. */
export function placeholdersIn(text: string): string[] {
    return [...text.matchAll(PLACEHOLDER_RE)].map((m) => m[1]);
}

/**
 * Checks that `text` only uses placeholders from `allowed` (default: all known ones). Returns issues
 * located at `where` (e.g. `pg-test: pg_hba_rules[3].user`).
 */
export function checkPlaceholders(text: string, where: string, allowed: readonly string[] = KNOWN_PLACEHOLDERS): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    for (const name of placeholdersIn(text)) {
        if (!(KNOWN_PLACEHOLDERS as readonly string[]).includes(name)) {
            issues.push({ path: where, message: `unknown placeholder \${${name}} (known: ${KNOWN_PLACEHOLDERS.map((k) => `\${${k}}`).join(" ")})` });
        } else if (!allowed.includes(name)) {
            issues.push({ path: where, message: `placeholder \${${name}} is not available here (allowed: ${allowed.map((k) => `\${${k}}`).join(" ") || "none"})` });
        }
    }
    return issues;
}

/**
 * Replaces every `${name}` in `text` with `values[name]`. Throws ConfigError naming `where` when a
 * placeholder is unknown or has no value in this context.
 */
export function expandPlaceholders(text: string, values: PlaceholderValues, where: string): string {
    const issues: ConfigIssue[] = [];
    const out = text.replace(PLACEHOLDER_RE, (whole, name: string) => {
        const v = (values as Record<string, string | number | undefined>)[name];
        if (v === undefined) {
            issues.push(...(checkPlaceholders(whole, where).length > 0
                ? checkPlaceholders(whole, where)
                : [{ path: where, message: `placeholder \${${name}} has no value here` }]));
            return whole;
        }
        return String(v);
    });
    if (issues.length > 0) throw new ConfigError(issues);
    return out;
}
