// Loads a Pigsty inventory (pigsty.yml) into validated, typed per-module configs.
//
// Precedence is Ansible's: schema defaults < all.vars < group vars < host vars. When a host is in
// several groups, group vars merge in group-name order (Ansible's tie-break at equal depth) and host
// vars in file order. Fixed groups: `infra` (INFRA) and `etcd` (ETCD). PGSQL/REDIS/MINIO clusters are
// found by `pg_cluster` / `redis_cluster` / `minio_cluster`. Modules we do not implement (kafka, mysql,
// docker, juice, app, vibe, remote pg exporters …) are listed in `unsupported` and skipped.
// Every problem of every host is gathered and thrown as one ConfigError.
import * as fs from "fs";
import { parse as parseYaml } from "yaml";
import { ConfigError, ConfigIssue, isIPv4 } from "./config/common";
import { EtcdClusterConfig, EtcdVarsSchema } from "./config/etcd";
import { compareIp, sortIps } from "./config/identity";
import { InfraConfig, InfraVarsSchema } from "./config/infra";
import { MinioClusterConfig, MinioVarsSchema } from "./config/minio";
import { NodeConfig, NodeVarsSchema } from "./config/node";
import { PGSQL_VAR_KEYS, PgClusterConfig, PgMemberSchema } from "./config/pgsql";
import { RedisClusterConfig, RedisVarsSchema } from "./config/redis";
import { PgHostContext } from "./config/context";
import { MemberInput, checkEtcd, checkInfra, checkMinio, checkNode, checkPgCluster, checkRedis } from "./config/validate";

type Vars = Record<string, unknown>;

/** A module present in the inventory that this library does not deploy (yet). */
export interface UnsupportedModule {
    module: string;
    /** `all.vars` or the group name where it was found. */
    group: string;
    hosts: string[];
}

/** The typed view of a whole inventory. Lists are sorted (deterministic rendering). */
export interface Inventory {
    /** Every host of every group, sorted by IP, with merged NODE parameters and derived nodename. */
    nodes: NodeConfig[];
    /** The `infra` group, if present. */
    infra?: InfraConfig;
    /** The `etcd` group, if present. */
    etcd?: EtcdClusterConfig;
    pgClusters: PgClusterConfig[];
    redisClusters: RedisClusterConfig[];
    minioClusters: MinioClusterConfig[];
    unsupported: UnsupportedModule[];
    /** Non-fatal notes: unknown parameters with a module prefix (typos), ignored host overrides, even etcd sizes. */
    warnings: string[];
}

/** Raw inventory structure after YAML parsing. */
interface RawGroup {
    name: string;
    vars: Vars;
    /** host IP → host vars, in file order */
    hosts: [string, Vars][];
}

const asObject = (v: unknown): Vars => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Vars) : {});

/** Loads an inventory from YAML text, or from a file when `source` is a path to a `.yml`/`.yaml` file. */
export function loadInventory(source: string): Inventory {
    const isPath = !source.includes("\n") && /\.ya?ml$/i.test(source.trim());
    const text = isPath ? fs.readFileSync(source.trim(), "utf8") : source;
    let doc: unknown;
    try {
        doc = parseYaml(text);
    } catch (e) {
        throw new ConfigError([{ path: isPath ? source : "inventory", message: `invalid YAML: ${(e as Error).message}` }]);
    }
    return parseInventory(doc);
}

/** Module markers of things we do not deploy: a var key (or prefix) → module name. */
const UNSUPPORTED_MARKERS: [RegExp, string][] = [
    [/^kafka_cluster$/, "kafka"], [/^mysql_cluster$/, "mysql"], [/^juice_instances$/, "juice"],
    [/^docker_enabled$/, "docker"], [/^apps?$/, "app"], [/^(vibe_|code_enabled|jupyter_enabled|claude_enabled)/, "vibe"],
    [/^pg_exporters$/, "pgrds (remote pg monitoring)"], [/^mongo_cluster$/, "mongo"],
];

