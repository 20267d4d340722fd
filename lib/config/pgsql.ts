// PGSQL module parameters (Pigsty roles/pgsql, roles/pg_monitor, roles/pg_remove defaults).
//
// Deviations from Pigsty's defaults, all because we target Debian 12 hosts with Debian's packages:
//  - pg_version 15 (Pigsty: 18): Debian 12 ships PostgreSQL 15.
//  - pg_bin_dir `/usr/lib/postgresql/<pg_version>/bin` (Pigsty: `/usr/pgsql/bin`, a symlink it makes).
//  - pg_dbsu_uid optional (Pigsty: 26, 543 on deb): Debian's postgresql-common creates `postgres`.
//  - pg_dbsu_home `/var/lib/postgresql` (Pigsty: `/var/lib/pgsql`): Debian's postgres home.
//  - pgbackrest minio repo without `block: y`: Debian 12 ships pgBackRest 2.45, where block
//    incremental backup (repo-block) is a beta feature that also needs `--beta`.
//  - pg_io_method is kept but only rendered for PostgreSQL ≥ 18.
import { z } from "zod";
import { bool, int, ipv4, ipv4Cidr, isIPv4, isIPv4Cidr, port, secret } from "./common";

// ---------------------------------------------------------------------------------------------
// Identity

/** Instance role in the bootstrap topology. */
export const PgRoleSchema = z.enum(["primary", "replica", "standby", "offline", "delayed"]);
export type PgRole = z.infer<typeof PgRoleSchema>;

/** `pg_cluster` rule (roles/pg_id): `^[A-Za-z0-9-]+$` and not `root`. */
export const PgClusterNameSchema = z.string()
    .regex(/^[A-Za-z0-9-]+$/, "must match ^[A-Za-z0-9-]+$")
    .refine((s) => s !== "root", { message: "must not be 'root'" });

/** Per-instance identity (host vars in a pigsty.yml). */
export const PgMemberSchema = z.object({
    /** Node address (the inventory hostname). */
    ip: ipv4,
    /** Instance sequence, integer ≥ 0, unique in the cluster; instance name `<pg_cluster>-<pg_seq>`. */
    pg_seq: int((n) => n.min(0, "must be an integer >= 0")),
    /** primary | replica | standby | offline | delayed. Exactly one primary per cluster. */
    pg_role: PgRoleSchema,
    /** On a primary: standby-cluster upstream leader IP; on a replica: cascade source IP. */
    pg_upstream: ipv4.optional(),
    /** Allow offline (ETL) queries on this instance: it joins the offline service. */
    pg_offline_query: bool.default(false),
    /** HAProxy weight of this instance (0-256). */
    pg_weight: int((n) => n.min(0).max(256, "must be 0-256")).default(100),
});
export type PgMember = z.infer<typeof PgMemberSchema>;
export type PgMemberInput = z.input<typeof PgMemberSchema>;

// ---------------------------------------------------------------------------------------------
// Users, databases, HBA, services

/** Role/user name rule (roles/pgsql/tasks/user.yml). */
export const PG_USER_NAME_RE = /^[a-z_][a-z0-9_@.-]{0,62}$/;

export const PgRoleGrantSchema = z.union([
    z.string().min(1),
    z.object({
        name: z.string().min(1),
        state: z.enum(["grant", "revoke", "absent"]).default("grant"),
        admin: bool.optional(),
        set: bool.optional(),
        inherit: bool.optional(),
    }),
]);

/** A `pg_users` / `pg_default_roles` entry. */
export const PgUserSchema = z.object({
    name: z.string().regex(PG_USER_NAME_RE, "must match ^[a-z_][a-z0-9_@.-]{0,62}$"),
    state: z.enum(["create", "absent"]).default("create"),
    /** Plain text or a SCRAM/MD5 hash. Secret. */
    password: secret.optional(),
    login: bool.default(true),
    superuser: bool.default(false),
    createdb: bool.default(false),
    createrole: bool.default(false),
    inherit: bool.default(true),
    replication: bool.default(false),
    bypassrls: bool.default(false),
    connlimit: int((n) => n.min(-1)).default(-1),
    /** Expire in N days from now (wins over expire_at). */
    expire_in: int((n) => n.min(0)).optional(),
    /** `YYYY-MM-DD` or `infinity`. */
    expire_at: z.string().regex(/^(\d{4}-\d{2}-\d{2}|infinity)$/, "must be YYYY-MM-DD or infinity").optional(),
    comment: z.string().optional(),
    /** Roles granted to this user. */
    roles: z.array(PgRoleGrantSchema).default([]),
    /** Per-role GUCs (`ALTER ROLE … SET`); `DEFAULT` resets. */
    parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    /** Add to pgbouncer userlist/useropts. */
    pgbouncer: bool.default(false),
    pool_mode: z.enum(["session", "transaction", "statement"]).optional(),
    pool_connlimit: int((n) => n.min(-1)).optional(),
});
export type PgUser = z.infer<typeof PgUserSchema>;
export type PgUserInput = z.input<typeof PgUserSchema>;

