// Init SQL (Pigsty roles/pgsql/templates/pg-init-roles.sql, pg-init-template.sql, pg-user.sql,
// pg-db.sql): our own idempotent SQL with the same effects — every statement can run again.
// Files carrying passwords must be uploaded 0600 and are run with statement logging off.
import { PgClusterConfig, PgDatabase, PgUser } from "../config/pgsql";
import { header } from "./util";

/** Quotes an identifier. */
export function ident(s: string): string {
    return `"${s.replace(/"/g, '""')}"`;
}
/** Quotes a string literal. */
export function literal(s: string): string {
    return `'${s.replace(/'/g, "''")}'`;
}
function gucLiteral(v: string | number | boolean): string {
    if (typeof v === "number") return String(v);
    if (typeof v === "boolean") return v ? "on" : "off";
    return literal(v);
}

/** CREATE (if missing) + ALTER one role/user to match its definition. */
export function roleSql(u: PgUser, pgVersion: number): string {
    const name = ident(u.name);
    if (u.state === "absent") {
        return [
            `-- drop role ${u.name}: reassign and drop owned objects in the current database, then drop`,
            `DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(u.name)}) THEN`,
            `  EXECUTE 'REASSIGN OWNED BY ${name.replace(/'/g, "''")} TO postgres';`,
            `  EXECUTE 'DROP OWNED BY ${name.replace(/'/g, "''")}';`,
            `  EXECUTE 'DROP ROLE ${name.replace(/'/g, "''")}';`,
            "END IF; END $$;",
        ].join("\n");
    }
    const attrs = [
        u.login ? "LOGIN" : "NOLOGIN", u.superuser ? "SUPERUSER" : "NOSUPERUSER", u.createdb ? "CREATEDB" : "NOCREATEDB",
        u.createrole ? "CREATEROLE" : "NOCREATEROLE", u.inherit ? "INHERIT" : "NOINHERIT", u.replication ? "REPLICATION" : "NOREPLICATION",
        u.bypassrls ? "BYPASSRLS" : "NOBYPASSRLS", `CONNECTION LIMIT ${u.connlimit}`,
    ];
    const out = [
        `-- role ${u.name}`,
        `DO $$ BEGIN CREATE ROLE ${name}; EXCEPTION WHEN duplicate_object THEN NULL; END $$;`,
        `ALTER ROLE ${name} ${attrs.join(" ")};`,
    ];
    if (u.password !== undefined) out.push(`ALTER ROLE ${name} PASSWORD ${literal(u.password)};`);
    if (u.expire_in !== undefined) {
        out.push(`DO $$ BEGIN EXECUTE format('ALTER ROLE %I VALID UNTIL %L', ${literal(u.name)}, (current_date + ${u.expire_in})::text); END $$;`);
    } else if (u.expire_at !== undefined) {
        out.push(`ALTER ROLE ${name} VALID UNTIL ${literal(u.expire_at)};`);
    }
    if (u.comment !== undefined) out.push(`COMMENT ON ROLE ${name} IS ${literal(u.comment)};`);
    for (const r of u.roles) {
        const g = typeof r === "string" ? { name: r, state: "grant" as const } : r;
        if (g.state === "revoke" || g.state === "absent") { out.push(`REVOKE ${ident(g.name)} FROM ${name};`); continue; }
        const opts: string[] = [];
        if ("admin" in g && g.admin !== undefined) opts.push(`ADMIN ${g.admin ? "TRUE" : "FALSE"}`);
        if (pgVersion >= 16 && "inherit" in g && g.inherit !== undefined) opts.push(`INHERIT ${g.inherit ? "TRUE" : "FALSE"}`);
        if (pgVersion >= 16 && "set" in g && g.set !== undefined) opts.push(`SET ${g.set ? "TRUE" : "FALSE"}`);
        if (opts.length === 0 || pgVersion >= 16) out.push(`GRANT ${ident(g.name)} TO ${name}${opts.length ? ` WITH ${opts.join(", ")}` : ""};`);
        else out.push(`GRANT ${ident(g.name)} TO ${name}${"admin" in g && g.admin ? " WITH ADMIN OPTION" : ""};`);
    }
    for (const [k, v] of Object.entries(u.parameters).sort(([a], [b]) => (a < b ? -1 : 1))) {
        out.push(v === "DEFAULT" ? `ALTER ROLE ${name} RESET ${ident(k)};` : `ALTER ROLE ${name} SET ${k} = ${gucLiteral(v)};`);
    }
    return out.join("\n");
}

