// patroni.yml (Pigsty: roles/pgsql/templates/{oltp,olap,crit,tiny}.yml → /pg/conf/<ins>.yml,
// linked as /etc/patroni/patroni.yml).
//
// Deviation from Pigsty, on purpose: Pigsty puts every GUC into bootstrap.dcs, so they only apply at
// bootstrap and are sized from the primary's facts. We put into bootstrap.dcs only the parameters
// Patroni insists be cluster-wide (max_connections, max_locks_per_transaction, max_worker_processes,
// max_prepared_transactions, wal_level, wal_log_hints, track_commit_timestamp, max_wal_senders,
// max_replication_slots, wal_keep_size); all others go to the local `postgresql.parameters`, sized
// per host, and change with a plain Patroni reload — which is what makes a Pulumi diff actionable.
import { PgHostContext } from "../config/context";
import { etcdEndpoints, pgInstance, pgMembersSorted, pgScope, rtoPlan, sortIps } from "../config/identity";
import { PgClusterConfig, PgMember } from "../config/pgsql";
import { expandPlaceholders } from "../config/placeholders";
import { pgPlaceholderValues } from "../config/identity";
import { pgHbaActiveLines } from "./hba";
import { confKind, pgSizing } from "./pg-tune";
import { header, pgConfValue, sortedEntries, toYaml } from "./util";

export type GucValue = string | number | boolean;

/** Parameters only the DCS may set (Patroni enforces identical values on all members). */
export const DCS_ONLY_PARAMETERS = new Set([
    "max_connections", "max_locks_per_transaction", "max_worker_processes", "max_prepared_transactions",
    "wal_level", "wal_log_hints", "track_commit_timestamp", "max_wal_senders", "max_replication_slots", "wal_keep_size",
]);

/** Listen addresses of a member: pg_listen with `${ip}`, `${lo}`, `${vip}` expanded. */
export function pgListenAddresses(cluster: PgClusterConfig, member: PgMember, ctx: Pick<PgHostContext, "node">): string {
    return expandPlaceholders(cluster.pg_listen, pgPlaceholderValues(cluster, member, ctx.node), `${cluster.pg_cluster}: pg_listen`)
        .split(",").map((s) => s.trim()).filter((s) => s !== "").join(",");
}

/** Is synchronous replication on? (pg_rpo == 0, or the crit template.) */
export function pgSyncMode(cluster: PgClusterConfig): { synchronous_mode: boolean; synchronous_mode_strict: boolean } {
    const crit = confKind(cluster.pg_conf) === "crit";
    return { synchronous_mode: crit || cluster.pg_rpo === 0, synchronous_mode_strict: crit };
}

/**
 * Every PostgreSQL parameter of a member (sized + fixed + template deltas + pg_parameters, the user
 * winning), sorted by name. Version-aware: parameters unknown to pg_version are left out.
 */