const PgSchemaItem = z.union([z.string().min(1), z.object({ name: z.string().min(1), owner: z.string().optional(), state: z.enum(["create", "absent"]).default("create") })]);
const PgExtensionItem = z.union([z.string().min(1), z.object({ name: z.string().min(1), schema: z.string().optional(), version: z.string().optional(), state: z.enum(["create", "absent"]).default("create") })]);

/** A `pg_databases` entry. */
export const PgDatabaseSchema = z.object({
    name: z.string().regex(/^[A-Za-z0-9_.-]{1,63}$/, "must match ^[A-Za-z0-9_.-]{1,63}$"),
    state: z.enum(["create", "absent", "recreate"]).default("create"),
    owner: z.string().optional(),
    template: z.string().optional(),
    strategy: z.enum(["FILE_COPY", "WAL_LOG"]).optional(),
    encoding: z.string().optional(),
    locale: z.string().optional(),
    lc_collate: z.string().optional(),
    lc_ctype: z.string().optional(),
    locale_provider: z.enum(["libc", "icu", "builtin"]).optional(),
    icu_locale: z.string().optional(),
    icu_rules: z.string().optional(),
    builtin_locale: z.string().optional(),
    tablespace: z.string().optional(),
    is_template: bool.optional(),
    allowconn: bool.optional(),
    /** Revoke CONNECT from PUBLIC (grant to replicator, monitor, admin and owner). */
    revokeconn: bool.optional(),
    connlimit: int((n) => n.min(-1)).optional(),
    parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    comment: z.string().optional(),
    schemas: z.array(PgSchemaItem).default([]),
    extensions: z.array(PgExtensionItem).default([]),
    /** SQL file run once after creation (the component uploads it). */
    baseline: z.string().optional(),
    /** Expose through pgbouncer. */
    pgbouncer: bool.default(true),
    register_datasource: bool.default(true),
    pool_auth_user: z.string().optional(),
    pool_mode: z.enum(["session", "transaction", "statement"]).optional(),
    pool_size: int((n) => n.min(0)).optional(),
    pool_size_min: int((n) => n.min(0)).optional(),
    pool_reserve: int((n) => n.min(0)).optional(),
    pool_connlimit: int((n) => n.min(-1)).optional(),
});
export type PgDatabase = z.infer<typeof PgDatabaseSchema>;
export type PgDatabaseInput = z.input<typeof PgDatabaseSchema>;

/** HBA `addr` aliases (besides IPv4 / CIDR). */
export const HBA_ADDR_ALIASES = ["local", "localhost", "admin", "infra", "cluster", "intra", "intranet", "world", "all"] as const;
/** HBA `auth` aliases. */
export const HBA_AUTH = ["pwd", "ssl", "sha", "ssl-sha", "md5", "ssl-md5", "deny", "cert", "trust", "ident", "os", "peer"] as const;
/** HBA `role` filter: default/common always apply, others only on instances with that pg_role. */
export const HBA_ROLES = ["common", "default", "primary", "replica", "offline", "standby", "delayed"] as const;

const hbaAddr = z.string().refine((a) => (HBA_ADDR_ALIASES as readonly string[]).includes(a) || isIPv4Cidr(a), {
    message: `must be an alias (${HBA_ADDR_ALIASES.join(", ")}) or an IPv4 address/CIDR`,
});

