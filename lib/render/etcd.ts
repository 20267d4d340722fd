// etcd: /etc/etcd/etcd.conf (YAML config file) and etcd.service (roles/etcd/templates).
import { EtcdClusterConfig, EtcdMember } from "../config/etcd";
import { EtcdTlsOption, etcdInitialCluster, etcdMemberName } from "../config/identity";
import { header, toYaml } from "./util";

/**
 * /etc/etcd/etcd.conf of one member. TLS files are /etc/etcd/{ca.crt,server.crt,server.key};
 * `opts.tls: false` renders plain http URLs and no transport security (Pigsty always uses TLS).
 */
export function renderEtcdConf(etcd: EtcdClusterConfig, member: EtcdMember, opts: EtcdTlsOption = {}): string {
    const secure = opts.tls !== false;
    const scheme = secure ? "https" : "http";
    const tls = { "cert-file": "/etc/etcd/server.crt", "key-file": "/etc/etcd/server.key", "trusted-ca-file": "/etc/etcd/ca.crt" };
    const doc = {
        name: etcdMemberName(etcd, member),
        "data-dir": etcd.etcd_data,
        "listen-peer-urls": `${scheme}://${member.ip}:${etcd.etcd_peer_port}`,
        "listen-client-urls": `${scheme}://${member.ip}:${etcd.etcd_port},${scheme}://127.0.0.1:${etcd.etcd_port}`,
        "initial-advertise-peer-urls": `${scheme}://${member.ip}:${etcd.etcd_peer_port}`,
        "advertise-client-urls": `${scheme}://${member.ip}:${etcd.etcd_port}`,
        "initial-cluster": etcdInitialCluster(etcd, opts),
        "initial-cluster-token": etcd.etcd_cluster,
        "initial-cluster-state": etcd.etcd_init,
        "election-timeout": etcd.etcd_election_timeout,
        "heartbeat-interval": etcd.etcd_heartbeat_interval,
        "quota-backend-bytes": 8589934592,
        "auto-compaction-mode": "periodic",
        "auto-compaction-retention": "24h",
        // Patroni's etcd3 client speaks the JSON gateway (/v3/...): on by default for flags, off
        // by default in a config file, so it is spelled out.
        "enable-grpc-gateway": true,
        ...(secure ? {
            "client-transport-security": { ...tls, "client-cert-auth": false },
            "peer-transport-security": { ...tls, "client-cert-auth": true },
        } : {}),
    };
    return header(`etcd member ${doc.name}`) + toYaml(doc);
}

/** /etc/profile.d/etcdctl.sh: etcdctl environment for admins on etcd members. */
export function renderEtcdctlProfile(etcd: EtcdClusterConfig, opts: EtcdTlsOption = {}): string {
    const secure = opts.tls !== false;
    const endpoints = etcd.members.map((m) => `${secure ? "https" : "http"}://${m.ip}:${etcd.etcd_port}`).join(",");
    return header("etcdctl environment") + [
        "export ETCDCTL_API=3",
        `export ETCDCTL_ENDPOINTS=${endpoints}`,
        ...(secure ? ["export ETCDCTL_CACERT=/etc/etcd/ca.crt", "export ETCDCTL_CERT=/etc/etcd/server.crt", "export ETCDCTL_KEY=/etc/etcd/server.key"] : []),
        "",
    ].join("\n");
}
