// /etc/pgbackrest/pgbackrest.conf (Pigsty roles/pgsql/templates/pgbackrest.conf).
import { PgHostContext } from "../config/context";
import { PgClusterConfig } from "../config/pgsql";
import { expandPlaceholders } from "../config/placeholders";
import { header, lines } from "./util";

const clamp = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);

function repoValue(v: string | number | boolean): string {
    if (typeof v === "boolean") return v ? "y" : "n";
    return String(v);
}

/**
 * Global section + one stanza `[<pg_cluster>]`. repo1-* comes from pgbackrest_repo[pgbackrest_method]
 * (underscores → dashes, `${pg_cluster}` expanded). process-max: backup/archive clamp(ceil(cpu/4),2,4),
 * restore min(cpu,8). Contains the repo's S3 key and cipher pass when set: upload 0600.
 */
export function renderPgbackrestConf(cluster: PgClusterConfig, ctx: Pick<PgHostContext, "node">): string {
    const repo = cluster.pgbackrest_repo[cluster.pgbackrest_method] ?? {};
    const cpu = ctx.node.node_cpu;
    const pm = clamp(Math.ceil(cpu / 4), 2, 4);
    const repoLines = Object.entries(repo).map(([k, v]) => {
        const val = typeof v === "string" ? expandPlaceholders(v, { pg_cluster: cluster.pg_cluster }, `${cluster.pg_cluster}: pgbackrest_repo.${cluster.pgbackrest_method}.${k}`) : repoValue(v);
        return `repo1-${k.replace(/_/g, "-")}=${val}`;
    });
    return header(`pgbackrest of ${cluster.pg_cluster} (repo: ${cluster.pgbackrest_method})`) + lines(
        "[global]",
        repoLines,
        "",
        "archive-async=y",
        "archive-push-queue-max=4GiB",
        "expire-auto=y",
        "start-fast=y",
        "delta=y",
        "compress-type=zst",
        "spool-path=/pg/spool",
        `log-path=${cluster.pgbackrest_log_dir}`,
        "log-level-console=info",
        "log-level-file=info",
        "",
        "[global:backup]",
        `process-max=${pm}`,
        "",
        "[global:archive-push]",
        `process-max=${pm}`,
        "",
        "[global:archive-get]",
        `process-max=${pm}`,
        "",
        "[global:restore]",
        `process-max=${Math.min(cpu, 8)}`,
        "",
        `[${cluster.pg_cluster}]`,
        `pg1-path=${cluster.pg_data}`,
        `pg1-port=${cluster.pg_port}`,
        `pg1-socket-path=${cluster.pg_localhost}`,
        `pg1-user=${cluster.pg_dbsu}`,
    );
}
