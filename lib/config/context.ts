// What a renderer needs to know about the world around one host, beyond its own cluster config.
// Components build it from an Inventory (see `pgHostContext`) or from their typed args.
import { EtcdClusterConfig } from "./etcd";
import { NodeConfig } from "./node";

/** Context of one PostgreSQL member. */
export interface PgHostContext {
    /** The member's node: admin_ip, sizing (node_cpu, node_mem_mb), node_firewall_intranet, nodename. */
    node: NodeConfig;
    /** The DCS cluster Patroni and vip-manager talk to. */
    etcd: EtcdClusterConfig;
    /** IPs of the infra nodes (HBA alias `infra`, Patroni REST allowlist), sorted. */
    infraIps: string[];
    /** Does etcd speak TLS? Default true (Pigsty); false matches `renderEtcdConf(..., { tls: false })`. */
    etcdTls?: boolean;
}
