// Redis instance and sentinel configs (Pigsty roles/redis/templates/redis.conf, redis-sentinel.conf).
import { RedisClusterConfig, RedisNode } from "../config/redis";
import { header, lines } from "./util";

/** `<cls>-<node>-<port>` */
export function redisInstanceName(redis: RedisClusterConfig, node: RedisNode, port: number | string): string {
    return `${redis.redis_cluster}-${node.redis_node}-${port}`;
}

/** /etc/redis/<cls>-<node>-<port>.conf (standalone, cluster or sentinel per redis_mode). */
export function renderRedisConf(redis: RedisClusterConfig, node: RedisNode, port: number): string {
    const name = redisInstanceName(redis, node, port);
    const inst = node.redis_instances[String(port)] ?? {};
    const bind = redis.redis_bind_address === "" ? node.ip : redis.redis_bind_address;
    const dir = `${redis.redis_fs_main}/${name}`;
    if (redis.redis_mode === "sentinel") {
        return header(`redis sentinel ${name}`) + lines(
            `bind ${bind}`,
            `port ${port}`,
            "protected-mode no",
            "daemonize no",
            "supervised systemd",
            `pidfile /var/run/redis/${name}.pid`,
            `logfile /var/log/redis/${name}.log`,
            `dir ${dir}`,
            redis.redis_password !== "" && `sentinel sentinel-pass ${redis.redis_password}`,
            // monitored masters are added at runtime (SENTINEL MONITOR), as Pigsty's redis-ha play does
        );
    }
    return header(`redis instance ${name} (${redis.redis_mode})`) + lines(
        `bind ${bind}`,
        `port ${port}`,
        "protected-mode no",
        "daemonize no",
        "supervised systemd",
        `pidfile /var/run/redis/${name}.pid`,
        "loglevel notice",
        `logfile /var/log/redis/${name}.log`,
        "databases 16",
        `dir ${dir}`,
        redis.redis_rdb_save.length ? redis.redis_rdb_save.map((s) => `save ${s}`) : ['save ""'],
        `dbfilename ${name}.rdb`,
        "stop-writes-on-bgsave-error yes",
        "rdbcompression yes",
        `appendonly ${redis.redis_aof_enabled ? "yes" : "no"}`,
        `appendfilename "${name}.aof"`,
        "appendfsync everysec",
        inst.replica_of !== undefined && `replicaof ${inst.replica_of}`,
        redis.redis_password !== "" && `masterauth ${redis.redis_password}`,
        redis.redis_password !== "" && `requirepass ${redis.redis_password}`,
        "replica-serve-stale-data yes",
        "replica-read-only yes",
        "maxclients 6000",
        `maxmemory ${redis.redis_max_memory}`,
        `maxmemory-policy ${redis.redis_mem_policy}`,
        Object.entries(redis.redis_rename_commands).sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, n]) => `rename-command ${c} "${n}"`),
        redis.redis_mode === "cluster" && "cluster-enabled yes",
        redis.redis_mode === "cluster" && `cluster-config-file nodes-${port}.conf`,
        redis.redis_mode === "cluster" && "cluster-node-timeout 15000",
    );
}

/** Commands a sentinel receives for redis_sentinel_monitor (piped to redis-cli; contain passwords). */
export function renderSentinelMonitorCommands(redis: RedisClusterConfig): string {
    const out: string[] = [];
    for (const m of redis.redis_sentinel_monitor) {
        out.push(`SENTINEL REMOVE ${m.name}`);
        if (m.remove) continue;
        out.push(`SENTINEL MONITOR ${m.name} ${m.host} ${m.port} ${m.quorum}`);
        if (m.password) out.push(`SENTINEL SET ${m.name} auth-pass ${m.password}`);
    }
    return out.join("\n") + (out.length ? "\n" : "");
}
