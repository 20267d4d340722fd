// Per-module validation: zod (shape, types, defaults) then cross-field rules Pigsty enforces in
// roles/pg_id, roles/pgsql templates and bin/validate, plus a few it does not (owners and granted
// roles must exist, service ports must not collide with the instance's own ports …).
// Each `check*` returns `{ value, issues }` without throwing, so the inventory loader can gather the
// problems of every host and cluster; the `parse*` wrappers throw one ConfigError.
import { ConfigError, ConfigIssue, parseWith } from "./common";
import { EtcdClusterConfig, EtcdMemberSchema, EtcdVarsSchema } from "./etcd";
import { InfraConfig, InfraMemberSchema, InfraVarsSchema } from "./infra";
import { MinioClusterConfig, MinioMemberSchema, MinioVarsSchema } from "./minio";
import { NodeConfig, NodeVarsSchema } from "./node";
import { HbaRule, PgClusterConfig, PgMember, PgMemberSchema, PgsqlVars, PgsqlVarsSchema } from "./pgsql";
import { checkPlaceholders } from "./placeholders";
import { RedisClusterConfig, RedisNodeSchema, RedisVarsSchema } from "./redis";
import { compileSelector } from "./selector";

export interface Checked<T> {
    value?: T;
    issues: ConfigIssue[];
}

function finish<T>(c: Checked<T>): T {
    if (c.issues.length > 0 || c.value === undefined) throw new ConfigError(c.issues);
    return c.value;
}

function duplicates<T>(items: T[]): T[] {
    const seen = new Set<T>(), dup = new Set<T>();
    for (const i of items) (seen.has(i) ? dup : seen).add(i);
    return [...dup];
}

/** Members given as host records (`{ip, ...host vars}`) with where-labels for messages. */
export interface MemberInput {
    /** Label used in messages, e.g. `pg-test/10.10.10.11`. */
    where?: string;
    vars: Record<string, unknown>;
}

function memberWhere(group: string, m: MemberInput, i: number): string {
    return m.where ?? `${group}/${typeof m.vars.ip === "string" ? m.vars.ip : `members[${i}]`}`;
}

// ---------------------------------------------------------------------------------------------
// NODE

/** Validates one node's merged vars; `ip` is the inventory hostname. */
export function checkNode(ip: string, vars: Record<string, unknown>, where = ip): Checked<NodeConfig> {
    const issues: ConfigIssue[] = [];
    const parsed = parseWith(NodeVarsSchema, vars, where);
    issues.push(...parsed.issues);
    const v = parsed.value;
    if (!v) return { issues };
    if (v.vip_enabled) {
        if (v.vip_address === undefined) issues.push({ path: `${where}: vip_address`, message: "is required when vip_enabled" });
        if (v.vip_vrid === undefined || v.vip_vrid <= 0 || v.vip_vrid >= 255) issues.push({ path: `${where}: vip_vrid`, message: "must be an integer with 0 < vip_vrid < 255 when vip_enabled" });
    }
    for (const d of duplicates(v.haproxy_services.map((s) => s.port))) issues.push({ path: `${where}: haproxy_services`, message: `port ${d} is used by more than one service` });
    for (const d of duplicates(v.haproxy_services.map((s) => s.name))) issues.push({ path: `${where}: haproxy_services`, message: `service name ${d} is used more than once` });
    const textLists: [string, string[]][] = [
        ["node_default_etc_hosts", v.node_default_etc_hosts], ["node_etc_hosts", v.node_etc_hosts], ["node_dns_servers", v.node_dns_servers],
        ["node_ntp_servers", v.node_ntp_servers],
    ];
    for (const [k, list] of textLists) list.forEach((s, i) => issues.push(...checkPlaceholders(s, `${where}: ${k}[${i}]`, ["admin_ip"])));
    const nodename = v.nodename ?? ip.replace(/\./g, "-");
    return { value: issues.length ? undefined : { ...v, ip, nodename }, issues };
}

// ---------------------------------------------------------------------------------------------
// PGSQL

const BUILTIN_ROLES = new Set([
    "pg_monitor", "pg_read_all_data", "pg_write_all_data", "pg_read_all_settings", "pg_read_all_stats", "pg_stat_scan_tables",
    "pg_signal_backend", "pg_read_server_files", "pg_write_server_files", "pg_execute_server_program", "pg_checkpoint",
    "pg_database_owner", "pg_use_reserved_connections", "pg_create_subscription", "pg_maintain", "pg_signal_autovacuum_worker",
]);