/** One `pg_hba_rules` / `pgb_hba_rules` entry: either structured (user/db/addr/auth) or raw `rules`. */
export const HbaRuleSchema = z.object({
    /** `all`, a user, `+role`, or `${dbsu}` `${repl}` `${monitor}` `${admin}`. */
    user: z.string().min(1).optional(),
    db: z.string().min(1).optional(),
    addr: hbaAddr.optional(),
    auth: z.enum(HBA_AUTH).optional(),
    /** Raw pg_hba lines (instead of user/db/addr/auth). */
    rules: z.array(z.string()).optional(),
    title: z.string().optional(),
    /** Sort key: 0–99 before defaults, 100–999 defaults, 1000+ after; unordered rules come last. */
    order: int((n) => n.min(0)).optional(),
    role: z.enum(HBA_ROLES).default("common"),
}).superRefine((r, ctx) => {
    if (r.rules === undefined) {
        for (const f of ["addr", "auth"] as const) {
            if (r[f] === undefined) ctx.addIssue({ code: "custom", path: [f], message: "is required unless raw 'rules' are given" });
        }
    } else if (r.addr !== undefined || r.auth !== undefined) {
        ctx.addIssue({ code: "custom", path: ["rules"], message: "give either raw 'rules' or user/db/addr/auth, not both" });
    }
});
export type HbaRule = z.infer<typeof HbaRuleSchema>;
export type HbaRuleInput = z.input<typeof HbaRuleSchema>;

/**
 * A PostgreSQL service exposed by HAProxy on every member (`pg_default_services` / `pg_services`).
 * `selector` and `backup` are Pigsty's JMESPath filters over member identity; we support the subset
 * Pigsty's templates use: `[]` (all) and `[? <cond> ]` with `||`, `&&`, `!`, parentheses,
 * `field == \`value\``, `field != \`value\`` and bare boolean fields (see config/selector.ts).
 */
