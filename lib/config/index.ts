// The config model: zod schemas (the only place defaults live), validation, derived identities.
export * from "./common";
export * from "./node";
export * from "./infra";
export * from "./etcd";
export * from "./pgsql";
export * from "./minio";
export * from "./redis";
export * from "./placeholders";
export * from "./selector";
export * from "./identity";
export * from "./validate";
export * from "./context";

/**
 * Parameters holding secrets, per module. Schemas keep them as plain strings; components accept
 * `pulumi.Input<string>` for these, resolve them before rendering, and mark the rendered files and
 * outputs secret. Nested secrets: pg_users[].password, minio_users[].secret_key,
 * redis_sentinel_monitor[].password, pgbackrest_repo.*.{s3_key_secret,cipher_pass}, nginx_users values.
 */
export const SECRET_PARAMS = {
    node: ["vip_auth_pass", "haproxy_admin_password"],
    infra: ["grafana_admin_password", "grafana_view_password", "nginx_users"],
    etcd: ["etcd_root_password"],
    pgsql: ["pg_admin_password", "pg_monitor_password", "pg_replication_password", "patroni_password", "pg_dbsu_password", "pg_etcd_password", "pgsodium_key"],
    minio: ["minio_secret_key"],
    redis: ["redis_password"],
} as const;
