// pg_hba.conf and pgbouncer's pgb_hba.conf from Pigsty-style HBA rules
// (roles/pgsql/templates/pg_hba.conf, pgbouncer.hba): ordered, role-filtered, aliases expanded.
import { PgHostContext } from "../config/context";
import { pgInstance, pgPlaceholderValues, sortIps } from "../config/identity";
import { HbaRule, PgClusterConfig, PgMember } from "../config/pgsql";
import { expandPlaceholders } from "../config/placeholders";
import { header, pad } from "./util";

/** Rules in Pigsty's order: `order` ascending (stable), then rules without `order` as written. */
export function orderHbaRules(rules: HbaRule[]): HbaRule[] {
    const ordered = rules.map((r, i) => ({ r, i })).filter((x) => x.r.order !== undefined)
        .sort((a, b) => (a.r.order! - b.r.order!) || (a.i - b.i)).map((x) => x.r);
    return [...ordered, ...rules.filter((r) => r.order === undefined)];
}

/** Does a rule apply to this instance? common/default always; a role only on instances with that role. */
export function hbaRuleApplies(rule: HbaRule, member: PgMember): boolean {
    if (rule.role === "common" || rule.role === "default") return true;
    if (rule.role === "offline" && member.pg_offline_query) return true;
    return rule.role === member.pg_role;
}

/** Expands an `addr` alias into pg_hba address columns (`local` means a unix socket line). */
export function expandHbaAddr(addr: string, cluster: PgClusterConfig, ctx: PgHostContext): string[] {
    switch (addr) {
        case "local": return ["local"];
        case "localhost": return ["local", "127.0.0.1/32", "::1/128"];
        case "admin": return [`${ctx.node.admin_ip}/32`];
        case "infra": return sortIps(ctx.infraIps).map((ip) => `${ip}/32`);
        case "cluster": return sortIps(cluster.members.map((m) => m.ip)).map((ip) => `${ip}/32`);
        case "intra": case "intranet": return [...ctx.node.node_firewall_intranet];
        case "world": case "all": return ["0.0.0.0/0", "::/0"];
        default: return [addr.includes("/") ? addr : `${addr}/32`];
    }
}

/** Maps Pigsty's auth alias to `[connection type, method]` for PostgreSQL or pgbouncer. */
export function hbaAuth(auth: string, pwdEnc: string, pgbouncer: boolean): { ssl: boolean; method: string } {
    const pwd = pwdEnc === "md5" ? "md5" : "scram-sha-256";
    switch (auth) {
        case "pwd": return { ssl: false, method: pwd };
        case "ssl": return { ssl: true, method: pwd };
        case "sha": return { ssl: false, method: "scram-sha-256" };
        case "ssl-sha": return { ssl: true, method: "scram-sha-256" };
        case "md5": return { ssl: false, method: "md5" };
        case "ssl-md5": return { ssl: true, method: "md5" };
        case "deny": return { ssl: false, method: "reject" };
        case "cert": return { ssl: true, method: "cert" };
        case "trust": return { ssl: false, method: "trust" };
        case "ident": case "os": return { ssl: false, method: pgbouncer ? "peer" : "ident" };
        case "peer": return { ssl: false, method: "peer" };
        default: throw new Error(`unknown hba auth ${auth}`);
    }
}

function renderRules(rules: HbaRule[], cluster: PgClusterConfig, member: PgMember, ctx: PgHostContext, pgbouncer: boolean, param: string): string[] {
    const ph = pgPlaceholderValues(cluster, member, ctx.node);
    const out: string[] = [];
    for (const rule of orderHbaRules(rules)) {
        const active = hbaRuleApplies(rule, member);
        const prefix = active ? "" : "#";
        const title = rule.title ?? (rule.rules ? "raw rules" : `${rule.user ?? "all"} ${rule.db ?? "all"} ${rule.addr} ${rule.auth}`);
        out.push("");
        out.push(`#${rule.order !== undefined ? `[${rule.order}] ` : ""}${title}${rule.role !== "common" ? ` (role: ${rule.role}${active ? "" : ", inactive on this instance"})` : ""}`);
        if (rule.rules) {
            for (const l of rule.rules) out.push(prefix + expandPlaceholders(l, ph, `${cluster.pg_cluster}: ${param}`));
            continue;
        }
        const user = expandPlaceholders(rule.user ?? "all", ph, `${cluster.pg_cluster}: ${param}.user`);
        const db = rule.db ?? "all";
        const { ssl, method } = hbaAuth(rule.auth!, cluster.pg_pwd_enc, pgbouncer);
        for (const a of expandHbaAddr(rule.addr!, cluster, ctx)) {
            if (a === "local") out.push(prefix + pad("local", 8) + pad(db, 16) + pad(user, 24) + pad("", 20) + method);
            else out.push(prefix + pad(ssl ? "hostssl" : "host", 8) + pad(db, 16) + pad(user, 24) + pad(a, 20) + method);
        }
    }
    return out;
}

/** The active pg_hba lines of an instance (no comments, single-spaced): Patroni's bootstrap.pg_hba. */
export function pgHbaActiveLines(cluster: PgClusterConfig, member: PgMember, ctx: PgHostContext): string[] {
    return renderRules([...cluster.pg_default_hba_rules, ...cluster.pg_hba_rules], cluster, member, ctx, false, "pg_hba_rules")
        .filter((l) => l !== "" && !l.startsWith("#")).map((l) => l.trim().replace(/\s+/g, " "));
}

/** /pg/data/pg_hba.conf of one instance: pg_default_hba_rules + pg_hba_rules. */
export function renderPgHba(cluster: PgClusterConfig, member: PgMember, ctx: PgHostContext): string {
    const body = renderRules([...cluster.pg_default_hba_rules, ...cluster.pg_hba_rules], cluster, member, ctx, false, "pg_hba_rules");
    return header(`pg_hba.conf of ${pgInstance(cluster, member)} (role ${member.pg_role})`) +
        `# ${pad("TYPE", 6)}${pad("DATABASE", 16)}${pad("USER", 24)}${pad("ADDRESS", 20)}METHOD\n` + body.join("\n") + "\n";
}

/** /etc/pgbouncer/pgb_hba.conf of one instance: pgb_default_hba_rules + pgb_hba_rules. */
export function renderPgbHba(cluster: PgClusterConfig, member: PgMember, ctx: PgHostContext): string {
    const body = renderRules([...cluster.pgb_default_hba_rules, ...cluster.pgb_hba_rules], cluster, member, ctx, true, "pgb_hba_rules");
    return header(`pgbouncer hba of ${pgInstance(cluster, member)} (role ${member.pg_role})`) + body.join("\n") + "\n";
}
