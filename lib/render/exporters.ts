// Environment files of the exporters (Debian's units read /etc/default/<name>) and the admin
// user's sudoers rule. The PGSQL ones carry the monitor password: upload them 0600.
import { NodeConfig } from "../config/node";
import { PgClusterConfig } from "../config/pgsql";

const MANAGED = "# managed by pulumi-pigsty\n";

/** /etc/default/prometheus-node-exporter */
export function renderNodeExporterDefault(node: NodeConfig): string {
    return `${MANAGED}ARGS="--web.listen-address=:${node.node_exporter_port} ${node.node_exporter_options}"\n`;
}

/** /etc/default/prometheus-postgres-exporter: local socket, monitor user (URL-encoded credentials). */
export function renderPgExporterDefault(c: PgClusterConfig): string {
    const user = encodeURIComponent(c.pg_monitor_username);
    const pw = encodeURIComponent(c.pg_monitor_password);
    return `${MANAGED}DATA_SOURCE_NAME='postgresql://${user}:${pw}@:${c.pg_port}/postgres?host=${c.pg_localhost}&sslmode=disable'\nARGS='--web.listen-address=:${c.pg_exporter_port}'\n`;
}

/** /etc/default/pgbouncer_exporter: admin console over TCP as the monitor user; password for libpq. */
export function renderPgbouncerExporterDefault(c: PgClusterConfig): string {
    // systemd EnvironmentFile: inside double quotes only \ and " need escaping
    const pw = c.pg_monitor_password.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
    return `${MANAGED}PGBOUNCER_EXPORTER_DSN='host=127.0.0.1 port=${c.pgbouncer_port} dbname=pgbouncer user=${c.pg_monitor_username}'\nPGPASSWORD="${pw}"\n`;
}

/** /etc/sudoers.d/<node_admin_username>, per node_admin_sudo (all | nopass | limit). */
export function renderAdminSudoers(node: NodeConfig): string {
    const rule =
        node.node_admin_sudo === "all" ? "ALL=(ALL) ALL"
            : node.node_admin_sudo === "nopass" ? "ALL=(ALL) NOPASSWD: ALL"
                : "ALL=(ALL) NOPASSWD: /usr/bin/systemctl, /usr/bin/journalctl";
    return `${node.node_admin_username} ${rule}\n`;
}
