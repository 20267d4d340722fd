// systemd units of the services we run ourselves (Debian's own units are used where they fit:
// haproxy, nginx, chrony, dnsmasq). All follow Pigsty's unit settings (facts §5, §7.3, §7.9, §8).
import { EtcdClusterConfig } from "../config/etcd";
import { MinioClusterConfig } from "../config/minio";
import { PgClusterConfig } from "../config/pgsql";
import { RedisClusterConfig } from "../config/redis";
import { header, lines } from "./util";

/** A systemd unit described by its sections. */
export interface Unit {
    description: string;
    after?: string[];
    wants?: string[];
    before?: string[];
    service: Record<string, string | number | undefined>;
    wantedBy?: string;
}

/** Renders a unit from sections; keys keep the given order (stable diffs). */
export function renderUnit(u: Unit): string {
    const svc = Object.entries(u.service).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);
    return header(u.description) + lines(
        "[Unit]",
        `Description=${u.description}`,
        u.after?.length ? `After=${u.after.join(" ")}` : false,
        u.wants?.length ? `Wants=${u.wants.join(" ")}` : false,
        u.before?.length ? `Before=${u.before.join(" ")}` : false,
        "",
        "[Service]",
        svc,
        "",
        "[Install]",
        `WantedBy=${u.wantedBy ?? "multi-user.target"}`,
    );
}

/** etcd.service (Type=notify, LimitNOFILE 65536, OOMScoreAdjust -1000). */
export function renderEtcdUnit(_etcd: EtcdClusterConfig): string {
    return renderUnit({
        description: "etcd key-value store (pigsty DCS)",
        after: ["network-online.target"], wants: ["network-online.target"],
        service: {
            Type: "notify", User: "etcd", Group: "etcd",
            ExecStart: "/usr/bin/etcd --config-file /etc/etcd/etcd.conf",
            Restart: "always", RestartSec: "5s", LimitNOFILE: 65536, OOMScoreAdjust: -1000,
        },
    });
}

/** patroni.service (User dbsu, Restart=no, KillMode=process: Patroni's children survive a Patroni restart). */
export function renderPatroniUnit(cluster: PgClusterConfig): string {
    return renderUnit({
        description: `patroni HA agent of ${cluster.pg_cluster}`,
        after: ["network-online.target", "syslog.target"], wants: ["network-online.target"],
        service: {
            Type: "simple", User: cluster.pg_dbsu, Group: cluster.pg_dbsu,
            ExecStart: "/usr/bin/patroni /etc/patroni/patroni.yml",
            ExecReload: "/bin/kill -HUP $MAINPID",
            KillMode: "process", TimeoutSec: 30, Restart: "no",
            LimitNOFILE: 8388608, OOMScoreAdjust: -1000,
        },
    });
}

/** postgres.service: runs PostgreSQL without Patroni (patroni_mode: remove). */
export function renderPostgresUnit(cluster: PgClusterConfig): string {
    return renderUnit({
        description: `postgres of ${cluster.pg_cluster} without patroni`,
        after: ["network-online.target"], wants: ["network-online.target"],
        service: {
            Type: "forking", User: cluster.pg_dbsu, Group: cluster.pg_dbsu,
            ExecStart: `${cluster.pg_bin_dir}/pg_ctl start -D ${cluster.pg_data} -s -w -t 300`,
            ExecStop: `${cluster.pg_bin_dir}/pg_ctl stop -D ${cluster.pg_data} -s -m fast`,
            ExecReload: `${cluster.pg_bin_dir}/pg_ctl reload -D ${cluster.pg_data} -s`,
            KillMode: "mixed", TimeoutSec: 300, LimitNOFILE: 8388608, OOMScoreAdjust: -1000,
        },
    });
}

/** pgbouncer.service (User dbsu, HUP reload). Replaces Debian's unit so the config path is ours. */
export function renderPgbouncerUnit(cluster: PgClusterConfig): string {
    return renderUnit({
        description: `pgbouncer of ${cluster.pg_cluster}`,
        after: ["network-online.target", "patroni.service"], wants: ["network-online.target"],
        service: {
            Type: "notify", User: cluster.pg_dbsu, Group: cluster.pg_dbsu,
            ExecStart: "/usr/sbin/pgbouncer /etc/pgbouncer/pgbouncer.ini",
            ExecReload: "/bin/kill -HUP $MAINPID",
            KillSignal: "SIGINT", LimitNOFILE: 65536, Restart: "on-failure",
        },
    });
}

/** vip-manager.service (Before=patroni). */
export function renderVipManagerUnit(cluster: PgClusterConfig): string {
    return renderUnit({
        description: `vip-manager of ${cluster.pg_cluster}`,
        after: ["network-online.target"], wants: ["network-online.target"], before: ["patroni.service"],
        service: { Type: "simple", ExecStart: "/usr/bin/vip-manager --config=/etc/default/vip-manager.yml", Restart: "on-failure" },
    });
}

/** <cls>-<node>-<port>.service for one redis instance (Type=notify, supervised systemd). */
export function renderRedisUnit(redis: RedisClusterConfig, nodeSeq: number, port: number): string {
    const name = `${redis.redis_cluster}-${nodeSeq}-${port}`;
    const sentinel = redis.redis_mode === "sentinel";
    const bin = redis.redis_type === "valkey" ? (sentinel ? "/usr/bin/valkey-sentinel" : "/usr/bin/valkey-server") : (sentinel ? "/usr/bin/redis-sentinel" : "/usr/bin/redis-server");
    return renderUnit({
        description: `redis ${sentinel ? "sentinel" : "instance"} ${name}`,
        after: ["network-online.target"], wants: ["network-online.target"],
        service: {
            Type: "notify", User: "redis", Group: "redis",
            ExecStart: `${bin} /etc/redis/${name}.conf --supervised systemd --daemonize no`,
            ExecStop: `/usr/bin/redis-cli -p ${port} shutdown`,
            Restart: "always", LimitNOFILE: 65536, TimeoutStartSec: 30,
        },
    });
}

/** The MinIO server unit; Pigsty 4's Silo binary is replaced by Debian-less `minio` (see render/minio.ts). */
export function renderMinioUnit(minio: MinioClusterConfig): string {
    return renderUnit({
        description: `minio server of ${minio.minio_cluster}`,
        after: ["network-online.target"], wants: ["network-online.target"],
        service: {
            Type: "notify", User: minio.minio_user, Group: minio.minio_user,
            EnvironmentFile: "/etc/default/minio",
            ExecStart: "/usr/local/bin/minio server $MINIO_OPTS $MINIO_VOLUMES",
            Restart: "always", LimitNOFILE: 1048576, TimeoutStopSec: "infinity", SendSIGKILL: "no",
        },
    });
}

/** A Prometheus-style exporter unit reading flags from /etc/default/<name>. */
export function renderExporterUnit(name: string, binary: string, user: string): string {
    return renderUnit({
        description: `${name} prometheus exporter`,
        after: ["network-online.target"], wants: ["network-online.target"],
        service: { Type: "simple", User: user, Group: user, EnvironmentFile: `-/etc/default/${name}`, ExecStart: `${binary} $ARGS`, Restart: "on-failure", RestartSec: "5s" },
    });
}