export const PgServiceSchema = z.object({
    name: z.string().regex(/^[A-Za-z0-9_-]+$/, "must match ^[A-Za-z0-9_-]+$"),
    port,
    ip: z.string().default("*"),
    selector: z.string().default("[]"),
    backup: z.string().optional(),
    /** default (→ pg_default_service_dest) | postgres (pg_port) | pgbouncer (pgbouncer_port) | a port. */
    dest: z.union([z.enum(["default", "postgres", "pgbouncer"]), port]).default("default"),
    /** Patroni REST path used as health check: /primary /read-only /replica /sync /health … */
    check: z.string().regex(/^\//, "must be a path starting with /").default("/"),
    maxconn: int((n) => n.min(1)).default(5000),
    balance: z.enum(["roundrobin", "leastconn"]).default("roundrobin"),
    options: z.array(z.string()).default([]),
});
export type PgService = z.infer<typeof PgServiceSchema>;
export type PgServiceInput = z.input<typeof PgServiceSchema>;

/** One pgBackRest repository definition (keys with underscores, rendered as `repo1-<key-with-dashes>`). */
export const PgbackrestRepoSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

// ---------------------------------------------------------------------------------------------
// Pigsty default lists (roles/pgsql/defaults/main.yml)

const DEFAULT_ROLES: PgUserInput[] = [
    { name: "dbrole_readonly", login: false, comment: "role for global read-only access" },
    { name: "dbrole_offline", login: false, comment: "role for restricted read-only access" },
    { name: "dbrole_readwrite", login: false, roles: ["dbrole_readonly"], comment: "role for global read-write access" },
    { name: "dbrole_admin", login: false, roles: ["pg_monitor", "dbrole_readwrite"], comment: "role for object creation" },
    { name: "postgres", superuser: true, comment: "system superuser" },
    { name: "replicator", replication: true, roles: ["pg_monitor", "dbrole_readonly"], comment: "system replicator" },
    { name: "dbuser_dba", superuser: true, roles: ["dbrole_admin"], pgbouncer: true, pool_mode: "session", pool_connlimit: 16, comment: "pgsql admin user" },
    { name: "dbuser_monitor", roles: ["pg_monitor", "dbrole_readonly"], pgbouncer: true, parameters: { log_min_duration_statement: 1000 }, pool_mode: "session", pool_connlimit: 8, comment: "pgsql monitor user" },
];

const DEFAULT_PRIVILEGES = [
    "GRANT USAGE ON SCHEMAS TO dbrole_readonly",
    "GRANT SELECT ON TABLES TO dbrole_readonly",
    "GRANT SELECT ON SEQUENCES TO dbrole_readonly",
    "GRANT EXECUTE ON FUNCTIONS TO dbrole_readonly",
    "GRANT USAGE ON SCHEMAS TO dbrole_offline",
    "GRANT SELECT ON TABLES TO dbrole_offline",
    "GRANT SELECT ON SEQUENCES TO dbrole_offline",
    "GRANT EXECUTE ON FUNCTIONS TO dbrole_offline",
    "GRANT INSERT ON TABLES TO dbrole_readwrite",
    "GRANT UPDATE ON TABLES TO dbrole_readwrite",
    "GRANT DELETE ON TABLES TO dbrole_readwrite",
    "GRANT USAGE ON SEQUENCES TO dbrole_readwrite",
    "GRANT UPDATE ON SEQUENCES TO dbrole_readwrite",
    "GRANT TRUNCATE ON TABLES TO dbrole_admin",
    "GRANT REFERENCES ON TABLES TO dbrole_admin",
    "GRANT TRIGGER ON TABLES TO dbrole_admin",
    "GRANT CREATE ON SCHEMAS TO dbrole_admin",
];

const DEFAULT_EXTENSIONS = [
    ...["pg_stat_statements", "pgstattuple", "pg_buffercache", "pageinspect", "pg_prewarm", "pg_visibility", "pg_freespacemap"].map((name) => ({ name, schema: "monitor" })),
    ...["postgres_fdw", "file_fdw", "btree_gist", "btree_gin", "pg_trgm", "intagg", "intarray"].map((name) => ({ name, schema: "public" })),
    { name: "pg_repack" },
];

const DEFAULT_HBA_RULES: HbaRuleInput[] = [
    { user: "${dbsu}", db: "all", addr: "local", auth: "ident", title: "dbsu access via local os user ident", order: 100 },
    { user: "${dbsu}", db: "replication", addr: "local", auth: "ident", title: "dbsu replication from local os ident", order: 150 },
    { user: "${repl}", db: "replication", addr: "localhost", auth: "pwd", title: "replicator replication from localhost", order: 200 },
    { user: "${repl}", db: "replication", addr: "intra", auth: "pwd", title: "replicator replication from intranet", order: 250 },
    { user: "${repl}", db: "postgres", addr: "intra", auth: "pwd", title: "replicator postgres db from intranet", order: 300 },
    { user: "${monitor}", db: "all", addr: "localhost", auth: "pwd", title: "monitor from localhost with password", order: 350 },
    { user: "${monitor}", db: "all", addr: "infra", auth: "pwd", title: "monitor from infra host with password", order: 400 },
    { user: "${admin}", db: "all", addr: "intra", auth: "pwd", title: "admin @ intranet nodes with pwd", order: 450 },
    { user: "${admin}", db: "all", addr: "world", auth: "ssl", title: "admin @ everywhere with ssl & pwd", order: 500 },
    { user: "+dbrole_readonly", db: "all", addr: "localhost", auth: "pwd", title: "pgbouncer read/write via local socket", order: 550 },
    { user: "+dbrole_readonly", db: "all", addr: "intra", auth: "pwd", title: "read/write biz user via password", order: 600 },
    { user: "+dbrole_offline", db: "all", addr: "intra", auth: "pwd", title: "allow etl offline tasks from intranet", order: 650 },
];

const DEFAULT_PGB_HBA_RULES: HbaRuleInput[] = [
    { user: "${dbsu}", db: "pgbouncer", addr: "local", auth: "peer", title: "dbsu local admin access with os ident", order: 100 },
    { user: "all", db: "all", addr: "localhost", auth: "pwd", title: "allow all user local access with pwd", order: 150 },
    { user: "${monitor}", db: "pgbouncer", addr: "intra", auth: "pwd", title: "monitor access via intranet with pwd", order: 200 },
    { user: "${monitor}", db: "all", addr: "world", auth: "deny", title: "reject all other monitor access addr", order: 250 },
    { user: "${admin}", db: "all", addr: "intra", auth: "pwd", title: "admin access via intranet with pwd", order: 300 },
    { user: "${admin}", db: "all", addr: "world", auth: "deny", title: "reject all other admin access addr", order: 350 },
    { user: "all", db: "all", addr: "intra", auth: "pwd", title: "allow all user intra access with pwd", order: 400 },
];

const DEFAULT_SERVICES: PgServiceInput[] = [
    { name: "primary", port: 5433, dest: "default", check: "/primary", selector: "[]" },
    { name: "replica", port: 5434, dest: "default", check: "/read-only", selector: "[]", backup: "[? pg_role == `primary` || pg_role == `offline` ]" },
    { name: "default", port: 5436, dest: "postgres", check: "/primary", selector: "[]" },
    { name: "offline", port: 5438, dest: "postgres", check: "/replica", selector: "[? pg_role == `offline` || pg_offline_query ]", backup: "[? pg_role == `replica` && !pg_offline_query]" },
];

const DEFAULT_PGBACKREST_REPO = {
    local: { path: "/pg/backup", retention_full_type: "count", retention_full: 2 },
    minio: {
        type: "s3", s3_endpoint: "sss.pigsty", s3_region: "us-east-1", s3_bucket: "pgsql", s3_key: "pgbackrest",
        s3_key_secret: "S3User.Backup", s3_uri_style: "path", path: "/pgbackrest", storage_port: 9000,
        storage_ca_file: "/etc/pki/ca.crt", bundle: "y", bundle_limit: "20MiB", bundle_size: "128MiB",
        cipher_type: "aes-256-cbc", cipher_pass: "pgBackRest", retention_full_type: "time", retention_full: 14,
    },
};

/** pg_conf templates: tuned parameter families of Patroni's config. */
export const PgConfSchema = z.preprocess(
    (v) => (typeof v === "string" && !v.endsWith(".yml") ? `${v}.yml` : v),
    z.enum(["oltp.yml", "olap.yml", "crit.yml", "tiny.yml"]),
);
export type PgConf = z.infer<typeof PgConfSchema>;

/** Patroni watchdog mode; YAML 1.1 `off` (a boolean false) is accepted as "off" (Pigsty issue #726). */
const watchdogMode = z.preprocess((v) => (v === false ? "off" : v === true ? "required" : v), z.enum(["off", "automatic", "required"]));

// ---------------------------------------------------------------------------------------------
// Cluster-wide parameters

const PgsqlVarsObject = z.object({
    // ---- IDENTITY
    /** Cluster name, `^[A-Za-z0-9-]+$`, not `root`. Required. */
    pg_cluster: PgClusterNameSchema,
    /** pgsql (others are Pigsty kernels we do not install on Debian; only pgsql/citus shapes are rendered). */
    pg_mode: z.enum(["pgsql", "citus", "mssql", "mysql", "ivory", "pgtde", "polar", "gpsql", "agens", "oriole", "pgedge"]).default("pgsql"),
    /** Citus shard name (defaults to pg_cluster). */
    pg_shard: z.string().optional(),
    /** Citus group id. */
    pg_group: int((n) => n.min(0)).default(0),

    // ---- BUSINESS
    /** Business users/roles (CREATE + ALTER on the primary). */
    pg_users: z.array(PgUserSchema).default([]),
    /** Business databases. */
    pg_databases: z.array(PgDatabaseSchema).default([]),
    /** Extra HAProxy services on top of pg_default_services. */
    pg_services: z.array(PgServiceSchema).default([]),
    /** Extra pg_hba rules (merged with pg_default_hba_rules by `order`). */
    pg_hba_rules: z.array(HbaRuleSchema).default([]),
    /** Extra pgbouncer hba rules (merged with pgb_default_hba_rules by `order`). */
    pgb_hba_rules: z.array(HbaRuleSchema).default([]),
    /** Crontab lines of the dbsu. */
    pg_crontab: z.array(z.string()).default([]),
    /** Admin user (`${admin}` in HBA). */
    pg_admin_username: z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be a plain role name").default("dbuser_dba"),
    /** Admin password. Secret. */
    pg_admin_password: secret.default("DBUser.DBA"),
    /** Monitor user (`${monitor}` in HBA). */
    pg_monitor_username: z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be a plain role name").default("dbuser_monitor"),
    /** Monitor password. Secret. */
    pg_monitor_password: secret.default("DBUser.Monitor"),
    /** Replication user (`${repl}` in HBA). */
    pg_replication_username: z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be a plain role name").default("replicator"),
    /** Replication password. Secret. */
    pg_replication_password: secret.default("DBUser.Replicator"),
    /** Patroni REST API user. */
    patroni_username: z.string().default("postgres"),
    /** Patroni REST API password. Secret. */
    patroni_password: secret.default("Patroni.API"),
    /** dbsu password; empty = none. */
    pg_dbsu_password: secret.default(""),
    /** Password of the cluster's etcd user; empty = the cluster name (Pigsty's insecure default). */
    pg_etcd_password: secret.default(""),

    // ---- INSTALL
    /** Database superuser OS user (`${dbsu}` in HBA). */
    pg_dbsu: z.string().default("postgres"),
    /** Ours: optional, Debian's postgresql-common creates the `postgres` user (Pigsty: 26/543). */
    pg_dbsu_uid: int().optional(),
    /** dbsu sudo: none, limit (service control only), all, nopass. */
    pg_dbsu_sudo: z.enum(["none", "limit", "all", "nopass"]).default("limit"),
    /** Ours: Debian's postgres home (Pigsty: /var/lib/pgsql). */
    pg_dbsu_home: z.string().default("/var/lib/postgresql"),
    /** Exchange dbsu ssh keys within the cluster. */
    pg_dbsu_ssh_exchange: bool.default(true),
    /** Major version. Ours: 15, what Debian 12 ships (Pigsty: 18). */
    pg_version: int((n) => n.min(13).max(19)).default(15),
    /** Binary dir. Ours: `/usr/lib/postgresql/<pg_version>/bin` when unset (Pigsty: /usr/pgsql/bin). */
    pg_bin_dir: z.string().optional(),
    /** PostgreSQL log directory. */
    pg_log_dir: z.string().default("/pg/log/postgres"),
    /** Package aliases to install (mapped to Debian packages by components). */
    pg_packages: z.array(z.string()).default(["pgsql-main pgsql-common"]),
    /** Extension packages to install. */
    pg_extensions: z.array(z.string()).default([]),

    // ---- BOOTSTRAP
    /** PostgreSQL data directory. */
    pg_data: z.string().default("/pg/data"),
    /** Main filesystem of PostgreSQL; /pg links to `<pg_fs_main>/<cls>-<ver>`. */
    pg_fs_main: z.string().default("/data/postgres"),
    /** Backup filesystem; /pg/backup links under it. */
    pg_fs_backup: z.string().default("/data/backups"),
    /** Size of the pg_fs_main filesystem in GiB. Ours: explicit sizing input (Pigsty: `df`, fallback 40). */
    pg_fs_main_gb: z.number().positive().default(40),
    /** SSD or HDD (random_page_cost, effective_io_concurrency). */
    pg_storage_type: z.enum(["SSD", "HDD"]).default("SSD"),
    /** Size of /pg/dummy, space reserved for emergencies. */
    pg_dummy_filesize: z.string().default("64MiB"),
    /** Listen addresses, comma separated; `${ip}`, `${lo}`, `${vip}` placeholders. */
    pg_listen: z.string().default("0.0.0.0"),
    /** PostgreSQL port. */
    pg_port: port.default(5432),
    /** Unix socket directory. */
    pg_localhost: z.string().default("/var/run/postgresql"),
    /** Manage PostgreSQL with Patroni (false: a plain postgres.service). */
    patroni_enabled: bool.default(true),
    /** default, pause (maintenance mode after bootstrap), remove (no Patroni after bootstrap). */
    patroni_mode: z.enum(["default", "pause", "remove"]).default("default"),
    /** etcd key prefix of Patroni. */
    pg_namespace: z.string().regex(/^\/[A-Za-z0-9_/-]*$/, "must be an absolute etcd key prefix").default("/pg"),
    /** Patroni REST API port (HAProxy health checks). */
    patroni_port: port.default(8008),
    /** Patroni log directory. */
    patroni_log_dir: z.string().default("/pg/log/patroni"),
    /** Serve the Patroni REST API over HTTPS. */
    patroni_ssl_enabled: bool.default(false),
    /** off, automatic, required (crit template turns off into automatic). */
    patroni_watchdog_mode: watchdogMode.default("off"),
    /** Main database (cron.database_name, citus database). */
    pg_primary_db: z.string().default("postgres"),
    /** Extra GUCs written to postgresql.auto.conf (we render them into Patroni parameters). */
    pg_parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    /** Extra files copied into the data directory (names; the component uploads them). */
    pg_files: z.array(z.string()).default([]),
    /** oltp.yml | olap.yml | crit.yml | tiny.yml (`.yml` optional). */
    pg_conf: PgConfSchema.default("oltp.yml"),
    /** `auto` or an integer ≥ 20. */
    pg_max_conn: z.union([z.literal("auto"), int((n) => n.min(20, "must be >= 20 or 'auto'"))]).default("auto"),
    pg_shared_buffer_ratio: z.number().min(0.1, "must be 0.1-0.4").max(0.4, "must be 0.1-0.4").default(0.25),
    /** PG18+ only: worker | sync | io_uring | auto. Ignored for older versions. */
    pg_io_method: z.enum(["worker", "sync", "io_uring", "auto"]).default("worker"),
    /** RTO plan: fast | norm | safe | wide (Pigsty silently falls back to norm; we reject unknown names). */
    pg_rto: z.enum(["fast", "norm", "safe", "wide"]).default("norm"),
    /** Max lag (bytes) for failover; 0 = synchronous mode. */
    pg_rpo: int((n) => n.min(0)).default(1048576),
    /** shared_preload_libraries. */
    pg_libs: z.string().default("pg_stat_statements, auto_explain"),
    /** Replay delay of a delayed standby cluster, e.g. `1h` (0 = none). */
    pg_delay: z.union([z.literal(0), z.string()]).default(0),
    /** initdb --data-checksums (crit forces it). */
    pg_checksum: bool.default(true),
    /** password_encryption and the `pwd` HBA method: scram-sha-256 or md5. */
    pg_pwd_enc: z.enum(["scram-sha-256", "md5"]).default("scram-sha-256"),
    /** initdb encoding. */
    pg_encoding: z.string().default("UTF8"),
    /** initdb locale. */
    pg_locale: z.string().default("C"),
    /** initdb lc-collate. */
    pg_lc_collate: z.string().default("C"),
    /** initdb lc-ctype. */
    pg_lc_ctype: z.string().default("C"),
    /** pgsodium root key (hex). Secret. */
    pgsodium_key: secret.optional(),

    // ---- PROVISION
    /** Create default roles, privileges, schemas and extensions. */
    pg_provision: bool.default(true),
    /** Init script name. */
    pg_init: z.string().default("pg-init"),
    /** System roles and users (dbrole_*, postgres, replicator, dbuser_dba, dbuser_monitor). */
    pg_default_roles: z.array(PgUserSchema).prefault(DEFAULT_ROLES),
    /** ALTER DEFAULT PRIVILEGES grants for objects made by admin roles. */
    pg_default_privileges: z.array(z.string().regex(/^GRANT \w+ ON \w+ TO \S+$/i, "must be 'GRANT <priv> ON <objects> TO <role>'")).default(DEFAULT_PRIVILEGES),
    /** Schemas created in template1 and postgres. */
    pg_default_schemas: z.array(z.string()).default(["monitor"]),
    /** Extensions created in template1 and postgres. */
    pg_default_extensions: z.array(z.object({ name: z.string(), schema: z.string().optional() })).default(DEFAULT_EXTENSIONS),
    /** Reload PostgreSQL after HBA/parameter changes. */
    pg_reload: bool.default(true),
    /** Pigsty's default pg_hba rules (orders 100-650). */
    pg_default_hba_rules: z.array(HbaRuleSchema).prefault(DEFAULT_HBA_RULES),
    /** Pigsty's default pgbouncer hba rules (orders 100-400). */
    pgb_default_hba_rules: z.array(HbaRuleSchema).prefault(DEFAULT_PGB_HBA_RULES),

    // ---- BACKUP
    /** Back up with pgBackRest (and archive WAL to it). */
    pgbackrest_enabled: bool.default(true),
    /** pgBackRest log directory. */
    pgbackrest_log_dir: z.string().default("/pg/log/pgbackrest"),
    /** Key of pgbackrest_repo to use. */
    pgbackrest_method: z.string().default("local"),
    /** Take a full backup after the stanza is created. */
    pgbackrest_init_backup: bool.default(true),
    /** Repository definitions `{name: {key: value}}`; keys become `repo1-<key>`. */
    pgbackrest_repo: z.record(z.string(), PgbackrestRepoSchema).default(DEFAULT_PGBACKREST_REPO),

    // ---- ACCESS
    /** Run pgbouncer on every member. */
    pgbouncer_enabled: bool.default(true),
    /** pgbouncer port. */
    pgbouncer_port: port.default(6432),
    /** pgbouncer log directory. */
    pgbouncer_log_dir: z.string().default("/pg/log/pgbouncer"),
    /** Authenticate unknown users via monitor.pgbouncer_auth(). */
    pgbouncer_auth_query: bool.default(false),
    /** Default pool mode: session, transaction, statement. */
    pgbouncer_poolmode: z.enum(["session", "transaction", "statement"]).default("transaction"),
    /** client_tls_sslmode. */
    pgbouncer_sslmode: z.enum(["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]).default("disable"),
    /** ignore_startup_parameters. */
    pgbouncer_ignore_param: z.array(z.string()).default(["extra_float_digits", "application_name", "TimeZone", "DateStyle", "IntervalStyle", "search_path"]),
    /** Node group whose HAProxy serves this cluster's services; '' = each member's own HAProxy. */
    pg_service_provider: z.string().default(""),
    pg_default_service_dest: z.enum(["pgbouncer", "postgres"]).default("pgbouncer"),
    pg_default_services: z.array(PgServiceSchema).prefault(DEFAULT_SERVICES),
    /** Run vip-manager: the primary holds pg_vip_address. */
    pg_vip_enabled: bool.default(false),
    /** VIP with mask, e.g. 10.10.10.2/24. */
    pg_vip_address: ipv4Cidr.default("127.0.0.1/24"),
    /** NIC for the VIP; `auto` = detected. */
    pg_vip_interface: z.string().default("auto"),
    /** Suffix of the cluster's DNS names. */
    pg_dns_suffix: z.string().default(""),
    /** auto | primary | vip | none | an IPv4. */
    pg_dns_target: z.string().refine((s) => ["auto", "primary", "vip", "none"].includes(s) || isIPv4(s), { message: "must be auto, primary, vip, none or an IPv4" }).default("auto"),

    // ---- MONITOR
    /** Run pg_exporter. */
    pg_exporter_enabled: bool.default(true),
    /** pg_exporter collector config file. */
    pg_exporter_config: z.string().default("pg_exporter.yml"),
    /** pg_exporter cache TTL tiers. */
    pg_exporter_cache_ttls: z.string().default("1,10,60,300"),
    /** pg_exporter port. */
    pg_exporter_port: port.default(9630),
    /** Extra connection parameters of the exporter URL. */
    pg_exporter_params: z.string().default("sslmode=disable"),
    /** Override of the exporter's connection URL. */
    pg_exporter_url: z.string().default(""),
    /** Discover and monitor all databases. */
    pg_exporter_auto_discovery: bool.default(true),
    /** Databases not monitored. */
    pg_exporter_exclude_database: z.string().default("template0,template1,postgres"),
    /** Only these databases (empty = all). */
    pg_exporter_include_database: z.string().default(""),
    /** Exporter connect timeout (ms). */
    pg_exporter_connect_timeout: int((n) => n.min(1)).default(200),
    /** Run pgbouncer_exporter. */
    pgbouncer_exporter_enabled: bool.default(true),
    /** pgbouncer_exporter port. */
    pgbouncer_exporter_port: port.default(9631),
    /** Run pgbackrest_exporter. */
    pgbackrest_exporter_enabled: bool.default(true),
    /** pgbackrest_exporter port. */
    pgbackrest_exporter_port: port.default(9854),
    /** pgbackrest_exporter flags. */
    pgbackrest_exporter_options: z.string().default("--collect.interval=120 --log.level=info"),

    // ---- REMOVE
    /** Removal refuses while true. */
    pg_safeguard: bool.default(false),
    /** Removal deletes the data directory. */
    pg_rm_data: bool.default(true),
    /** Removal deletes the stanza and local backups. */
    pg_rm_backup: bool.default(true),
    /** Removal uninstalls packages. */
    pg_rm_pkg: bool.default(true),
});

/**
 * Cluster-wide PGSQL parameters with Pigsty's names and defaults. The transform fills defaults that
 * depend on other fields (pg_bin_dir from pg_version, pg_shard from pg_cluster).
 */
export const PgsqlVarsSchema = PgsqlVarsObject.transform((v) => ({
    ...v,
    pg_bin_dir: v.pg_bin_dir ?? `/usr/lib/postgresql/${v.pg_version}/bin`,
    pg_shard: v.pg_shard ?? v.pg_cluster,
}));
/** The keys of the cluster-wide PGSQL parameters (used to classify inventory vars). */
export const PGSQL_VAR_KEYS: readonly string[] = Object.keys(PgsqlVarsObject.shape);
export type PgsqlVars = z.output<typeof PgsqlVarsSchema>;
export type PgsqlVarsInput = z.input<typeof PgsqlVarsSchema>;

/** A validated PostgreSQL cluster: cluster parameters plus members sorted by pg_seq. */
export interface PgClusterConfig extends PgsqlVars {
    members: PgMember[];
}

/** TypeScript args for one cluster: parameters plus members (what components accept). */
export type PgClusterInput = PgsqlVarsInput & { members: PgMemberInput[] };