/** /pg/tmp/pg-init-roles.sql: default roles, then the credential parameters force their passwords. */
export function renderInitRolesSql(cluster: PgClusterConfig): string {
    const body = cluster.pg_default_roles.map((r) => roleSql(r, cluster.pg_version));
    const pw = (user: string, p: string) => `ALTER ROLE ${ident(user)} PASSWORD ${literal(p)};`;
    return header(`default roles of ${cluster.pg_cluster} (contains passwords: keep 0600)`, "--") + [
        "SET log_statement TO 'none';",
        "SET log_min_duration_statement TO -1;",
        ...body,
        "-- credentials from pg_*_username / pg_*_password",
        pw(cluster.pg_replication_username, cluster.pg_replication_password),
        pw(cluster.pg_monitor_username, cluster.pg_monitor_password),
        pw(cluster.pg_admin_username, cluster.pg_admin_password),
        ...(cluster.pg_dbsu_password ? [pw(cluster.pg_dbsu, cluster.pg_dbsu_password)] : []),
        "",
    ].join("\n");
}

/** ALTER DEFAULT PRIVILEGES for each creator role (postgres, admin user, dbrole_admin, + extra owners). */
export function defaultPrivilegesSql(cluster: PgClusterConfig, extraOwners: string[] = []): string[] {
    const creators = [...new Set([cluster.pg_dbsu, cluster.pg_admin_username, "dbrole_admin", ...extraOwners])];
    const out: string[] = [];
    for (const c of creators) {
        for (const p of cluster.pg_default_privileges) out.push(`ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(c)} ${p};`);
    }
    return out;
}

function extensionSql(name: string, schema?: string, version?: string): string {
    return `CREATE EXTENSION IF NOT EXISTS ${ident(name)}${schema ? ` WITH SCHEMA ${ident(schema)}` : ""}${version ? ` VERSION ${literal(version)}` : ""} CASCADE;`;
}

/**
 * /pg/tmp/pg-init-template.sql, run on template1 and postgres: default privileges, default schemas,
 * public schema hardening, default extensions, monitor helpers (heartbeat, pgbouncer auth query).
 */
