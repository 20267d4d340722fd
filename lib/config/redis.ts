// REDIS module parameters (Pigsty roles/redis defaults). Instances are `<cls>-<node>-<port>`.
import { z } from "zod";
import { bool, int, port, secret } from "./common";

export const RedisInstanceSchema = z.object({
    /** `"<ip> <port>"` of the master this instance replicates. */
    replica_of: z.string().regex(/^\S+ \d+$/, "must be '<ip> <port>'").optional(),
}).catchall(z.unknown());

export const SentinelMonitorSchema = z.object({
    name: z.string().min(1),
    host: z.string().min(1),
    port: port.default(6379),
    password: secret.optional(),
    quorum: int((n) => n.min(1)).default(1),
    remove: bool.default(false),
});

export const RedisVarsSchema = z.object({
    /** Redis cluster name, `^[A-Za-z0-9-]+$`. Required. */
    redis_cluster: z.string().regex(/^[A-Za-z0-9-]+$/, "must match ^[A-Za-z0-9-]+$"),
    /** Data root; instance dirs are `<redis_fs_main>/<cls>-<node>-<port>`. Must not be /data. */
    redis_fs_main: z.string().refine((s) => s !== "/data", { message: "must not be /data (Pigsty refuses it)" }).default("/data/redis"),
    /** Run redis_exporter on the node. */
    redis_exporter_enabled: bool.default(true),
    /** redis_exporter port. */
    redis_exporter_port: port.default(9121),
    /** redis or valkey. */
    redis_type: z.enum(["redis", "valkey"]).default("redis"),
    /** standalone (with replica_of), cluster (native), sentinel. */
    redis_mode: z.enum(["standalone", "cluster", "sentinel"]).default("standalone"),
    /** Config template name (informational). */
    redis_conf: z.string().default("redis.conf"),
    /** Bind address; empty means the node IP. */
    redis_bind_address: z.string().default("0.0.0.0"),
    /** maxmemory of each instance, e.g. 1GB. */
    redis_max_memory: z.string().regex(/^\d+(B|KB|MB|GB|kb|mb|gb|k|m|g)?$/, "must be a size like 1GB").default("1GB"),
    /** maxmemory-policy. */
    redis_mem_policy: z.enum(["volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu", "volatile-random", "allkeys-random", "volatile-ttl", "noeviction"]).default("allkeys-lru"),
    /** Secret; empty = no auth. */
    redis_password: secret.default(""),
    /** RDB save points `<seconds> <changes>`; empty = no RDB. */
    redis_rdb_save: z.array(z.string().regex(/^\d+ \d+$/, "must be '<seconds> <changes>'")).default(["1200 1"]),
    /** Enable AOF. */
    redis_aof_enabled: bool.default(false),
    /** rename-command map `{CMD: NEWNAME}`. */
    redis_rename_commands: z.record(z.string(), z.string()).default({}),
    /** Replicas per master in native cluster mode. */
    redis_cluster_replicas: int((n) => n.min(0)).default(1),
    /** Masters a sentinel cluster monitors `{name, host, port, password, quorum, remove}`. */
    redis_sentinel_monitor: z.array(SentinelMonitorSchema).default([]),
    /** Removal refuses while true. */
    redis_safeguard: bool.default(false),
    /** Removal deletes data. */
    redis_rm_data: bool.default(true),
    /** Removal uninstalls packages. */
    redis_rm_pkg: bool.default(false),
});
export type RedisVars = z.infer<typeof RedisVarsSchema>;
export type RedisVarsInput = z.input<typeof RedisVarsSchema>;

export const RedisNodeSchema = z.object({
    ip: z.string(),
    /** Node sequence within the cluster (required int ≥ 0 in practice ≥ 1). */
    redis_node: int((n) => n.min(0, "must be an integer >= 0")),
    /** `{port: {replica_of?}}`; at least one instance. */
    redis_instances: z.record(z.string().regex(/^\d+$/, "instance key must be a port number"), RedisInstanceSchema.nullable().transform((v) => v ?? {}))
        .refine((r) => Object.keys(r).length > 0, { message: "must define at least one instance" }),
});
export type RedisNode = z.infer<typeof RedisNodeSchema>;

export interface RedisClusterConfig extends RedisVars {
    /** Nodes sorted by redis_node. */
    nodes: RedisNode[];
}