export function pgParameters(cluster: PgClusterConfig, member: PgMember, ctx: PgHostContext): Record<string, GucValue> {
    const kind = confKind(cluster.pg_conf);
    const v = cluster.pg_version;
    const s = pgSizing({ ...cluster, node_cpu: ctx.node.node_cpu, node_mem_mb: ctx.node.node_mem_mb });
    const ssd = cluster.pg_storage_type === "SSD";
    const p: Record<string, GucValue> = {
        // connections & resources (sized)
        max_connections: s.max_connections,
        superuser_reserved_connections: 10,
        max_locks_per_transaction: s.max_locks_per_transaction,
        max_prepared_transactions: s.max_prepared_transactions,
        shared_buffers: `${s.shared_buffers_mb}MB`,
        maintenance_work_mem: `${s.maintenance_work_mem_mb}MB`,
        work_mem: `${s.work_mem_mb}MB`,
        effective_cache_size: `${s.effective_cache_size_mb}MB`,
        huge_pages: "try",
        temp_file_limit: `${s.temp_file_limit_gb}GB`,
        max_worker_processes: s.max_worker_processes,
        max_parallel_workers: s.max_parallel_workers,
        max_parallel_workers_per_gather: s.max_parallel_workers_per_gather,
        max_parallel_maintenance_workers: s.max_parallel_maintenance_workers,
        // WAL & checkpoints
        wal_level: "logical",
        wal_log_hints: true,
        track_commit_timestamp: true,
        wal_buffers: "16MB",
        wal_writer_delay: "20ms",
        wal_writer_flush_after: kind === "crit" ? 0 : "1MB",
        min_wal_size: `${s.min_wal_size_gb}GB`,
        max_wal_size: `${s.max_wal_size_gb}GB`,
        max_slot_wal_keep_size: `${s.max_slot_wal_keep_size_gb}GB`,
        checkpoint_timeout: "15min",
        checkpoint_completion_target: 0.9,
        // replication
        max_wal_senders: 50,
        max_replication_slots: 50,
        wal_keep_size: "1GB",
        hot_standby: true,
        hot_standby_feedback: true,
        max_standby_archive_delay: "10min",
        max_standby_streaming_delay: "3min",
        wal_receiver_status_interval: "1s",
        wal_receiver_timeout: "60s",
        max_logical_replication_workers: 8,
        max_sync_workers_per_subscription: 6,
        // planner & io
        random_page_cost: ssd ? 1.1 : 4,
        effective_io_concurrency: ssd ? 200 : 2,
        default_statistics_target: kind === "olap" ? 1000 : kind === "tiny" ? 200 : 400,
        // background writer & vacuum
        bgwriter_delay: "10ms",
        bgwriter_lru_maxpages: 800,
        bgwriter_lru_multiplier: 5,
        vacuum_cost_delay: kind === "olap" ? "10ms" : "20ms",
        vacuum_cost_limit: kind === "olap" ? 10000 : 2000,
        autovacuum_max_workers: kind === "tiny" ? 2 : 3,
        autovacuum_naptime: "1min",
        autovacuum_vacuum_scale_factor: 0.08,
        autovacuum_analyze_scale_factor: 0.04,
        autovacuum_vacuum_cost_delay: "2ms",
        autovacuum_freeze_max_age: 1000000000,
        autovacuum_multixact_freeze_max_age: 1400000000,
        // security
        password_encryption: cluster.pg_pwd_enc,
        ssl: true,
        ssl_cert_file: "/pg/cert/server.crt",
        ssl_key_file: "/pg/cert/server.key",
        ssl_ca_file: "/pg/cert/ca.crt",
        // logging
        logging_collector: true,
        log_destination: "csvlog",
        log_directory: cluster.pg_log_dir,
        log_filename: "postgresql-%a.log",
        log_truncate_on_rotation: true,
        log_rotation_age: "1d",
        log_rotation_size: 0,
        log_timezone: "UTC",
        log_checkpoints: true,
        log_lock_waits: true,
        log_replication_commands: true,
        log_statement: "ddl",
        log_min_duration_statement: kind === "olap" ? 1000 : 100,
        log_autovacuum_min_duration: "1s",
        log_connections: kind === "crit",
        log_disconnections: kind === "crit",
        track_io_timing: true,
        track_functions: "all",
        track_activity_query_size: 8192,
        idle_in_transaction_session_timeout: kind === "olap" ? 0 : kind === "crit" ? "1min" : "10min",
        // extensions
        shared_preload_libraries: cluster.pg_libs,
        "pg_stat_statements.max": kind === "tiny" ? 2500 : 10000,
        "pg_stat_statements.track": "all",
        "pg_stat_statements.track_utility": false,
        "auto_explain.log_min_duration": "1s",
        "auto_explain.log_analyze": true,
        "auto_explain.log_verbose": true,
        "auto_explain.log_timing": false,
        "auto_explain.log_nested_statements": true,
        "cron.database_name": cluster.pg_primary_db,
        // archive
        archive_mode: cluster.pgbackrest_enabled,
        archive_timeout: 300,
        archive_command: cluster.pgbackrest_enabled ? `pgbackrest --stanza=${cluster.pg_cluster} archive-push %p` : "/bin/true",
        unix_socket_directories: cluster.pg_localhost,
    };
    if (v >= 15) p.wal_compression = "lz4";
    if (kind === "olap") { p.enable_partitionwise_join = true; p.enable_partitionwise_aggregate = true; }
    if (v >= 17) p.sync_replication_slots = true;
    if (v >= 18) {
        p.io_method = cluster.pg_io_method === "auto" ? "io_uring" : cluster.pg_io_method;
        p.io_workers = s.io_workers;
        p.idle_replication_slot_timeout = kind === "crit" ? "3d" : "7d";
    }
    Object.assign(p, cluster.pg_parameters);
    return Object.fromEntries(sortedEntries(p));
}