function checkHbaRules(rules: HbaRule[], where: string, param: string, pgbouncer: boolean): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    rules.forEach((r, i) => {
        const at = `${where}: ${param}[${i}]`;
        if (r.user !== undefined) issues.push(...checkPlaceholders(r.user, `${at}.user`, ["dbsu", "repl", "monitor", "admin"]));
        if (r.db !== undefined) issues.push(...checkPlaceholders(r.db, `${at}.db`, []));
        (r.rules ?? []).forEach((l, j) => issues.push(...checkPlaceholders(l, `${at}.rules[${j}]`, ["dbsu", "repl", "monitor", "admin", "admin_ip"])));
        if (pgbouncer && r.db === "replication") issues.push({ path: `${at}.db`, message: "replication is not allowed in pgbouncer rules" });
    });
    return issues;
}

/**
 * Validates a PostgreSQL cluster: cluster vars + members. Rules: name regex / not root (zod), each
 * member's pg_seq integer and unique, pg_role valid, exactly one primary, unique IPs; user/database
 * names unique; owners and granted roles defined; HBA placeholders; services (unique names and
 * ports, no clash with the instance's own ports, selectors parse); pg_listen placeholders and VIP;
 * pgbackrest_method names a repo; cascade upstreams are members.
 */
export function checkPgCluster(vars: Record<string, unknown>, members: MemberInput[], group?: string): Checked<PgClusterConfig> {
    const cls = typeof vars.pg_cluster === "string" ? vars.pg_cluster : (group ?? "pgsql");
    const where = group ?? cls;
    const issues: ConfigIssue[] = [];
    const parsed = parseWith(PgsqlVarsSchema, vars, where);
    issues.push(...parsed.issues);
    const v: PgsqlVars | undefined = parsed.value;

    const pm: PgMember[] = [];
    members.forEach((m, i) => {
        const r = parseWith(PgMemberSchema, m.vars, memberWhere(where, m, i));
        issues.push(...r.issues);
        if (r.value) pm.push(r.value);
    });
    if (members.length === 0) issues.push({ path: `${where}: members`, message: "a cluster needs at least one member" });
    for (const d of duplicates(pm.map((m) => m.pg_seq))) issues.push({ path: `${where}: pg_seq`, message: `pg_seq ${d} is used by more than one member (must be unique)` });
    for (const d of duplicates(pm.map((m) => m.ip))) issues.push({ path: `${where}: members`, message: `host ${d} is listed more than once` });
    const primaries = pm.filter((m) => m.pg_role === "primary");
    if (pm.length === members.length && members.length > 0 && primaries.length !== 1) {
        issues.push({ path: `${where}: pg_role`, message: `exactly one primary is required, found ${primaries.length}${primaries.length ? ` (${primaries.map((p) => p.ip).join(", ")})` : ""}` });
    }
    for (const m of pm) {
        if (m.pg_upstream !== undefined && m.pg_role !== "primary" && !pm.some((x) => x.ip === m.pg_upstream)) {
            issues.push({ path: `${where}/${m.ip}: pg_upstream`, message: `cascade source ${m.pg_upstream} is not a member of ${cls}` });
        }
        if (m.pg_upstream !== undefined && m.pg_role === "primary" && pm.some((x) => x.ip === m.pg_upstream)) {
            issues.push({ path: `${where}/${m.ip}: pg_upstream`, message: "a standby cluster's upstream must be outside the cluster" });
        }
        if (m.pg_upstream === m.ip) issues.push({ path: `${where}/${m.ip}: pg_upstream`, message: "must not point to the instance itself" });
    }

    if (v) {
        const allUsers = [...v.pg_default_roles, ...v.pg_users];
        v.pg_users.forEach((u, i) => {
            if (u.name === v.pg_dbsu && u.state === "absent") issues.push({ path: `${where}: pg_users[${i}].state`, message: `the dbsu ${u.name} cannot be removed` });
            if (["replicator", "dbuser_dba", "dbuser_monitor", "postgres"].includes(u.name) && u.state === "absent") issues.push({ path: `${where}: pg_users[${i}].state`, message: `system user ${u.name} is never dropped` });
        });
        for (const d of duplicates(v.pg_users.map((u) => u.name))) issues.push({ path: `${where}: pg_users`, message: `user ${d} is defined more than once` });
        const known = new Set([...allUsers.map((u) => u.name), v.pg_dbsu, v.pg_admin_username, v.pg_monitor_username, v.pg_replication_username]);
        v.pg_users.forEach((u, i) => u.roles.forEach((r, j) => {
            const name = typeof r === "string" ? r : r.name;
            if (!known.has(name) && !BUILTIN_ROLES.has(name)) issues.push({ path: `${where}: pg_users[${i}].roles[${j}]`, message: `role ${name} is not defined in pg_users or pg_default_roles` });
        }));
        v.pg_databases.forEach((d, i) => {
            if (d.owner !== undefined && !known.has(d.owner)) issues.push({ path: `${where}: pg_databases[${i}].owner`, message: `owner ${d.owner} is not defined in pg_users or pg_default_roles` });
            if (["postgres", "template0", "template1"].includes(d.name) && d.state !== "create") issues.push({ path: `${where}: pg_databases[${i}].state`, message: `${d.name} is never dropped or recreated` });
            if (d.pool_auth_user !== undefined && !known.has(d.pool_auth_user)) issues.push({ path: `${where}: pg_databases[${i}].pool_auth_user`, message: `user ${d.pool_auth_user} is not defined` });
        });
        for (const d of duplicates(v.pg_databases.map((x) => x.name))) issues.push({ path: `${where}: pg_databases`, message: `database ${d} is defined more than once` });

        issues.push(...checkHbaRules(v.pg_default_hba_rules, where, "pg_default_hba_rules", false));
        issues.push(...checkHbaRules(v.pg_hba_rules, where, "pg_hba_rules", false));
        issues.push(...checkHbaRules(v.pgb_default_hba_rules, where, "pgb_default_hba_rules", true));
        issues.push(...checkHbaRules(v.pgb_hba_rules, where, "pgb_hba_rules", true));

        // services
        const services = [...v.pg_default_services.map((s, i) => ({ s, at: `pg_default_services[${i}]` })), ...v.pg_services.map((s, i) => ({ s, at: `pg_services[${i}]` }))];
        const own = new Map<number, string>([
            [v.pg_port, "pg_port"], [v.pgbouncer_port, "pgbouncer_port"], [v.patroni_port, "patroni_port"],
            [v.pg_exporter_port, "pg_exporter_port"], [v.pgbouncer_exporter_port, "pgbouncer_exporter_port"], [v.pgbackrest_exporter_port, "pgbackrest_exporter_port"],
        ]);
        const seenPort = new Map<number, string>(), seenName = new Map<string, string>();
        for (const { s, at } of services) {
            if (seenPort.has(s.port)) issues.push({ path: `${where}: ${at}.port`, message: `port ${s.port} is already used by ${seenPort.get(s.port)}` });
            else seenPort.set(s.port, at);
            if (seenName.has(s.name)) issues.push({ path: `${where}: ${at}.name`, message: `service ${s.name} is already defined by ${seenName.get(s.name)}` });
            else seenName.set(s.name, at);
            if (own.has(s.port)) issues.push({ path: `${where}: ${at}.port`, message: `port ${s.port} collides with ${own.get(s.port)}` });
            for (const key of ["selector", "backup"] as const) {
                const src = s[key];
                if (src === undefined) continue;
                try { compileSelector(src); } catch (e) { issues.push({ path: `${where}: ${at}.${key}`, message: `invalid selector "${src}": ${(e as Error).message}` }); }
            }
            if (s.dest === "pgbouncer" && !v.pgbouncer_enabled) issues.push({ path: `${where}: ${at}.dest`, message: "routes to pgbouncer but pgbouncer_enabled is false" });
        }
        if (v.pg_default_service_dest === "pgbouncer" && !v.pgbouncer_enabled && services.some(({ s }) => s.dest === "default")) {
            issues.push({ path: `${where}: pg_default_service_dest`, message: "is pgbouncer but pgbouncer_enabled is false" });
        }

        // listen / vip
        for (const part of v.pg_listen.split(",").map((s) => s.trim())) {
            const ph = checkPlaceholders(part, `${where}: pg_listen`, ["ip", "lo", "vip"]);
            issues.push(...ph);
            if (ph.length === 0 && !/^\$\{(ip|lo|vip)\}$/.test(part) && !["0.0.0.0", "*", "localhost", "::", "::1"].includes(part) && !/^\d+\.\d+\.\d+\.\d+$/.test(part)) {
                issues.push({ path: `${where}: pg_listen`, message: `'${part}' is not an address or \${ip}/\${lo}/\${vip}` });
            }
        }
        if (v.pg_listen.includes("${vip}") && !v.pg_vip_enabled) issues.push({ path: `${where}: pg_listen`, message: "uses ${vip} but pg_vip_enabled is false" });
        if (v.pg_vip_enabled && !v.pg_vip_address.includes("/")) issues.push({ path: `${where}: pg_vip_address`, message: "must include a netmask (e.g. 10.10.10.2/24) when pg_vip_enabled" });
        if (v.pg_dns_target === "vip" && !v.pg_vip_enabled) issues.push({ path: `${where}: pg_dns_target`, message: "is vip but pg_vip_enabled is false" });

        // backup
        if (v.pgbackrest_enabled && !(v.pgbackrest_method in v.pgbackrest_repo)) {
            issues.push({ path: `${where}: pgbackrest_method`, message: `'${v.pgbackrest_method}' is not a key of pgbackrest_repo (${Object.keys(v.pgbackrest_repo).join(", ")})` });
        }
        for (const [repo, kv] of Object.entries(v.pgbackrest_repo)) {
            for (const [k, val] of Object.entries(kv)) if (typeof val === "string") issues.push(...checkPlaceholders(val, `${where}: pgbackrest_repo.${repo}.${k}`, ["pg_cluster"]));
        }
        if (v.pg_mode !== "pgsql" && v.pg_mode !== "citus") issues.push({ path: `${where}: pg_mode`, message: `${v.pg_mode} kernels are not supported on Debian hosts (use pgsql or citus)` });
        if (v.pg_delay !== 0 && !pm.some((m) => m.pg_role === "primary" && m.pg_upstream)) {
            issues.push({ path: `${where}: pg_delay`, message: "only applies to a standby cluster (a primary with pg_upstream)" });
        }
    }

    if (issues.length > 0 || !v) return { issues };
    return { value: { ...v, members: pm.sort((a, b) => a.pg_seq - b.pg_seq) }, issues };
}

