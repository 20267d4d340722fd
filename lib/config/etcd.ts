// ETCD module parameters (Pigsty roles/etcd defaults). The DCS for Patroni; fixed group `etcd`.
import { z } from "zod";
import { bool, int, port, secret } from "./common";

/** Cluster-wide etcd parameters. */
export const EtcdVarsSchema = z.object({
    /** etcd cluster name = the group name (`etcd`); also the initial-cluster-token. */
    etcd_cluster: z.string().regex(/^[A-Za-z0-9-]+$/, "must match ^[A-Za-z0-9-]+$").default("etcd"),
    /** Data directory. */
    etcd_data: z.string().default("/data/etcd"),
    /** Join as a learner (only with etcd_init=existing). */
    etcd_learner: bool.default(false),
    /** Client port. */
    etcd_port: port.default(2379),
    /** Peer port. */
    etcd_peer_port: port.default(2380),
    /** `new` bootstraps a cluster; `existing` joins one (member add first). */
    etcd_init: z.enum(["new", "existing"]).default("new"),
    /** Election timeout in ms. */
    etcd_election_timeout: int((n) => n.min(1)).default(1000),
    /** Heartbeat interval in ms. */
    etcd_heartbeat_interval: int((n) => n.min(1)).default(100),
    /** Password of the etcd `root` user (RBAC). Secret. */
    etcd_root_password: secret.default("Etcd.Root"),
    /** Removal refuses while true. */
    etcd_safeguard: bool.default(false),
    etcd_rm_data: bool.default(true),
    etcd_rm_pkg: bool.default(false),
});
export type EtcdVars = z.infer<typeof EtcdVarsSchema>;
export type EtcdVarsInput = z.input<typeof EtcdVarsSchema>;

/** Per-member etcd identity. */
export const EtcdMemberSchema = z.object({
    ip: z.string(),
    /** Member sequence (required, int ≥ 0); member name `<etcd_cluster>-<etcd_seq>`. */
    etcd_seq: int((n) => n.min(0, "must be an integer >= 0")),
});
export type EtcdMember = z.infer<typeof EtcdMemberSchema>;

export interface EtcdClusterConfig extends EtcdVars {
    /** Members sorted by etcd_seq. */
    members: EtcdMember[];
}
