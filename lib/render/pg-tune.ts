// Pigsty's sizing formulas for the pg_conf templates (roles/pgsql/templates/{oltp,olap,crit,tiny}.yml),
// from explicit inputs (CPU, memory, data filesystem size) instead of probed facts.
import { PgConf } from "../config/pgsql";

export interface PgSizingInput {
    pg_conf: PgConf;
    node_cpu: number;
    node_mem_mb: number;
    /** Size of pg_fs_main in GiB. */
    pg_fs_main_gb: number;
    pg_max_conn: "auto" | number;
    pg_shared_buffer_ratio: number;
    pg_default_service_dest: "pgbouncer" | "postgres";
    pg_libs: string;
    pg_version: number;
}

export interface PgSizing {
    max_connections: number;
    shared_buffers_mb: number;
    maintenance_work_mem_mb: number;
    effective_cache_size_mb: number;
    work_mem_mb: number;
    max_locks_per_transaction: number;
    max_prepared_transactions: number;
    min_wal_size_gb: number;
    max_wal_size_gb: number;
    max_slot_wal_keep_size_gb: number;
    temp_file_limit_gb: number;
    max_worker_processes: number;
    max_parallel_workers: number;
    max_parallel_workers_per_gather: number;
    max_parallel_maintenance_workers: number;
    /** PG18+ only. */
    io_workers: number;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);

/** The template family without `.yml`. */
export function confKind(c: PgConf): "oltp" | "olap" | "crit" | "tiny" {
    return c.replace(/\.yml$/, "") as "oltp" | "olap" | "crit" | "tiny";
}

/**
 * Computes the sized GUCs. Formulas (facts §7.2), `kind` in parentheses where it differs:
 * max_connections: pg_max_conn if numeric, else 500 behind pgbouncer / 1000 direct (olap 500, tiny 250);
 * shared_buffers = ceil(mem × ratio); maintenance_work_mem = floor(25% sb) (olap 50%);
 * effective_cache_size = mem − sb; work_mem = clamp(floor(sb / maxconn), 64, 1024) (olap 64..8192, tiny 16..256);
 * max_locks_per_transaction = maxconn, ×2 with citus/timescaledb (olap ×2, ×4 with them);
 * max_prepared_transactions = maxconn with citus else 0;
 * t = clamp(ceil(fs / 20GiB), 1, 100): min_wal_size t, max_wal_size 4t, max_slot_wal_keep_size 6t,
 * temp_file_limit t (olap 4t) GB, each capped (200, 2000, 3000, 200/2000);
 * max_worker_processes = max(cpu+8, 16) + 8 (olap max(cpu+12, 20) + 8, tiny max(cpu+4, 12) + 8);
 * max_parallel_workers = max(ceil(.5 cpu), 2) (olap .8); per_gather = min(max(floor(.2 cpu), 2), 8)
 * (olap max(floor(.5 cpu), 2), crit/tiny 0); maintenance workers = max(ceil(.33 cpu), 2);
 * io_workers = clamp(ceil(.25 cpu), 4, 16) (olap clamp(ceil(.5 cpu), 4, 32), crit ≤ 8, tiny 3).
 */
export function pgSizing(i: PgSizingInput): PgSizing {
    const kind = confKind(i.pg_conf);
    const cpu = i.node_cpu, mem = i.node_mem_mb;
    const autoConn = kind === "olap" ? 500 : kind === "tiny" ? 250 : i.pg_default_service_dest === "pgbouncer" ? 500 : 1000;
    const maxconn = i.pg_max_conn === "auto" || i.pg_max_conn < 20 ? autoConn : i.pg_max_conn;
    const sb = Math.ceil(mem * i.pg_shared_buffer_ratio);
    const heavyLocks = /\b(citus|timescaledb)\b/.test(i.pg_libs);
    const citus = /\bcitus\b/.test(i.pg_libs);
    const t = clamp(Math.ceil(i.pg_fs_main_gb / 20), 1, 100);
    const [wmLo, wmHi] = kind === "olap" ? [64, 8192] : kind === "tiny" ? [16, 256] : [64, 1024];
    const lockFactor = kind === "olap" ? (heavyLocks ? 4 : 2) : heavyLocks ? 2 : 1;
    const workerBase = kind === "olap" ? Math.max(cpu + 12, 20) : kind === "tiny" ? Math.max(cpu + 4, 12) : Math.max(cpu + 8, 16);
    return {
        max_connections: maxconn,
        shared_buffers_mb: sb,
        maintenance_work_mem_mb: Math.floor(sb * (kind === "olap" ? 0.5 : 0.25)),
        effective_cache_size_mb: mem - sb,
        work_mem_mb: clamp(Math.floor(sb / maxconn), wmLo, wmHi),
        max_locks_per_transaction: maxconn * lockFactor,
        max_prepared_transactions: citus ? maxconn : 0,
        min_wal_size_gb: Math.min(t, 200),
        max_wal_size_gb: Math.min(4 * t, 2000),
        max_slot_wal_keep_size_gb: Math.min(6 * t, 3000),
        temp_file_limit_gb: kind === "olap" ? Math.min(4 * t, 2000) : Math.min(t, 200),
        max_worker_processes: workerBase + 8,
        max_parallel_workers: Math.max(Math.ceil((kind === "olap" ? 0.8 : 0.5) * cpu), 2),
        max_parallel_workers_per_gather: kind === "crit" || kind === "tiny" ? 0
            : kind === "olap" ? Math.max(Math.floor(0.5 * cpu), 2) : Math.min(Math.max(Math.floor(0.2 * cpu), 2), 8),
        max_parallel_maintenance_workers: Math.max(Math.ceil(0.33 * cpu), 2),
        io_workers: kind === "tiny" ? 3 : kind === "olap" ? clamp(Math.ceil(0.5 * cpu), 4, 32)
            : kind === "crit" ? clamp(Math.ceil(0.25 * cpu), 4, 8) : clamp(Math.ceil(0.25 * cpu), 4, 16),
    };
}