export function renderInitTemplateSql(cluster: PgClusterConfig): string {
    const mon = ident(cluster.pg_monitor_username);
    return header(`template provisioning of ${cluster.pg_cluster}`, "--") + [
        "-- default privileges of objects created by admin roles",
        ...defaultPrivilegesSql(cluster),
        "",
        "-- schemas",
        ...cluster.pg_default_schemas.map((s) => `CREATE SCHEMA IF NOT EXISTS ${ident(s)};`),
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC;",
        "GRANT CREATE ON SCHEMA public TO dbrole_admin;",
        "",
        "-- extensions",
        ...cluster.pg_default_extensions.map((e) => extensionSql(e.name, e.schema)),
        "",
        "-- monitor user",
        `ALTER ROLE ${mon} SET search_path = monitor, public;`,
        ...(cluster.pg_default_schemas.includes("monitor") ? [
            `GRANT USAGE ON SCHEMA monitor TO ${mon}, dbrole_readonly;`,
            "",
            "-- replication heartbeat: the primary upserts, replicas read the lag",
            "CREATE TABLE IF NOT EXISTS monitor.heartbeat (id TEXT PRIMARY KEY, ts TIMESTAMPTZ NOT NULL, lsn BIGINT NOT NULL, txid BIGINT NOT NULL);",
            "CREATE OR REPLACE FUNCTION monitor.beating() RETURNS TIMESTAMPTZ LANGUAGE sql AS $fn$",
            "  INSERT INTO monitor.heartbeat (id, ts, lsn, txid)",
            "  VALUES (current_setting('cluster_name'), now(), pg_current_wal_lsn() - '0/0', txid_current())",
            "  ON CONFLICT (id) DO UPDATE SET ts = EXCLUDED.ts, lsn = EXCLUDED.lsn, txid = EXCLUDED.txid",
            "  RETURNING ts;",
            "$fn$;",
            "",
            "-- pgbouncer auth_query (SECURITY DEFINER so pgbouncer's auth user needs no pg_authid access)",
            "CREATE OR REPLACE FUNCTION monitor.pgbouncer_auth(p_username TEXT) RETURNS TABLE(username TEXT, password TEXT)",
            "LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $fn$",
            "  SELECT rolname::TEXT, rolpassword::TEXT FROM pg_authid WHERE NOT rolsuper AND rolname = p_username;",
            "$fn$;",
            "REVOKE ALL ON FUNCTION monitor.pgbouncer_auth(TEXT) FROM PUBLIC;",
            `GRANT EXECUTE ON FUNCTION monitor.pgbouncer_auth(TEXT) TO ${ident(cluster.pg_dbsu)};`,
        ] : []),
        "",
        "-- backup functions for the replicator (pgbackrest / pg_basebackup from replicas)",
        `GRANT EXECUTE ON FUNCTION pg_catalog.${cluster.pg_version >= 15 ? "pg_backup_start(text, boolean)" : "pg_start_backup(text, boolean, boolean)"} TO ${ident(cluster.pg_replication_username)};`,
        `GRANT EXECUTE ON FUNCTION pg_catalog.${cluster.pg_version >= 15 ? "pg_backup_stop(boolean)" : "pg_stop_backup(boolean, boolean)"} TO ${ident(cluster.pg_replication_username)};`,
        `GRANT EXECUTE ON FUNCTION pg_catalog.pg_create_restore_point(text) TO ${ident(cluster.pg_replication_username)};`,
        `GRANT EXECUTE ON FUNCTION pg_catalog.pg_switch_wal() TO ${ident(cluster.pg_replication_username)};`,
        "",
    ].join("\n");
}

/** /pg/tmp/pg-user-<name>.sql for one business user (run on the primary). */
export function renderUserSql(cluster: PgClusterConfig, user: PgUser): string {
    return header(`user ${user.name} of ${cluster.pg_cluster}${user.password ? " (contains a password: keep 0600)" : ""}`, "--") +
        ["SET log_statement TO 'none';", "SET log_min_duration_statement TO -1;", roleSql(user, cluster.pg_version), ""].join("\n");
}

/**
 * /pg/tmp/pg-db-<name>.sql, part 1, run on `postgres` with psql: create if missing (`\gexec`, since
 * CREATE DATABASE cannot run inside a DO block), then ALTER to the declared state.
 */
