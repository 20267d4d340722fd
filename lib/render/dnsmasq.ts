// dnsmasq on infra nodes (facts §4.2 step 4) and the records modules drop into its hostsdir.
import { InfraConfig } from "../config/infra";
import { pgInstance, pgPrimary, pgVipIp } from "../config/identity";
import { PgClusterConfig } from "../config/pgsql";
import { expandPlaceholders } from "../config/placeholders";
import { header, lines } from "./util";

/** /etc/dnsmasq.conf of an infra node listening on 127.0.0.1 and its IP. */
export function renderDnsmasqConf(infra: InfraConfig, ip: string, hostsDir = "/etc/dnsmasq.d/pigsty"): string {
    return header("dnsmasq") + lines(
        `port=${infra.dns_port}`,
        `listen-address=127.0.0.1,${ip}`,
        "bind-interfaces",
        "no-hosts",
        "bogus-priv",
        "domain-needed",
        `hostsdir=${hostsDir}`,
        "cache-size=10000",
    );
}

/** hostsdir/default: dns_records with `${admin_ip}` expanded. */
export function renderDnsRecords(infra: InfraConfig, adminIp: string): string {
    return infra.dns_records.map((r, i) => expandPlaceholders(r, { admin_ip: adminIp }, `infra: dns_records[${i}]`)).join("\n") + "\n";
}

/**
 * PG DNS records: one file per instance (`<ins>` → its IP) and one for the cluster (`<cls>` → VIP
 * or primary IP, per pg_dns_target). Names get pg_dns_suffix. Returns file name → content.
 */
export function renderPgDnsRecords(cluster: PgClusterConfig): Record<string, string> {
    const sfx = cluster.pg_dns_suffix;
    const out: Record<string, string> = {};
    for (const m of cluster.members) out[pgInstance(cluster, m)] = `${m.ip} ${pgInstance(cluster, m)}${sfx}\n`;
    const t = cluster.pg_dns_target;
    const target = t === "none" ? undefined
        : t === "vip" || (t === "auto" && cluster.pg_vip_enabled) ? pgVipIp(cluster)
        : t === "auto" || t === "primary" ? pgPrimary(cluster).ip : t;
    if (target) out[cluster.pg_cluster] = `${target} ${cluster.pg_cluster}${sfx}\n`;
    return out;
}