/** Validates `{...cluster vars, members: [{ip, pg_seq, pg_role, ...}]}` and throws one ConfigError. */
export function parsePgCluster(input: Record<string, unknown> & { members?: unknown }): PgClusterConfig {
    const { members, ...vars } = input;
    const list = Array.isArray(members) ? members : [];
    return finish(checkPgCluster(vars, list.map((m) => ({ vars: (m ?? {}) as Record<string, unknown> }))));
}

// ---------------------------------------------------------------------------------------------
// ETCD / INFRA / MINIO / REDIS

export function checkEtcd(vars: Record<string, unknown>, members: MemberInput[], group = "etcd"): Checked<EtcdClusterConfig> {
    const issues: ConfigIssue[] = [];
    const parsed = parseWith(EtcdVarsSchema, vars, group);
    issues.push(...parsed.issues);
    const ms = members.map((m, i) => parseWith(EtcdMemberSchema, m.vars, memberWhere(group, m, i)));
    ms.forEach((r) => issues.push(...r.issues));
    const list = ms.flatMap((r) => (r.value ? [r.value] : []));
    if (members.length === 0) issues.push({ path: `${group}: members`, message: "etcd needs at least one member" });
    for (const d of duplicates(list.map((m) => m.etcd_seq))) issues.push({ path: `${group}: etcd_seq`, message: `etcd_seq ${d} is used by more than one member (must be unique)` });
    for (const d of duplicates(list.map((m) => m.ip))) issues.push({ path: `${group}: members`, message: `host ${d} is listed more than once` });
    if (parsed.value && parsed.value.etcd_learner && parsed.value.etcd_init !== "existing") {
        issues.push({ path: `${group}: etcd_learner`, message: "a learner can only join an existing cluster (etcd_init: existing)" });
    }
    if (parsed.value && parsed.value.etcd_port === parsed.value.etcd_peer_port) issues.push({ path: `${group}: etcd_peer_port`, message: "must differ from etcd_port" });
    if (issues.length > 0 || !parsed.value) return { issues };
    return { value: { ...parsed.value, members: list.sort((a, b) => a.etcd_seq - b.etcd_seq) }, issues };
}
export function parseEtcd(input: Record<string, unknown> & { members?: unknown }): EtcdClusterConfig {
    const { members, ...vars } = input;
    return finish(checkEtcd(vars, (Array.isArray(members) ? members : []).map((m) => ({ vars: m }))));
}

