// Compile-time checks of the exported input types (tsc checks this file in `npm run build`):
// a pigsty.yml group pastes into TypeScript with Pigsty's names, and wrong value types are caught.
import { PgClusterInput, NodeVarsInput, parsePgCluster, PgClusterConfig, SECRET_PARAMS } from "../../lib/config";

const meta: PgClusterInput = {
    pg_cluster: "pg-meta",
    pg_conf: "oltp.yml",
    pg_users: [{ name: "dbuser_meta", password: "x", pgbouncer: true, roles: ["dbrole_admin"] }],
    pg_databases: [{ name: "meta", owner: "dbuser_meta", extensions: [{ name: "vector" }] }],
    pg_hba_rules: [{ user: "all", db: "all", addr: "intra", auth: "pwd", order: 800 }],
    pg_services: [{ name: "standby", port: 5435, check: "/sync", backup: "[? pg_role == `primary`]" }],
    members: [{ ip: "10.10.10.10", pg_seq: 1, pg_role: "primary" }],
};
// @ts-expect-error pg_role must be one of Pigsty's roles
const badRole: PgClusterInput = { pg_cluster: "x", members: [{ ip: "10.0.0.1", pg_seq: 1, pg_role: "master" }] };
// @ts-expect-error pg_seq is a number (or a digit string), not a boolean
const badSeq: PgClusterInput = { pg_cluster: "x", members: [{ ip: "10.0.0.1", pg_seq: true, pg_role: "primary" }] };
const node: NodeVarsInput = { node_tune: "tiny", node_cpu: 1, vip_enabled: "yes" };

test("typed args validate into a config", () => {
    const c: PgClusterConfig = parsePgCluster(meta);
    expect(c.members[0].pg_seq).toBe(1);
    expect([badRole, badSeq, node].length).toBe(3);
    expect(SECRET_PARAMS.pgsql).toContain("pg_admin_password");
});

test("throwing wrappers for every module", () => {
    const { parseNode, parseInfra, parseMinio, parseRedis, ConfigError } = require("../../lib/config") as typeof import("../../lib/config");
    expect(parseNode("10.0.0.1", { node_tune: "tiny" }).nodename).toBe("10-0-0-1");
    expect(parseInfra({ members: [{ ip: "10.0.0.1", infra_seq: 1 }] }).members).toHaveLength(1);
    expect(parseMinio({ minio_cluster: "m", members: [{ ip: "10.0.0.1", minio_seq: 1 }] }).minio_port).toBe(9000);
    expect(parseRedis({ redis_cluster: "r", nodes: [{ ip: "10.0.0.1", redis_node: 1, redis_instances: { 6379: {} } }] }).nodes).toHaveLength(1);
    expect(() => parseRedis({ redis_cluster: "r", nodes: [{ ip: "10.0.0.1", redis_node: 1, redis_instances: {} }] })).toThrow(ConfigError);
});