/**
 * Renders /pg/conf/<ins>.yml for one member. `ctx.node` gives sizing and admin_ip, `ctx.etcd` the
 * DCS, `ctx.infraIps` the REST allowlist additions.
 */
export function renderPatroniYml(cluster: PgClusterConfig, member: PgMember, ctx: PgHostContext): string {
    const ins = pgInstance(cluster, member);
    const scope = pgScope(cluster);
    const rto = rtoPlan(cluster.pg_rto);
    const kind = confKind(cluster.pg_conf);
    const params = pgParameters(cluster, member, ctx);
    const dcsParams: Record<string, GucValue> = {}, localParams: Record<string, GucValue> = {};
    for (const [k, val] of Object.entries(params)) (DCS_ONLY_PARAMETERS.has(k) ? dcsParams : localParams)[k] = val;
    const members = pgMembersSorted(cluster);
    const upstream = member.pg_upstream;
    const standbyLeader = member.pg_role === "primary" && upstream !== undefined;
    const cascadeFrom = !standbyLeader && upstream ? members.find((m) => m.ip === upstream) : undefined;
    const repo = cluster.pgbackrest_repo[cluster.pgbackrest_method];
    const repoIsLocal = !repo || repo.type === undefined || repo.type === "posix";
    const useBackrestClone = cluster.pgbackrest_enabled && !repoIsLocal;
    const watchdogMode = kind === "crit" && cluster.patroni_watchdog_mode === "off" ? "automatic" : cluster.patroni_watchdog_mode;
    const listen = pgListenAddresses(cluster, member, ctx);
    const auth = (user: string, password: string) => (password ? { username: user, password } : { username: user });
    const callback = "/pg/bin/pg-failover-callback";

    const doc = {
        scope,
        namespace: `${cluster.pg_namespace.replace(/\/$/, "")}/`,
        name: ins,
        ...(cluster.pg_mode === "citus" ? { citus: { group: cluster.pg_group, database: cluster.pg_primary_db } } : {}),
        log: { level: "INFO", dir: cluster.patroni_log_dir, file_size: 33554432, file_num: 4 },
        restapi: {
            listen: `0.0.0.0:${cluster.patroni_port}`,
            connect_address: `${member.ip}:${cluster.patroni_port}`,
            authentication: { username: cluster.patroni_username, password: cluster.patroni_password },
            allowlist: sortIps([ctx.node.admin_ip, ...cluster.members.map((m) => m.ip), ...ctx.infraIps]),
            ...(cluster.patroni_ssl_enabled ? { certfile: "/pg/cert/server.crt", keyfile: "/pg/cert/server.key", cafile: "/pg/cert/ca.crt" } : {}),
        },
        ctl: cluster.patroni_ssl_enabled ? { insecure: false, cacert: "/pg/cert/ca.crt", certfile: "/pg/cert/server.crt", keyfile: "/pg/cert/server.key" } : undefined,
        etcd3: {
            hosts: etcdEndpoints(ctx.etcd),
            protocol: ctx.etcdTls === false ? "http" : "https",
            ...(ctx.etcdTls === false ? {} : { cacert: "/pg/cert/ca.crt", cert: "/pg/cert/server.crt", key: "/pg/cert/server.key" }),
            username: scope,
            password: cluster.pg_etcd_password || scope,
        },
        tags: {
            clonefrom: true,
            nofailover: false,
            noloadbalance: false,
            nosync: false,
            ...(cascadeFrom ? { replicatefrom: pgInstance(cluster, cascadeFrom) } : {}),
        },
        watchdog: { mode: watchdogMode, device: "/dev/watchdog", safety_margin: rto.safety_margin },
        bootstrap: {
            dcs: {
                ttl: rto.ttl,
                loop_wait: rto.loop_wait,
                retry_timeout: rto.retry_timeout,
                primary_start_timeout: rto.primary_start_timeout,
                primary_stop_timeout: 30,
                maximum_lag_on_failover: cluster.pg_rpo,
                maximum_lag_on_syncnode: -1,
                ...pgSyncMode(cluster),
                failsafe_mode: true,
                ...(standbyLeader ? {
                    standby_cluster: {
                        host: upstream, port: cluster.pg_port, create_replica_methods: ["basebackup"],
                        ...(cluster.pg_delay !== 0 ? { recovery_min_apply_delay: cluster.pg_delay } : {}),
                    },
                } : {}),
                postgresql: {
                    use_slots: true,
                    use_pg_rewind: true,
                    remove_data_directory_on_rewind_failure: true,
                    parameters: dcsParams,
                },
            },
            // Written by Patroni right after initdb, so replicas can clone before our pg_hba.conf lands.
            pg_hba: pgHbaActiveLines(cluster, member, ctx),
            initdb: [
                { encoding: cluster.pg_encoding }, { locale: cluster.pg_locale },
                { "lc-collate": cluster.pg_lc_collate }, { "lc-ctype": cluster.pg_lc_ctype },
                ...(cluster.pg_checksum || kind === "crit" ? ["data-checksums"] : []),
            ],
        },
        postgresql: {
            use_unix_socket: true,
            use_unix_socket_repl: false,
            listen: `${listen}:${cluster.pg_port}`,
            connect_address: `${member.ip}:${cluster.pg_port}`,
            data_dir: cluster.pg_data,
            config_dir: cluster.pg_data,
            bin_dir: cluster.pg_bin_dir,
            pgpass: "/pg/tmp/.pgpass",
            authentication: {
                superuser: auth(cluster.pg_dbsu, cluster.pg_dbsu_password),
                replication: auth(cluster.pg_replication_username, cluster.pg_replication_password),
                rewind: auth(cluster.pg_replication_username, cluster.pg_replication_password),
            },
            callbacks: { on_start: callback, on_stop: callback, on_restart: callback, on_role_change: callback },
            create_replica_methods: useBackrestClone ? ["pgbackrest", "basebackup"] : ["basebackup"],
            ...(useBackrestClone ? {
                pgbackrest: { command: `/usr/bin/pgbackrest --stanza=${cluster.pg_cluster} --delta restore`, keep_data: true, no_params: true, no_master: true },
            } : {}),
            basebackup: [{ "max-rate": "1000M" }, { checkpoint: "fast" }],
            // Deviation from Pigsty (which renders pg_hba.conf itself): Patroni writes pg_hba.conf
            // from this list on every start and reload, so a clone, a pg_rewind or a failover can
            // never leave a member with another cluster member's (or a stale) HBA.
            pg_hba: pgHbaActiveLines(cluster, member, ctx),
            parameters: localParams,
        },
    };
    if (doc.ctl === undefined) delete (doc as { ctl?: unknown }).ctl;
    return header(`patroni config of ${ins} (pg_conf ${cluster.pg_conf}, pg_rto ${cluster.pg_rto})`) + toYaml(doc);
}

/** /pg/bin/pg-failover-callback: logs Patroni role events and CHECKPOINTs on promotion. */
export function renderFailoverCallback(cluster: PgClusterConfig): string {
    return `#!/bin/bash
# patroni callback of ${cluster.pg_cluster}: <action> <role> <scope>
# generated by pulumi-pigsty; manual changes are overwritten
action=$1; role=$2; scope=$3
logger -t patroni-callback "$(date -u +%FT%TZ) ${"$"}{scope} ${"$"}{action} ${"$"}{role}"
if [[ "$action" == "on_role_change" ]] && [[ "$role" == "master" || "$role" == "primary" ]]; then
    psql -h ${cluster.pg_localhost} -p ${cluster.pg_port} -d postgres -qAtc 'CHECKPOINT' >/dev/null 2>&1 || true
fi
exit 0
`;
}

/**
 * postgresql.conf lines for a parameter set (for patroni_mode: remove, where no Patroni writes the
 * config, and for checking the parameters with `postgres -C`).
 */
export function renderPostgresqlConf(title: string, params: Record<string, GucValue>): string {
    return header(title) + sortedEntries(params).map(([k, v]) => `${k} = ${pgConfValue(v)}`).join("\n") + "\n";
}