export function checkInfra(vars: Record<string, unknown>, members: MemberInput[], group = "infra"): Checked<InfraConfig> {
    const issues: ConfigIssue[] = [];
    const parsed = parseWith(InfraVarsSchema, vars, group);
    issues.push(...parsed.issues);
    const ms = members.map((m, i) => parseWith(InfraMemberSchema, m.vars, memberWhere(group, m, i)));
    ms.forEach((r) => issues.push(...r.issues));
    const list = ms.flatMap((r) => (r.value ? [r.value] : []));
    for (const d of duplicates(list.map((m) => m.infra_seq))) issues.push({ path: `${group}: infra_seq`, message: `infra_seq ${d} is used by more than one member (must be unique)` });
    if (parsed.value) {
        for (const [k, p] of Object.entries(parsed.value.infra_portal)) {
            if (p.endpoint !== undefined) issues.push(...checkPlaceholders(p.endpoint, `${group}: infra_portal.${k}.endpoint`, ["admin_ip"]));
            if (p.endpoint !== undefined && p.path !== undefined) issues.push({ path: `${group}: infra_portal.${k}`, message: "give endpoint or path, not both" });
        }
        parsed.value.dns_records.forEach((r, i) => issues.push(...checkPlaceholders(r, `${group}: dns_records[${i}]`, ["admin_ip"])));
    }
    if (issues.length > 0 || !parsed.value) return { issues };
    return { value: { ...parsed.value, members: list.sort((a, b) => a.infra_seq - b.infra_seq) }, issues };
}

