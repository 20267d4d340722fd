// Derived identities and lookups the renderers and components share (Pigsty computes these in
// roles/pg_id, roles/etcd and roles/pgsql templates). All pure.
import { EtcdClusterConfig, EtcdMember } from "./etcd";
import { NodeConfig } from "./node";
import { PgClusterConfig, PgMember, PgService } from "./pgsql";
import { PlaceholderValues } from "./placeholders";
import { compileSelector } from "./selector";

/** Numeric IPv4 order (10.10.10.9 < 10.10.10.10), the order Pigsty's sorted member lists use. */
export function compareIp(a: string, b: string): number {
    const pa = a.split(".").map(Number), pb = b.split(".").map(Number);
    for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
    return a < b ? -1 : a > b ? 1 : 0;
}
export function sortIps(ips: Iterable<string>): string[] {
    return [...new Set(ips)].sort(compareIp);
}

/** `<pg_cluster>-<pg_seq>`. */
export function pgInstance(cluster: Pick<PgClusterConfig, "pg_cluster">, member: Pick<PgMember, "pg_seq">): string {
    return `${cluster.pg_cluster}-${member.pg_seq}`;
}
/** `<pg_cluster>-<pg_role>` (Pigsty's pg_service identity label). */
export function pgServiceName(cluster: Pick<PgClusterConfig, "pg_cluster">, member: Pick<PgMember, "pg_role">): string {
    return `${cluster.pg_cluster}-${member.pg_role}`;
}
/** Members ordered by pg_seq. */
export function pgMembersSorted(cluster: Pick<PgClusterConfig, "members">): PgMember[] {
    return [...cluster.members].sort((a, b) => a.pg_seq - b.pg_seq);
}
/** Member IPs, sorted (Pigsty's `pg_cluster_members`). */
export function pgClusterMemberIps(cluster: Pick<PgClusterConfig, "members">): string[] {
    return sortIps(cluster.members.map((m) => m.ip));
}
/** The single primary (validation guarantees exactly one). */
export function pgPrimary(cluster: Pick<PgClusterConfig, "members">): PgMember {
    const p = cluster.members.filter((m) => m.pg_role === "primary");
    if (p.length !== 1) throw new Error(`expected exactly one primary, found ${p.length}`);
    return p[0];
}
/** `max(pg_seq)+1`: the next free sequence when adding a replica. */
export function pgSeqNext(cluster: Pick<PgClusterConfig, "members">): number {
    return cluster.members.reduce((m, x) => Math.max(m, x.pg_seq), -1) + 1;
}
/** Patroni scope / etcd user: the shard for Citus, else the cluster. */
export function pgScope(cluster: Pick<PgClusterConfig, "pg_mode" | "pg_cluster" | "pg_shard">): string {
    return cluster.pg_mode === "citus" ? cluster.pg_shard : cluster.pg_cluster;
}
/** VIP address without mask. */
export function pgVipIp(cluster: Pick<PgClusterConfig, "pg_vip_address">): string {
    return cluster.pg_vip_address.split("/")[0];
}
/** `/pg` → data root `<pg_fs_main>/<cls>-<ver>` (Pigsty layout). */
export function pgFsRoot(cluster: Pick<PgClusterConfig, "pg_fs_main" | "pg_cluster" | "pg_version">): string {
    return `${cluster.pg_fs_main}/${cluster.pg_cluster}-${cluster.pg_version}`;
}

// ---------------------------------------------------------------------------------------------
// RTO plans

/** One row of Pigsty's pg_rto_plan: Patroni DCS timing, watchdog margin and HAProxy checks. */
export interface RtoPlan {
    ttl: number; loop_wait: number; retry_timeout: number; primary_start_timeout: number; safety_margin: number;
    inter: string; fastinter: string; downinter: string; rise: number; fall: number;
}
const row = (ttl: number, loop_wait: number, retry_timeout: number, primary_start_timeout: number, safety_margin: number,
    inter: string, fastinter: string, downinter: string, rise: number, fall: number): RtoPlan =>
    ({ ttl, loop_wait, retry_timeout, primary_start_timeout, safety_margin, inter, fastinter, downinter, rise, fall });
/** `pg_rto_plan`: fast (RTO < 30s), norm (< 45s), safe (< 90s), wide (< 150s). */
export const PG_RTO_PLAN: Readonly<Record<"fast" | "norm" | "safe" | "wide", RtoPlan>> = {
    fast: row(20, 5, 5, 15, 5, "1s", "0.5s", "1s", 3, 3),
    norm: row(30, 5, 10, 25, 5, "2s", "1s", "2s", 3, 3),
    safe: row(60, 10, 20, 45, 10, "3s", "1.5s", "3s", 3, 3),
    wide: row(120, 20, 30, 95, 15, "4s", "2s", "4s", 3, 3),
};
export function rtoPlan(pg_rto: string): RtoPlan {
    return PG_RTO_PLAN[pg_rto as keyof typeof PG_RTO_PLAN] ?? PG_RTO_PLAN.norm;
}

