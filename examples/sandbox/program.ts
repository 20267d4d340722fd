import * as pulumi from "@pulumi/pulumi";
import { EtcdCluster, Node, PgCluster } from "../../components";
import { ConnectionInput } from "../../providers";

/**
 * Pigsty's 4-node sandbox on the lab hosts: etcd and pg-meta on 10.10.10.10, pg-test (3 members)
 * on 10.10.10.11-13, every host a Pigsty NODE with HAProxy and node_exporter.
 */
export interface SandboxHost {
  ip: string;
  connection: ConnectionInput;
}

export interface SandboxCredentials {
  pg_admin_password: pulumi.Input<string>;
  pg_monitor_password: pulumi.Input<string>;
  pg_replication_password: pulumi.Input<string>;
  patroni_password: pulumi.Input<string>;
  etcd_root_password: pulumi.Input<string>;
  haproxy_admin_password: pulumi.Input<string>;
  /** Password of the business users (`dbuser_meta`, `test`). */
  app_password: pulumi.Input<string>;
}

export interface SandboxOptions {
  /** Indexes (into hosts) of pg-test's members; default [1, 2, 3]. The first is the bootstrap primary. */
  pgTest?: number[];
  /** Deploy pg-meta on hosts[0]. Default true. */
  pgMeta?: boolean;
  /** pg_safeguard and etcd_safeguard. Default false. */
  safeguard?: boolean;
  /** Lab hosts are small and share one machine: size PostgreSQL for 1 GiB per host. */
  nodeMemMb?: number;
}

export function sandbox(hosts: SandboxHost[], cred: SandboxCredentials, o: SandboxOptions = {}) {
  const lab = {
    node_dns_method: "none" as const, // no DNS server on the lab network
    node_ntp_enabled: false, // lab hosts may not set the clock
    node_mem_mb: o.nodeMemMb ?? 1024,
    node_cpu: 1,
  };
  const nodes = hosts.map(
    (h) =>
      new Node(`node-${h.ip.split(".")[3]}`, {
        connection: h.connection,
        ip: h.ip,
        vars: { ...lab, nodename: `node-${h.ip.split(".")[3]}`, node_etc_hosts: ["10.10.10.10 i.pigsty"], haproxy_admin_password: cred.haproxy_admin_password },
      }),
  );
  const pgTest = o.pgTest ?? [1, 2, 3];
  const withMeta = o.pgMeta ?? true;
  const etcd = new EtcdCluster(
    "etcd",
    {
      members: [{ ip: hosts[0].ip, etcd_seq: 1, connection: hosts[0].connection }],
      vars: { etcd_root_password: cred.etcd_root_password, etcd_safeguard: o.safeguard ?? false },
      pgClusters: [...(withMeta ? [{ pg_cluster: "pg-meta" }] : []), { pg_cluster: "pg-test" }],
    },
    { dependsOn: nodes },
  );
  const common = {
    pg_admin_password: cred.pg_admin_password,
    pg_monitor_password: cred.pg_monitor_password,
    pg_replication_password: cred.pg_replication_password,
    patroni_password: cred.patroni_password,
    pg_safeguard: o.safeguard ?? false,
    pgbackrest_init_backup: false, // the sandbox starts empty: the first scheduled backup is enough
  };
  const meta = withMeta
    ? new PgCluster("pg-meta", {
        pg_cluster: "pg-meta",
        members: [{ ip: hosts[0].ip, pg_seq: 1, pg_role: "primary", connection: hosts[0].connection }],
        vars: {
          ...common,
          pg_users: [{ name: "dbuser_meta", password: cred.app_password, pgbouncer: true, roles: ["dbrole_admin"], comment: "pigsty admin user" }],
          pg_databases: [{ name: "meta", owner: "dbuser_meta", comment: "pigsty meta database" }],
        },
        etcd,
        nodes,
      })
    : undefined;
  const test = new PgCluster("pg-test", {
    pg_cluster: "pg-test",
    members: pgTest.map((i, n) => ({ ip: hosts[i].ip, pg_seq: n + 1, pg_role: n === 0 ? ("primary" as const) : ("replica" as const), connection: hosts[i].connection })),
    vars: {
      ...common,
      pg_users: [{ name: "test", password: cred.app_password, pgbouncer: true, roles: ["dbrole_admin"] }],
      pg_databases: [{ name: "test", owner: "test" }],
    },
    etcd,
    nodes,
  });
  return { nodes, etcd, meta, test };
}
