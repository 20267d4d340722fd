// Crontabs: node_crontab (/etc/crontab lines) and pg_crontab (the dbsu's crontab).
import { NodeConfig } from "../config/node";
import { PgClusterConfig } from "../config/pgsql";
import { header, lines } from "./util";

/**
 * /etc/crontab block for node_crontab. With node_crontab_overwrite the component replaces the file
 * with this content; otherwise it appends the lines (tagged) to the existing crontab.
 */
export function renderNodeCrontab(node: NodeConfig): string {
    return header("node crontab (node_crontab)") + lines(
        "SHELL=/bin/bash",
        "PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin",
        node.node_crontab,
    );
}

/** /var/spool/cron/crontabs/<dbsu> (Debian path; Pigsty uses /var/spool/cron/<dbsu> on EL). */
export function renderPgCrontab(cluster: PgClusterConfig): string {
    return header(`crontab of ${cluster.pg_dbsu} on ${cluster.pg_cluster} (pg_crontab)`) + lines(
        "SHELL=/bin/bash",
        "PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin:/pg/bin",
        cluster.pg_crontab,
    );
}