// ---------------------------------------------------------------------------------------------
// Services

/** A service with its destination port and the members it routes to. */
export interface ResolvedService {
    /** `<cls>-<name>`: haproxy listen section and conf.d file stem. */
    id: string;
    name: string;
    ip: string;
    port: number;
    /** Port on each member traffic goes to (pg_port, pgbouncer_port or a literal). */
    destPort: number;
    check: string;
    maxconn: number;
    balance: string;
    options: string[];
    servers: { name: string; ip: string; port: number; weight: number; backup: boolean }[];
}

/** Selector subject of a member: its identity fields (what Pigsty's JMESPath sees). */
function subject(cluster: PgClusterConfig, m: PgMember): Record<string, unknown> {
    return { ...m, pg_cluster: cluster.pg_cluster, inventory_hostname: m.ip };
}

export function serviceDestPort(cluster: PgClusterConfig, svc: PgService): number {
    const dest = svc.dest === "default" ? cluster.pg_default_service_dest : svc.dest;
    if (dest === "postgres") return cluster.pg_port;
    if (dest === "pgbouncer") return cluster.pgbouncer_port;
    return dest;
}

/**
 * pg_default_services + pg_services, each resolved to its member list (sorted by pg_seq). A member
 * matched by `backup` is a backup server; one matched by neither selector is left out.
 */
export function resolvePgServices(cluster: PgClusterConfig): ResolvedService[] {
    const members = pgMembersSorted(cluster);
    return [...cluster.pg_default_services, ...cluster.pg_services].map((svc) => {
        const sel = compileSelector(svc.selector);
        const bak = svc.backup ? compileSelector(svc.backup) : () => false;
        const destPort = serviceDestPort(cluster, svc);
        const servers = members
            .filter((m) => sel(subject(cluster, m)) || bak(subject(cluster, m)))
            .map((m) => ({ name: pgInstance(cluster, m), ip: m.ip, port: destPort, weight: m.pg_weight, backup: bak(subject(cluster, m)) }));
        return {
            id: `${cluster.pg_cluster}-${svc.name}`, name: svc.name, ip: svc.ip, port: svc.port, destPort,
            check: svc.check, maxconn: svc.maxconn, balance: svc.balance, options: svc.options, servers,
        };
    });
}

// ---------------------------------------------------------------------------------------------
// etcd

export function etcdMemberName(etcd: Pick<EtcdClusterConfig, "etcd_cluster">, m: Pick<EtcdMember, "etcd_seq">): string {
    return `${etcd.etcd_cluster}-${m.etcd_seq}`;
}
/** TLS on etcd's client and peer URLs: Pigsty always uses it; `tls: false` is for setups without a CA yet. */
export interface EtcdTlsOption {
    tls?: boolean;
}
/** `<cls>-<seq>=https://<ip>:<peer>` sorted by member name, comma-joined (initial-cluster). */
export function etcdInitialCluster(etcd: EtcdClusterConfig, opts: EtcdTlsOption = {}): string {
    const scheme = opts.tls === false ? "http" : "https";
    return [...etcd.members]
        .map((m) => `${etcdMemberName(etcd, m)}=${scheme}://${m.ip}:${etcd.etcd_peer_port}`)
        .sort()
        .join(",");
}
/** `ip:port` client endpoints sorted by IP (what Patroni/vip-manager use). */
export function etcdEndpoints(etcd: EtcdClusterConfig): string[] {
    return sortIps(etcd.members.map((m) => m.ip)).map((ip) => `${ip}:${etcd.etcd_port}`);
}

// ---------------------------------------------------------------------------------------------
// Placeholder values

/** Placeholder values for a PG member (`${ip}`, `${vip}` when enabled, `${dbsu}` …). */
export function pgPlaceholderValues(cluster: PgClusterConfig, member: Pick<PgMember, "ip">, node: Pick<NodeConfig, "admin_ip">): PlaceholderValues {
    return {
        admin_ip: node.admin_ip,
        dbsu: cluster.pg_dbsu,
        repl: cluster.pg_replication_username,
        monitor: cluster.pg_monitor_username,
        admin: cluster.pg_admin_username,
        ip: member.ip,
        lo: "127.0.0.1",
        ...(cluster.pg_vip_enabled ? { vip: pgVipIp(cluster) } : {}),
        pg_cluster: cluster.pg_cluster,
        pg_version: cluster.pg_version,
    };
}
