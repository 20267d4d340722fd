// Pigsty's sizing formulas (facts §7.2) for several node sizes and every pg_conf template.
import { pgSizing, PgSizing, PgSizingInput } from "../../lib/render";

const base: Omit<PgSizingInput, "pg_conf" | "node_cpu" | "node_mem_mb" | "pg_fs_main_gb"> = {
    pg_max_conn: "auto", pg_shared_buffer_ratio: 0.25, pg_default_service_dest: "pgbouncer", pg_libs: "pg_stat_statements, auto_explain", pg_version: 15,
};
type Row = [string, Partial<PgSizingInput> & Pick<PgSizingInput, "pg_conf" | "node_cpu" | "node_mem_mb" | "pg_fs_main_gb">, PgSizing];

// columns: conn, sb, maint, ecs, work_mem, locks, prepared, min_wal, max_wal, slot_keep, temp, workers, par, gather, maint_workers, io
const s = (...v: number[]): PgSizing => ({
    max_connections: v[0], shared_buffers_mb: v[1], maintenance_work_mem_mb: v[2], effective_cache_size_mb: v[3], work_mem_mb: v[4],
    max_locks_per_transaction: v[5], max_prepared_transactions: v[6], min_wal_size_gb: v[7], max_wal_size_gb: v[8], max_slot_wal_keep_size_gb: v[9],
    temp_file_limit_gb: v[10], max_worker_processes: v[11], max_parallel_workers: v[12], max_parallel_workers_per_gather: v[13],
    max_parallel_maintenance_workers: v[14], io_workers: v[15],
});

const rows: Row[] = [
    ["oltp 2c4g 40G (sandbox meta)", { pg_conf: "oltp.yml", node_cpu: 2, node_mem_mb: 4096, pg_fs_main_gb: 40 }, s(500, 1024, 256, 3072, 64, 500, 0, 2, 8, 12, 2, 24, 2, 2, 2, 4)],
    ["oltp 8c32g 500G", { pg_conf: "oltp.yml", node_cpu: 8, node_mem_mb: 32768, pg_fs_main_gb: 500 }, s(500, 8192, 2048, 24576, 64, 500, 0, 25, 100, 150, 25, 24, 4, 2, 3, 4)],
    ["oltp 64c256g 4T max_conn 1000", { pg_conf: "oltp.yml", node_cpu: 64, node_mem_mb: 262144, pg_fs_main_gb: 4000, pg_max_conn: 1000 }, s(1000, 65536, 16384, 196608, 65, 1000, 0, 100, 400, 600, 100, 80, 32, 8, 22, 16)],
    ["oltp direct to postgres", { pg_conf: "oltp.yml", node_cpu: 4, node_mem_mb: 8192, pg_fs_main_gb: 100, pg_default_service_dest: "postgres" }, s(1000, 2048, 512, 6144, 64, 1000, 0, 5, 20, 30, 5, 24, 2, 2, 2, 4)],
    ["oltp with citus", { pg_conf: "oltp.yml", node_cpu: 4, node_mem_mb: 8192, pg_fs_main_gb: 100, pg_libs: "citus, pg_stat_statements" }, s(500, 2048, 512, 6144, 64, 1000, 500, 5, 20, 30, 5, 24, 2, 2, 2, 4)],
    ["olap 16c64g 2T", { pg_conf: "olap.yml", node_cpu: 16, node_mem_mb: 65536, pg_fs_main_gb: 2000 }, s(500, 16384, 8192, 49152, 64, 1000, 0, 100, 400, 600, 400, 36, 13, 8, 6, 8)],
    ["olap 64c512g ratio .4", { pg_conf: "olap.yml", node_cpu: 64, node_mem_mb: 524288, pg_fs_main_gb: 10000, pg_shared_buffer_ratio: 0.4 }, s(500, 209716, 104858, 314572, 419, 1000, 0, 100, 400, 600, 400, 84, 52, 32, 22, 32)],
    ["crit 8c16g 100G direct", { pg_conf: "crit.yml", node_cpu: 8, node_mem_mb: 16384, pg_fs_main_gb: 100, pg_default_service_dest: "postgres" }, s(1000, 4096, 1024, 12288, 64, 1000, 0, 5, 20, 30, 5, 24, 4, 0, 3, 4)],
    ["crit 48c192g", { pg_conf: "crit.yml", node_cpu: 48, node_mem_mb: 196608, pg_fs_main_gb: 1000 }, s(500, 49152, 12288, 147456, 98, 500, 0, 50, 200, 300, 50, 64, 24, 0, 16, 8)],
    ["tiny 1c1g 20G", { pg_conf: "tiny.yml", node_cpu: 1, node_mem_mb: 1024, pg_fs_main_gb: 20 }, s(250, 256, 64, 768, 16, 250, 0, 1, 4, 6, 1, 20, 2, 0, 2, 3)],
    ["tiny 2c8g", { pg_conf: "tiny.yml", node_cpu: 2, node_mem_mb: 8192, pg_fs_main_gb: 40 }, s(250, 2048, 512, 6144, 16, 250, 0, 2, 8, 12, 2, 20, 2, 0, 2, 3)],
];

describe("pg sizing formulas", () => {
    test.each(rows)("%s", (_n, input, expected) => {
        expect(pgSizing({ ...base, ...input })).toEqual(expected);
    });
    test("shared buffers follow pg_shared_buffer_ratio", () => {
        expect(pgSizing({ ...base, pg_conf: "oltp.yml", node_cpu: 4, node_mem_mb: 10000, pg_fs_main_gb: 40, pg_shared_buffer_ratio: 0.1 }).shared_buffers_mb).toBe(1000);
    });
    test("pg_max_conn below 20 falls back to auto (Pigsty)", () => {
        expect(pgSizing({ ...base, pg_conf: "oltp.yml", node_cpu: 4, node_mem_mb: 8192, pg_fs_main_gb: 40, pg_max_conn: 5 }).max_connections).toBe(500);
    });
});
