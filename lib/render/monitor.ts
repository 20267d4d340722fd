// Monitoring wiring (facts §11): the scrape config of the infra node, file_sd target files per
// module, alertmanager and blackbox configs. Pigsty 4 scrapes with VictoriaMetrics (same Prometheus
// scrape-config format); on Debian 12 we target the packaged Prometheus/Alertmanager/blackbox.
import { EtcdClusterConfig } from "../config/etcd";
import { etcdMemberName, pgInstance } from "../config/identity";
import { InfraConfig } from "../config/infra";
import { MinioClusterConfig } from "../config/minio";
import { NodeConfig } from "../config/node";
import { PgClusterConfig, PgMember } from "../config/pgsql";
import { RedisClusterConfig, RedisNode } from "../config/redis";
import { header, toYaml } from "./util";

export interface ScrapeConfigOptions {
    /** Directory of file_sd target files (Pigsty: /infra/targets). */
    targetsDir?: string;
    /** Directory of rule files. */
    rulesDir?: string;
    /** TLS material used to scrape https targets (etcd, minio, patroni ssl). */
    caFile?: string;
    certFile?: string;
    keyFile?: string;
}

type FileSd = { labels: Record<string, string>; targets: string[] }[];
const sd = (groups: FileSd) => toYaml(groups);

/**
 * /etc/prometheus/prometheus.yml of an infra node: one job per target directory. The redis job
 * scrapes the exporter's /scrape endpoint with the instance URL as target, the ping job goes
 * through blackbox ICMP.
 */
export function renderPrometheusYml(infra: InfraConfig, opts: ScrapeConfigOptions = {}): string {
    const dir = opts.targetsDir ?? "/infra/targets";
    const tls = { ca_file: opts.caFile ?? "/etc/pki/ca.crt", cert_file: opts.certFile ?? "/etc/pki/infra.crt", key_file: opts.keyFile ?? "/etc/pki/infra.key" };
    const job = (name: string, extra: Record<string, unknown> = {}) => ({
        job_name: name,
        ...extra,
        file_sd_configs: [{ files: [`${dir}/${name}/*.yml`], refresh_interval: "5s" }],
    });
    const doc = {
        global: { scrape_interval: infra.vmetrics_scrape_interval, scrape_timeout: infra.vmetrics_scrape_timeout, evaluation_interval: infra.vmetrics_scrape_interval },
        alerting: { alertmanagers: [{ static_configs: [{ targets: infra.members.map((m) => `${m.ip}:${infra.alertmanager_port}`) }] }] },
        rule_files: [`${opts.rulesDir ?? "/infra/rules"}/*.yml`],
        scrape_configs: [
            job("infra", { metrics_path: infra.exporter_metrics_path }),
            job("node", { metrics_path: infra.exporter_metrics_path }),
            job("ping", {
                metrics_path: "/probe", params: { module: ["icmp"] },
                relabel_configs: [
                    { source_labels: ["__address__"], target_label: "__param_target" },
                    { target_label: "__address__", replacement: `127.0.0.1:${infra.blackbox_port}` },
                ],
            }),
            job("etcd", { scheme: "https", tls_config: tls }),
            job("pgsql", { metrics_path: infra.exporter_metrics_path }),
            job("patroni", { scheme: "https", tls_config: tls }),
            job("redis", {
                metrics_path: "/scrape",
                relabel_configs: [
                    { source_labels: ["__address__"], target_label: "__param_target" },
                    { source_labels: ["exporter"], target_label: "__address__" },
                    { source_labels: ["__param_target"], regex: "^redis://(.*):(\\d+)$", replacement: "$1:$2", target_label: "instance" },
                ],
            }),
            job("minio", { scheme: "https", metrics_path: "/minio/metrics/v3", tls_config: { ca_file: tls.ca_file } }),
        ],
    };
    return header("prometheus scrape configuration") + toYaml(doc);
}

/** targets/node/<ip>.yml: node_exporter, haproxy, vector (and keepalived exporter with a VIP). */
export function renderNodeTargets(node: NodeConfig): string {
    const t = [`${node.ip}:${node.node_exporter_port}`];
    if (node.haproxy_enabled) t.push(`${node.ip}:${node.haproxy_exporter_port}`);
    if (node.vector_enabled) t.push(`${node.ip}:${node.vector_port}`);
    if (node.vip_enabled) t.push(`${node.ip}:${node.vip_exporter_port}`);
    return sd([{ labels: { ip: node.ip, ins: node.nodename, cls: node.node_cluster }, targets: t }]);
}

/** targets/ping/<ip>.yml */
export function renderPingTargets(node: NodeConfig): string {
    return sd([{ labels: { ip: node.ip, ins: node.nodename, cls: node.node_cluster }, targets: [node.ip] }]);
}