export function checkMinio(vars: Record<string, unknown>, members: MemberInput[], group?: string): Checked<MinioClusterConfig> {
    const where = group ?? String(vars.minio_cluster ?? "minio");
    const issues: ConfigIssue[] = [];
    const parsed = parseWith(MinioVarsSchema, vars, where);
    issues.push(...parsed.issues);
    const ms = members.map((m, i) => parseWith(MinioMemberSchema, m.vars, memberWhere(where, m, i)));
    ms.forEach((r) => issues.push(...r.issues));
    const list = ms.flatMap((r) => (r.value ? [r.value] : []));
    for (const d of duplicates(list.map((m) => m.minio_seq))) issues.push({ path: `${where}: minio_seq`, message: `minio_seq ${d} is used by more than one member (must be unique)` });
    if (parsed.value) {
        const v = parsed.value;
        issues.push(...checkPlaceholders(v.minio_node, `${where}: minio_node`, ["minio_cluster", "minio_seq"]));
        if (list.length > 1 && !v.minio_node.includes("${minio_seq}")) issues.push({ path: `${where}: minio_node`, message: "must contain ${minio_seq} for a multi-node deployment" });
        if (v.minio_port === v.minio_admin_port) issues.push({ path: `${where}: minio_admin_port`, message: "must differ from minio_port" });
        for (const d of duplicates(v.minio_buckets.map((b) => b.name))) issues.push({ path: `${where}: minio_buckets`, message: `bucket ${d} is defined more than once` });
        v.minio_users.forEach((u, i) => {
            if (!v.minio_buckets.some((b) => b.name === u.policy) && !["readwrite", "readonly", "writeonly", "diagnostics", "consoleAdmin"].includes(u.policy)) {
                issues.push({ path: `${where}: minio_users[${i}].policy`, message: `policy ${u.policy} is neither a bucket in minio_buckets nor a built-in policy` });
            }
        });
    }
    if (issues.length > 0 || !parsed.value) return { issues };
    return { value: { ...parsed.value, members: list.sort((a, b) => a.minio_seq - b.minio_seq) }, issues };
}