/** Var prefixes of modules we model: an unknown key with such a prefix is probably a typo. */
const MODELLED_PREFIXES = /^(pg_|pgb_|pgbouncer_|patroni_|pgbackrest_|etcd_|minio_|redis_|haproxy_|vip_|node_)/;
/** Pigsty parameters we accept but do not use (other roles, or runtime-only knobs). */
const KNOWN_UNMODELLED = new Set([
    "pg_instances", "pg_pitr", "pg_exporters", "pg_home_map", "pg_rm_data", "node_id", "pg_extension_map", "node_packages_default",
    "pg_exporter_timeout", "pg_exporter_opts",
]);

function knownKeys(): Set<string> {
    const keys = new Set<string>([
        ...Object.keys(NodeVarsSchema.shape), ...Object.keys(InfraVarsSchema.shape), ...Object.keys(EtcdVarsSchema.shape),
        ...PGSQL_VAR_KEYS, ...Object.keys(PgMemberSchema.shape), ...Object.keys(MinioVarsSchema.shape), ...Object.keys(RedisVarsSchema.shape),
        "infra_seq", "etcd_seq", "minio_seq", "redis_node", "redis_instances", "pg_fs_main_gb", ...KNOWN_UNMODELLED,
    ]);
    return keys;
}

/** Parses an already-loaded YAML document (`{all: {vars, children}}`). */
export function parseInventory(doc: unknown): Inventory {
    const issues: ConfigIssue[] = [];
    const warnings: string[] = [];
    const all = asObject(asObject(doc).all);
    if (Object.keys(all).length === 0) throw new ConfigError([{ path: "inventory", message: "missing top-level 'all' group" }]);
    const allVars = asObject(all.vars);
    const groups: RawGroup[] = [];
    for (const [name, g] of Object.entries(asObject(all.children))) {
        const hostsObj = asObject(asObject(g).hosts);
        const hosts: [string, Vars][] = [];
        for (const [h, hv] of Object.entries(hostsObj)) {
            if (!isIPv4(h)) issues.push({ path: `${name}/${h}`, message: "hosts must be keyed by IPv4 address" });
            else hosts.push([h, asObject(hv)]);
        }
        if (hosts.length === 0 && Object.keys(hostsObj).length === 0) warnings.push(`${name}: group has no hosts`);
        groups.push({ name, vars: asObject(asObject(g).vars), hosts });
    }
    if (Object.keys(asObject(all.hosts)).length > 0) warnings.push("all.hosts: hosts directly under 'all' are not part of any module; they are ignored");
    for (const k of ["pg_cluster", "minio_cluster", "redis_cluster", "pg_seq", "etcd_seq", "infra_seq", "minio_seq", "redis_node"]) {
        if (k in allVars) issues.push({ path: `all.vars: ${k}`, message: "is an identity parameter and is not allowed in all.vars" });
    }

    const byName = [...groups].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const hostGroups = new Map<string, RawGroup[]>();
    for (const g of groups) for (const [h] of g.hosts) hostGroups.set(h, [...(hostGroups.get(h) ?? []), g]);

    /** Fully merged vars of a host: all.vars < group vars (name order) < host vars (file order). */
    const mergedHostVars = (ip: string): Vars => {
        const mine = hostGroups.get(ip) ?? [];
        const out: Vars = { ...allVars };
        for (const g of byName) if (mine.includes(g)) Object.assign(out, g.vars);
        for (const g of groups) for (const [h, hv] of g.hosts) if (h === ip) Object.assign(out, hv);
        return out;
    };
    /** Vars of a host as seen from one group: all.vars < that group's vars < that group's host vars. */
    const groupHostVars = (g: RawGroup, hv: Vars): Vars => ({ ...allVars, ...g.vars, ...hv });

    // ---- unsupported modules and typo warnings
    const known = knownKeys();
    const scan = (where: string, vars: Vars, hosts: string[]) => {
        for (const k of Object.keys(vars)) {
            const marker = UNSUPPORTED_MARKERS.find(([re]) => re.test(k));
            if (marker) {
                if (marker[1] === "docker" && vars[k] !== true) continue;
                if (!unsupported.some((u) => u.module === marker[1] && u.group === where)) unsupported.push({ module: marker[1], group: where, hosts });
            } else if (MODELLED_PREFIXES.test(k) && !known.has(k)) {
                warnings.push(`${where}: ${k}: unknown parameter (ignored)`);
            }
        }
    };
    const unsupported: UnsupportedModule[] = [];
    scan("all.vars", allVars, []);
    for (const g of groups) {
        scan(g.name, g.vars, g.hosts.map(([h]) => h));
        for (const [h, hv] of g.hosts) scan(`${g.name}/${h}`, hv, [h]);
    }

    // ---- PGSQL clusters: by effective pg_cluster of each host in each group
    type PgAcc = { name: string; groups: Set<string>; vars: Vars; members: MemberInput[] };
    const pg = new Map<string, PgAcc>();
    const pgOfHost = new Map<string, { cls: string; group: string }>();
    for (const g of groups) {
        for (const [ip, hv] of g.hosts) {
            const v = groupHostVars(g, hv);
            if (v.pg_cluster === undefined) continue;
            const cls = String(v.pg_cluster);
            const prev = pgOfHost.get(ip);
            if (prev && (prev.group !== g.name)) {
                issues.push({ path: `${g.name}/${ip}`, message: `host is already a PGSQL member of ${prev.cls} (group ${prev.group}); a host can join only one PGSQL group` });
                continue;
            }
            pgOfHost.set(ip, { cls, group: g.name });
            const acc = pg.get(cls) ?? { name: cls, groups: new Set<string>(), vars: { ...allVars, ...g.vars }, members: [] };
            acc.groups.add(g.name);
            acc.members.push({ where: `${g.name}/${ip}`, vars: { ...v, ip } });
            pg.set(cls, acc);
            for (const k of Object.keys(hv)) {
                if (PGSQL_VAR_KEYS.includes(k) && k !== "pg_cluster" && JSON.stringify(hv[k]) !== JSON.stringify(g.vars[k] ?? allVars[k])) {
                    warnings.push(`${g.name}/${ip}: ${k}: host-level value of a cluster-wide parameter is ignored; set it in the group vars`);
                }
            }
        }
    }
    const pgClusters: PgClusterConfig[] = [];
    for (const acc of [...pg.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
        if (acc.groups.size > 1) {
            issues.push({ path: `${acc.name}`, message: `pg_cluster ${acc.name} is spread over groups ${[...acc.groups].sort().join(", ")}; use one group per cluster` });
        }
        const group = [...acc.groups][0];
        const r = checkPgCluster({ ...acc.vars, pg_cluster: acc.name }, acc.members, group === acc.name ? acc.name : `${group}(${acc.name})`);
        issues.push(...r.issues);
        if (r.value) pgClusters.push(r.value);
    }

    // ---- REDIS / MINIO clusters (same shape: identity key on the group, members in the group)
    const collect = <T>(key: "redis_cluster" | "minio_cluster", check: (vars: Vars, m: MemberInput[], group: string) => { value?: T; issues: ConfigIssue[] }): T[] => {
        const out: T[] = [];
        const seenHost = new Map<string, string>();
        const seenCls = new Map<string, string>();
        for (const g of byName) {
            const members = g.hosts.filter(([, hv]) => groupHostVars(g, hv)[key] !== undefined);
            if (members.length === 0) continue;
            const cls = String(g.vars[key] ?? groupHostVars(g, members[0][1])[key]);
            if (seenCls.has(cls)) issues.push({ path: `${g.name}: ${key}`, message: `${cls} is already defined by group ${seenCls.get(cls)}` });
            seenCls.set(cls, g.name);
            for (const [ip] of members) {
                if (seenHost.has(ip)) issues.push({ path: `${g.name}/${ip}`, message: `host is already a member of ${key.replace("_cluster", "")} group ${seenHost.get(ip)}` });
                seenHost.set(ip, g.name);
            }
            const r = check({ ...allVars, ...g.vars, [key]: cls }, members.map(([ip, hv]) => ({ where: `${g.name}/${ip}`, vars: { ...groupHostVars(g, hv), ip } })), g.name);
            issues.push(...r.issues);
            if (r.value) out.push(r.value);
        }
        return out;
    };
    const redisClusters = collect<RedisClusterConfig>("redis_cluster", checkRedis);
    const minioClusters = collect<MinioClusterConfig>("minio_cluster", checkMinio);

    // ---- fixed groups
    const fixed = <T>(name: string, check: (vars: Vars, m: MemberInput[], group: string) => { value?: T; issues: ConfigIssue[] }): T | undefined => {
        const g = groups.find((x) => x.name === name);
        if (!g) return undefined;
        const r = check({ ...allVars, ...g.vars }, g.hosts.map(([ip, hv]) => ({ where: `${name}/${ip}`, vars: { ...groupHostVars(g, hv), ip } })), name);
        issues.push(...r.issues);
        return r.value;
    };
    const infra = fixed<InfraConfig>("infra", checkInfra);
    const etcd = fixed<EtcdClusterConfig>("etcd", checkEtcd);
    if (pgClusters.some((c) => c.patroni_enabled) && !groups.some((g) => g.name === "etcd")) {
        issues.push({ path: "etcd", message: "an 'etcd' group is required: Patroni uses etcd as its DCS" });
    }
    if (etcd && etcd.members.length % 2 === 0) warnings.push(`etcd: ${etcd.members.length} members; an odd number (1, 3, 5) tolerates the same failures with fewer nodes`);

    // ---- nodes
    const nodes: NodeConfig[] = [];
    for (const ip of sortIps(hostGroups.keys())) {
        const v = mergedHostVars(ip);
        const pgm = pgOfHost.get(ip);
        const fromPg = pgm && v.node_id_from_pg !== false && v.node_id_from_pg !== "false";
        const derived: Vars = { ...v };
        if (fromPg && pgm) {
            const seq = v.pg_seq;
            if (seq !== undefined) derived.nodename = `${pgm.cls}-${seq}`;
            if (v.node_cluster === undefined || v.node_cluster === "nodes") derived.node_cluster = pgm.cls;
        }
        const where = `${(hostGroups.get(ip) ?? [])[0]?.name ?? "all"}/${ip}`;
        const r = checkNode(ip, derived, where);
        issues.push(...r.issues);
        if (r.value) nodes.push(r.value);
    }
    const names = new Map<string, string>();
    for (const n of nodes) {
        if (names.has(n.nodename)) issues.push({ path: `${n.ip}: nodename`, message: `${n.nodename} is also the nodename of ${names.get(n.nodename)}` });
        names.set(n.nodename, n.ip);
    }

    if (issues.length > 0) throw new ConfigError(issues);
    return {
        nodes: nodes.sort((a, b) => compareIp(a.ip, b.ip)), infra, etcd, pgClusters,
        redisClusters: redisClusters.sort((a, b) => (a.redis_cluster < b.redis_cluster ? -1 : 1)),
        minioClusters: minioClusters.sort((a, b) => (a.minio_cluster < b.minio_cluster ? -1 : 1)),
        unsupported, warnings,
    };
}

/** The NODE config of a host (throws if the host is not in the inventory). */
export function nodeOf(inv: Pick<Inventory, "nodes">, ip: string): NodeConfig {
    const n = inv.nodes.find((x) => x.ip === ip);
    if (!n) throw new Error(`host ${ip} is not in the inventory`);
    return n;
}

/** Everything a PG member's renderers need besides its cluster config (see config/context.ts). */
export function pgHostContext(inv: Pick<Inventory, "nodes" | "etcd" | "infra">, ip: string): PgHostContext {
    if (!inv.etcd) throw new Error("the inventory has no etcd group");
    return { node: nodeOf(inv, ip), etcd: inv.etcd, infraIps: sortIps((inv.infra?.members ?? []).map((m) => m.ip)) };
}
