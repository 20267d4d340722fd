// vip-manager config for a PG cluster's L2 VIP (Pigsty roles/pgsql/templates/vip-manager.yml).
import { PgHostContext } from "../config/context";
import { etcdEndpoints, pgInstance, pgScope, pgVipIp } from "../config/identity";
import { PgClusterConfig, PgMember } from "../config/pgsql";
import { header, toYaml } from "./util";

/**
 * /etc/default/vip-manager.yml: watch `<pg_namespace>/<scope>/leader`; when it equals this
 * instance, hold the VIP. `iface` is the NIC to use (pg_vip_interface, or detected when `auto`).
 */
export function renderVipManagerYml(cluster: PgClusterConfig, member: PgMember, ctx: PgHostContext, iface?: string): string {
    const ns = cluster.pg_namespace.replace(/\/$/, "");
    const key = cluster.pg_mode === "citus" ? `${ns}/${pgScope(cluster)}/${cluster.pg_group}/leader` : `${ns}/${cluster.pg_cluster}/leader`;
    const doc = {
        "trigger-key": key,
        "trigger-value": pgInstance(cluster, member),
        ip: pgVipIp(cluster),
        netmask: Number(cluster.pg_vip_address.split("/")[1] ?? 24),
        interface: iface ?? cluster.pg_vip_interface,
        "dcs-type": "etcd",
        "dcs-endpoints": etcdEndpoints(ctx.etcd).map((e) => `${ctx.etcdTls === false ? "http" : "https"}://${e}`),
        "etcd-user": pgScope(cluster),
        "etcd-password": cluster.pg_etcd_password || pgScope(cluster),
        ...(ctx.etcdTls === false ? {} : { "etcd-ca-file": "/pg/cert/ca.crt", "etcd-cert-file": "/pg/cert/server.crt", "etcd-key-file": "/pg/cert/server.key" }),
        interval: 1000,
        "hosting-type": "basic",
        "retry-num": 2,
        "retry-after": 250,
        verbose: false,
    };
    return header(`vip-manager of ${pgInstance(cluster, member)}: ${cluster.pg_vip_address}`) + toYaml(doc);
}