export function checkRedis(vars: Record<string, unknown>, nodes: MemberInput[], group?: string): Checked<RedisClusterConfig> {
    const where = group ?? String(vars.redis_cluster ?? "redis");
    const issues: ConfigIssue[] = [];
    const parsed = parseWith(RedisVarsSchema, vars, where);
    issues.push(...parsed.issues);
    const ns = nodes.map((m, i) => ({ r: parseWith(RedisNodeSchema, m.vars, memberWhere(where, m, i)), where: memberWhere(where, m, i) }));
    ns.forEach(({ r }) => issues.push(...r.issues));
    const list = ns.flatMap(({ r }) => (r.value ? [r.value] : []));
    for (const d of duplicates(list.map((m) => m.redis_node))) issues.push({ path: `${where}: redis_node`, message: `redis_node ${d} is used by more than one node (must be unique)` });
    if (parsed.value) {
        const v = parsed.value;
        const endpoints = new Set(list.flatMap((n) => Object.keys(n.redis_instances).map((p) => `${n.ip} ${p}`)));
        for (const n of list) {
            for (const [p, inst] of Object.entries(n.redis_instances)) {
                const at = `${where}/${n.ip}: redis_instances.${p}`;
                if (Number(p) < 1 || Number(p) > 65535) issues.push({ path: at, message: "port must be 1-65535" });
                if (Number(p) === v.redis_exporter_port) issues.push({ path: at, message: `collides with redis_exporter_port ${v.redis_exporter_port}` });
                if (inst.replica_of !== undefined) {
                    if (v.redis_mode !== "standalone") issues.push({ path: `${at}.replica_of`, message: `is only valid in standalone mode (redis_mode is ${v.redis_mode})` });
                    if (inst.replica_of === `${n.ip} ${p}`) issues.push({ path: `${at}.replica_of`, message: "must not point to the instance itself" });
                    else if (!endpoints.has(inst.replica_of) && !/^\d+\.\d+\.\d+\.\d+ \d+$/.test(inst.replica_of)) issues.push({ path: `${at}.replica_of`, message: "must be '<ipv4> <port>'" });
                }
            }
        }
        if (v.redis_mode === "cluster") {
            const count = list.reduce((s, n) => s + Object.keys(n.redis_instances).length, 0);
            const need = 3 * (v.redis_cluster_replicas + 1);
            if (count < need) issues.push({ path: `${where}: redis_instances`, message: `cluster mode with redis_cluster_replicas=${v.redis_cluster_replicas} needs at least ${need} instances, found ${count}` });
        }
    }
    if (issues.length > 0 || !parsed.value) return { issues };
    return { value: { ...parsed.value, nodes: list.sort((a, b) => a.redis_node - b.redis_node) }, issues };
}

// ---------------------------------------------------------------------------------------------
// Throwing wrappers for typed TypeScript args (one ConfigError listing every issue)

type WithMembers = Record<string, unknown> & { members?: unknown };
const split = (input: WithMembers): [Record<string, unknown>, MemberInput[]] => {
    const { members, ...vars } = input;
    return [vars, (Array.isArray(members) ? members : []).map((m) => ({ vars: (m ?? {}) as Record<string, unknown> }))];
};

/** Validates one node's vars (`ip` = its address). */
export function parseNode(ip: string, vars: Record<string, unknown>): NodeConfig {
    return finish(checkNode(ip, vars));
}
/** Validates `{...infra vars, members: [{ip, infra_seq}]}`. */
export function parseInfra(input: WithMembers): InfraConfig {
    return finish(checkInfra(...split(input)));
}
/** Validates `{minio_cluster, ...vars, members: [{ip, minio_seq}]}`. */
export function parseMinio(input: WithMembers): MinioClusterConfig {
    return finish(checkMinio(...split(input)));
}
/** Validates `{redis_cluster, ...vars, nodes: [{ip, redis_node, redis_instances}]}`. */
export function parseRedis(input: Record<string, unknown> & { nodes?: unknown }): RedisClusterConfig {
    const { nodes, ...vars } = input;
    return finish(checkRedis(vars, (Array.isArray(nodes) ? nodes : []).map((m) => ({ vars: (m ?? {}) as Record<string, unknown> }))));
}
