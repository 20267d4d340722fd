// pgbouncer.ini, database.txt, useropts.txt (Pigsty roles/pgsql/templates/pgbouncer.*).
import { PgHostContext } from "../config/context";
import { pgInstance } from "../config/identity";
import { PgClusterConfig, PgMember, PgUser } from "../config/pgsql";
import { pgListenAddresses } from "./patroni";
import { header, lines } from "./util";

/** /etc/pgbouncer/pgbouncer.ini */
export function renderPgbouncerIni(cluster: PgClusterConfig, member: PgMember, ctx: PgHostContext): string {
    const listen = pgListenAddresses(cluster, member, ctx);
    return header(`pgbouncer of ${pgInstance(cluster, member)}`, ";") + lines(
        "",
        "%include /etc/pgbouncer/database.txt",
        "",
        "[pgbouncer]",
        `logfile = ${cluster.pgbouncer_log_dir}/pgbouncer.log`,
        "pidfile = /var/run/postgresql/pgbouncer.pid",
        `listen_addr = ${listen === "0.0.0.0" ? "*" : listen}`,
        `listen_port = ${cluster.pgbouncer_port}`,
        "unix_socket_dir = /var/run/postgresql",
        `pool_mode = ${cluster.pgbouncer_poolmode}`,
        `admin_users = ${cluster.pg_dbsu}, ${cluster.pg_admin_username}`,
        `stats_users = ${cluster.pg_dbsu}, ${cluster.pg_monitor_username}`,
        "auth_type = hba",
        "auth_file = /etc/pgbouncer/userlist.txt",
        "auth_hba_file = /etc/pgbouncer/pgb_hba.conf",
        cluster.pgbouncer_auth_query && `auth_user = ${cluster.pg_dbsu}`,
        cluster.pgbouncer_auth_query && "auth_query = SELECT * FROM monitor.pgbouncer_auth($1)",
        `client_tls_sslmode = ${cluster.pgbouncer_sslmode}`,
        cluster.pgbouncer_sslmode !== "disable" && "client_tls_key_file = /pg/cert/server.key",
        cluster.pgbouncer_sslmode !== "disable" && "client_tls_cert_file = /pg/cert/server.crt",
        cluster.pgbouncer_sslmode !== "disable" && "client_tls_ca_file = /pg/cert/ca.crt",
        "server_reset_query = DISCARD ALL",
        "max_client_conn = 20000",
        "default_pool_size = 50",
        "reserve_pool_size = 30",
        "reserve_pool_timeout = 1",
        "server_lifetime = 600",
        "max_db_connections = 100",
        "max_user_connections = 100",
        `ignore_startup_parameters = ${cluster.pgbouncer_ignore_param.join(",")}`,
        // max_prepared_statements needs pgbouncer ≥ 1.21; Debian 12 ships 1.18, so it is left out.
        "",
        "%include /etc/pgbouncer/useropts.txt",
    );
}

/** /etc/pgbouncer/database.txt: every pg_databases entry with `pgbouncer: true` that is not absent. */
export function renderPgbouncerDatabases(cluster: PgClusterConfig): string {
    const dbs = cluster.pg_databases.filter((d) => d.pgbouncer && d.state !== "absent");
    const rows = dbs.map((d) => {
        const opts = [
            `host=${cluster.pg_localhost}`,
            d.pool_auth_user !== undefined && `auth_user=${d.pool_auth_user}`,
            d.pool_mode !== undefined && `pool_mode=${d.pool_mode}`,
            d.pool_size !== undefined && `pool_size=${d.pool_size}`,
            d.pool_size_min !== undefined && `min_pool_size=${d.pool_size_min}`,
            d.pool_reserve !== undefined && `reserve_pool=${d.pool_reserve}`,
            d.pool_connlimit !== undefined && `max_db_connections=${d.pool_connlimit}`,
        ].filter(Boolean);
        return `${d.name} = ${opts.join(" ")}`;
    });
    return header(`pgbouncer databases of ${cluster.pg_cluster}`, ";") + lines("[databases]", rows);
}

/** Users exposed through pgbouncer (default roles + pg_users with `pgbouncer: true`, not absent). */
export function pgbouncerUsers(cluster: PgClusterConfig): PgUser[] {
    const byName = new Map<string, PgUser>();
    for (const u of [...cluster.pg_default_roles, ...cluster.pg_users]) byName.set(u.name, u);
    return [...byName.values()].filter((u) => u.pgbouncer && u.state !== "absent");
}

/** /etc/pgbouncer/useropts.txt: per-user pool_mode / max_user_connections. */
export function renderPgbouncerUseropts(cluster: PgClusterConfig): string {
    const rows = pgbouncerUsers(cluster).flatMap((u) => {
        const opts = [u.pool_mode !== undefined && `pool_mode=${u.pool_mode}`, u.pool_connlimit !== undefined && `max_user_connections=${u.pool_connlimit}`].filter(Boolean);
        return opts.length ? [`${u.name} = ${opts.join(" ")}`] : [];
    });
    return header(`pgbouncer user options of ${cluster.pg_cluster}`, ";") + lines("[users]", rows);
}