export function renderDatabaseSql(cluster: PgClusterConfig, db: PgDatabase): string {
    const name = ident(db.name);
    const out: string[] = [];
    if (db.state === "absent" || db.state === "recreate") {
        out.push(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${literal(db.name)} AND pid <> pg_backend_pid();`);
        out.push(`DROP DATABASE IF EXISTS ${name};`);
        if (db.state === "absent") return header(`drop database ${db.name}`, "--") + out.join("\n") + "\n";
    }
    const opts = [
        db.owner && `OWNER ${ident(db.owner)}`,
        db.template && `TEMPLATE ${ident(db.template)}`,
        db.strategy && cluster.pg_version >= 15 && `STRATEGY ${db.strategy}`,
        db.encoding && `ENCODING ${literal(db.encoding)}`,
        db.locale && `LOCALE ${literal(db.locale)}`,
        db.lc_collate && `LC_COLLATE ${literal(db.lc_collate)}`,
        db.lc_ctype && `LC_CTYPE ${literal(db.lc_ctype)}`,
        db.locale_provider && `LOCALE_PROVIDER ${db.locale_provider}`,
        db.icu_locale && `ICU_LOCALE ${literal(db.icu_locale)}`,
        db.icu_rules && cluster.pg_version >= 16 && `ICU_RULES ${literal(db.icu_rules)}`,
        db.builtin_locale && cluster.pg_version >= 17 && `BUILTIN_LOCALE ${literal(db.builtin_locale)}`,
        db.tablespace && `TABLESPACE ${ident(db.tablespace)}`,
    ].filter(Boolean).join(" ");
    const create = `CREATE DATABASE ${name}${opts ? ` ${opts}` : ""}`;
    out.push(`SELECT ${literal(create)} WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = ${literal(db.name)})\\gexec`);
    if (db.owner) out.push(`ALTER DATABASE ${name} OWNER TO ${ident(db.owner)};`);
    if (db.is_template !== undefined) out.push(`ALTER DATABASE ${name} IS_TEMPLATE ${db.is_template};`);
    if (db.allowconn !== undefined) out.push(`ALTER DATABASE ${name} ALLOW_CONNECTIONS ${db.allowconn};`);
    if (db.connlimit !== undefined) out.push(`ALTER DATABASE ${name} CONNECTION LIMIT ${db.connlimit};`);
    for (const [k, v] of Object.entries(db.parameters).sort(([a], [b]) => (a < b ? -1 : 1))) {
        out.push(v === "DEFAULT" ? `ALTER DATABASE ${name} RESET ${k};` : `ALTER DATABASE ${name} SET ${k} = ${gucLiteral(v)};`);
    }
    if (db.comment !== undefined) out.push(`COMMENT ON DATABASE ${name} IS ${literal(db.comment)};`);
    out.push(`REVOKE CREATE ON DATABASE ${name} FROM PUBLIC;`);
    out.push(`GRANT CREATE ON DATABASE ${name} TO dbrole_admin;`);
    if (db.revokeconn) {
        out.push(`REVOKE CONNECT ON DATABASE ${name} FROM PUBLIC;`);
        const granted = [cluster.pg_replication_username, cluster.pg_monitor_username, cluster.pg_admin_username, ...(db.owner ? [db.owner] : [])];
        out.push(`GRANT CONNECT ON DATABASE ${name} TO ${[...new Set(granted)].map(ident).join(", ")};`);
    } else {
        out.push(`GRANT CONNECT ON DATABASE ${name} TO PUBLIC;`);
    }
    return header(`database ${db.name} of ${cluster.pg_cluster}`, "--") + out.join("\n") + "\n";
}

/** /pg/tmp/pg-db-<name>.sql, part 2, run inside the database: schemas, extensions, privileges. */
export function renderDatabaseProvisionSql(cluster: PgClusterConfig, db: PgDatabase): string {
    const out: string[] = [
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC;",
        "GRANT CREATE ON SCHEMA public TO dbrole_admin;",
    ];
    for (const s of db.schemas) {
        const o = typeof s === "string" ? { name: s, state: "create" as const, owner: undefined } : s;
        if (o.state === "absent") out.push(`DROP SCHEMA IF EXISTS ${ident(o.name)} CASCADE;`);
        else out.push(`CREATE SCHEMA IF NOT EXISTS ${ident(o.name)}${o.owner ? ` AUTHORIZATION ${ident(o.owner)}` : ""};`);
    }
    for (const e of db.extensions) {
        const o = typeof e === "string" ? { name: e, state: "create" as const, schema: undefined, version: undefined } : e;
        if (o.state === "absent") out.push(`DROP EXTENSION IF EXISTS ${ident(o.name)} CASCADE;`);
        else out.push(extensionSql(o.name, o.schema, o.version));
    }
    if (db.owner) out.push(...defaultPrivilegesSql(cluster, [db.owner]).filter((l) => l.includes(`FOR ROLE ${ident(db.owner!)} `)));
    return header(`provisioning inside database ${db.name}`, "--") + out.join("\n") + "\n";
}
