import { parseEtcd } from "../../lib/config";
import { EtcdCluster, Node, PgCluster } from "../../components";

// Components reject bad input at construction — before any resource exists — naming host and
// parameter. (Their behaviour on hosts is covered by the lab e2e tests.)
const connection = (ip: string) => ({ host: ip, privateKey: "k", hostKey: "ssh-ed25519 AAAA" });

test("Node: every problem at once, naming the host", () => {
  expect(() => new Node("bad", { connection: connection("10.0.0.1"), ip: "10.0.0.1", vars: { node_tune: "fast" as never, node_admin_uid: "x" as never } })).toThrow(
    /invalid configuration \(2 issues\)[\s\S]*10\.0\.0\.1: (node_tune|node_admin_uid)[\s\S]*10\.0\.0\.1: (node_tune|node_admin_uid)/,
  );
  expect(() => new Node("vip", { connection: connection("10.0.0.1"), ip: "10.0.0.1", vars: { vip_enabled: true } })).toThrow(/10\.0\.0\.1: vip_address: is required when vip_enabled/);
});

test("EtcdCluster: duplicate etcd_seq is refused", () => {
  expect(
    () =>
      new EtcdCluster("e", {
        members: [
          { ip: "10.0.0.1", etcd_seq: 1, connection: connection("10.0.0.1") },
          { ip: "10.0.0.2", etcd_seq: 1, connection: connection("10.0.0.2") },
        ],
      }),
  ).toThrow(/etcd_seq/);
});

test("PgCluster: two primaries and an unknown role are both reported", () => {
  const etcd = { config: parseEtcd({ members: [{ ip: "10.0.0.9", etcd_seq: 1 }] }), ready: [] } as unknown as EtcdCluster;
  expect(
    () =>
      new PgCluster("pg-x", {
        pg_cluster: "pg-x",
        members: [
          { ip: "10.0.0.1", pg_seq: 1, pg_role: "primary", connection: connection("10.0.0.1") },
          { ip: "10.0.0.2", pg_seq: 2, pg_role: "primary", connection: connection("10.0.0.2") },
          { ip: "10.0.0.3", pg_seq: 3, pg_role: "leader" as never, connection: connection("10.0.0.3") },
        ],
        etcd,
        nodes: [],
      }),
  ).toThrow(/primary[\s\S]*10\.0\.0\.3[\s\S]*pg_role|10\.0\.0\.3[\s\S]*pg_role[\s\S]*primary/);
});