/** targets/pgsql/<cls>-<seq>.yml: pg_exporter, pgbouncer_exporter, patroni (non-ssl), pgbackrest_exporter. */
export function renderPgTargets(cluster: PgClusterConfig, member: PgMember): string {
    const ip = member.ip;
    const t: string[] = [];
    if (cluster.pg_exporter_enabled) t.push(`${ip}:${cluster.pg_exporter_port}`);
    if (cluster.pgbouncer_enabled && cluster.pgbouncer_exporter_enabled) t.push(`${ip}:${cluster.pgbouncer_exporter_port}`);
    if (!cluster.patroni_ssl_enabled) t.push(`${ip}:${cluster.patroni_port}`);
    if (cluster.pgbackrest_enabled && cluster.pgbackrest_exporter_enabled) t.push(`${ip}:${cluster.pgbackrest_exporter_port}`);
    return sd([{ labels: { ip, ins: pgInstance(cluster, member), cls: cluster.pg_cluster }, targets: t }]);
}

/** targets/etcd/<cls>-<seq>.yml */
export function renderEtcdTargets(etcd: EtcdClusterConfig): Record<string, string> {
    return Object.fromEntries(etcd.members.map((m) => [`${etcdMemberName(etcd, m)}.yml`,
        sd([{ labels: { ip: m.ip, ins: etcdMemberName(etcd, m), cls: etcd.etcd_cluster }, targets: [`${m.ip}:${etcd.etcd_port}`] }])]));
}

/** targets/redis/<cls>-<node>.yml: one group per instance, scraped through the node's exporter. */
export function renderRedisTargets(redis: RedisClusterConfig, node: RedisNode): string {
    const ports = Object.keys(node.redis_instances).map(Number).sort((a, b) => a - b);
    return sd(ports.map((p) => ({
        labels: { ip: node.ip, ins: `${redis.redis_cluster}-${node.redis_node}-${p}`, cls: redis.redis_cluster, exporter: `${node.ip}:${redis.redis_exporter_port}` },
        targets: [`redis://${node.ip}:${p}`],
    })));
}

/** targets/minio/<cls>-<seq>.yml */
export function renderMinioTargets(minio: MinioClusterConfig): Record<string, string> {
    return Object.fromEntries(minio.members.map((m) => [`${minio.minio_cluster}-${m.minio_seq}.yml`,
        sd([{ labels: { ip: m.ip, ins: `${minio.minio_cluster}-${m.minio_seq}`, cls: minio.minio_cluster }, targets: [`${m.ip}:${minio.minio_port}`] }])]));
}

/** targets/infra/infra-<seq>.yml: the infra services of one infra node. */
export function renderInfraTargets(infra: InfraConfig, seq: number): string {
    const m = infra.members.find((x) => x.infra_seq === seq);
    if (!m) throw new Error(`infra_seq ${seq} is not an infra member`);
    const svc: [string, boolean, number][] = [
        ["nginx", infra.nginx_exporter_enabled, infra.nginx_exporter_port], ["prometheus", infra.vmetrics_enabled, infra.vmetrics_port],
        ["alertmanager", infra.alertmanager_enabled, infra.alertmanager_port], ["blackbox", infra.blackbox_enabled, infra.blackbox_port],
        ["grafana", infra.grafana_enabled, infra.grafana_port],
    ];
    return sd(svc.filter(([, on]) => on).map(([name, , port]) => ({ labels: { ip: m.ip, ins: `${name}-${seq}`, cls: name }, targets: [`${m.ip}:${port}`] })));
}

/** /etc/prometheus/alertmanager.yml: group by alertname, 30s/5m/4h, NodeDown inhibits node alerts. */
export function renderAlertmanagerYml(): string {
    return header("alertmanager") + toYaml({
        global: { resolve_timeout: "5m" },
        route: { receiver: "default", group_by: ["alertname"], group_wait: "30s", group_interval: "5m", repeat_interval: "4h" },
        receivers: [{ name: "default" }],
        inhibit_rules: [{ source_matchers: ['alertname="NodeDown"'], target_matchers: ['category="node"'], equal: ["ins"] }],
    });
}

/** /etc/prometheus/blackbox.yml: ICMP (used by the ping job), TCP and HTTP probes. */
export function renderBlackboxYml(): string {
    return header("blackbox exporter") + toYaml({
        modules: {
            icmp: { prober: "icmp", timeout: "5s", icmp: { preferred_ip_protocol: "ip4" } },
            tcp_connect: { prober: "tcp", timeout: "5s" },
            http_2xx: { prober: "http", timeout: "5s", http: { preferred_ip_protocol: "ip4" } },
        },
    });
}
