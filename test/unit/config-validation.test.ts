// Bad inputs, each rejected with a message naming the place (group/host: parameter) and the rule.
import { ConfigError, parseEtcd, parsePgCluster, expandPlaceholders, compileSelector, PgsqlVarsSchema, NodeVarsSchema } from "../../lib/config";
import { parseInventory } from "../../lib/inventory";

type Doc = { all: { children: Record<string, { hosts: Record<string, Record<string, unknown>>; vars?: Record<string, unknown> }>; vars: Record<string, unknown> } };

/** A small valid inventory (ha/full shape) every case mutates. */
function base(): Doc {
    return {
        all: {
            children: {
                infra: { hosts: { "10.10.10.10": { infra_seq: 1 } } },
                etcd: { hosts: { "10.10.10.10": { etcd_seq: 1 } }, vars: { etcd_cluster: "etcd" } },
                minio: { hosts: { "10.10.10.10": { minio_seq: 1 } }, vars: { minio_cluster: "minio" } },
                "pg-test": {
                    hosts: {
                        "10.10.10.11": { pg_seq: 1, pg_role: "primary" },
                        "10.10.10.12": { pg_seq: 2, pg_role: "replica" },
                        "10.10.10.13": { pg_seq: 3, pg_role: "replica", pg_offline_query: true },
                    },
                    vars: {
                        pg_cluster: "pg-test",
                        pg_users: [{ name: "test", password: "Test.1", pgbouncer: true, roles: ["dbrole_admin"] }],
                        pg_databases: [{ name: "test", owner: "test" }],
                    },
                },
                "redis-test": {
                    hosts: { "10.10.10.12": { redis_node: 1, redis_instances: { 6379: {}, 6380: { replica_of: "10.10.10.12 6379" } } } },
                    vars: { redis_cluster: "redis-test" },
                },
            },
            vars: { admin_ip: "10.10.10.10" },
        },
    };
}

const pg = (d: Doc) => d.all.children["pg-test"];
const pgv = (d: Doc) => pg(d).vars!;
const host = (d: Doc, ip: string) => pg(d).hosts[ip];

interface Case { name: string; mutate: (d: Doc) => void; where: string; rule: RegExp }

const cases: Case[] = [
    // identity
    { name: "pg_cluster is root", mutate: (d) => { pgv(d).pg_cluster = "root"; }, where: "pg-test(root): pg_cluster", rule: /must not be 'root'/ },
    { name: "pg_cluster with underscore", mutate: (d) => { pgv(d).pg_cluster = "pg_test"; }, where: "pg_cluster", rule: /\^\[A-Za-z0-9-\]\+\$/ },
    { name: "pg_seq not a number", mutate: (d) => { host(d, "10.10.10.12").pg_seq = "two"; }, where: "pg-test/10.10.10.12: pg_seq", rule: /expected number/ },
    { name: "pg_seq negative", mutate: (d) => { host(d, "10.10.10.12").pg_seq = -1; }, where: "pg-test/10.10.10.12: pg_seq", rule: />= 0/ },
    { name: "pg_seq missing", mutate: (d) => { delete host(d, "10.10.10.12").pg_seq; }, where: "pg-test/10.10.10.12: pg_seq", rule: /expected number/ },
    { name: "duplicate pg_seq", mutate: (d) => { host(d, "10.10.10.13").pg_seq = 2; }, where: "pg-test: pg_seq", rule: /pg_seq 2 is used by more than one member/ },
    { name: "no primary", mutate: (d) => { host(d, "10.10.10.11").pg_role = "replica"; }, where: "pg-test: pg_role", rule: /exactly one primary is required, found 0/ },
    { name: "two primaries", mutate: (d) => { host(d, "10.10.10.12").pg_role = "primary"; }, where: "pg-test: pg_role", rule: /found 2 \(10.10.10.11, 10.10.10.12\)/ },
    { name: "invalid pg_role", mutate: (d) => { host(d, "10.10.10.12").pg_role = "master"; }, where: "pg-test/10.10.10.12: pg_role", rule: /expected one of "primary"/ },
    { name: "pg_upstream not IPv4", mutate: (d) => { host(d, "10.10.10.12").pg_upstream = "pg-test-1"; }, where: "pg-test/10.10.10.12: pg_upstream", rule: /IPv4/ },
    { name: "cascade source outside cluster", mutate: (d) => { host(d, "10.10.10.13").pg_upstream = "10.10.10.99"; }, where: "pg-test/10.10.10.13: pg_upstream", rule: /not a member of pg-test/ },
    { name: "host not keyed by IP", mutate: (d) => { pg(d).hosts["node-1"] = { pg_seq: 4, pg_role: "replica" }; }, where: "pg-test/node-1", rule: /keyed by IPv4/ },
    { name: "host in two PGSQL groups", mutate: (d) => { d.all.children["pg-x"] = { hosts: { "10.10.10.11": { pg_seq: 1, pg_role: "primary" } }, vars: { pg_cluster: "pg-x" } }; }, where: "10.10.10.11", rule: /already a PGSQL member/ },
    { name: "pg_cluster in all.vars", mutate: (d) => { d.all.vars.pg_cluster = "pg-all"; }, where: "all.vars: pg_cluster", rule: /not allowed in all.vars/ },
    { name: "no etcd group", mutate: (d) => { delete d.all.children.etcd; }, where: "etcd", rule: /'etcd' group is required/ },
    // users & databases
    { name: "user name with capitals", mutate: (d) => { pgv(d).pg_users = [{ name: "Bad-User" }]; }, where: "pg-test: pg_users[0].name", rule: /\^\[a-z_\]/ },
    { name: "duplicate user", mutate: (d) => { pgv(d).pg_users = [{ name: "u1" }, { name: "u1" }]; pgv(d).pg_databases = []; }, where: "pg-test: pg_users", rule: /user u1 is defined more than once/ },
    { name: "granted role undefined", mutate: (d) => { pgv(d).pg_users = [{ name: "test", roles: ["dbrole_nobody"] }]; }, where: "pg-test: pg_users[0].roles[0]", rule: /dbrole_nobody is not defined/ },
    { name: "user expire_at format", mutate: (d) => { pgv(d).pg_users = [{ name: "test", expire_at: "next year" }]; }, where: "pg-test: pg_users[0].expire_at", rule: /YYYY-MM-DD/ },
    { name: "user connlimit below -1", mutate: (d) => { pgv(d).pg_users = [{ name: "test", connlimit: -5 }]; }, where: "pg-test: pg_users[0].connlimit", rule: />=-1/ },
    { name: "dropping a system user", mutate: (d) => { pgv(d).pg_users = [{ name: "replicator", state: "absent" }]; pgv(d).pg_databases = []; }, where: "pg-test: pg_users[0].state", rule: /never dropped/ },
    { name: "database owner undefined", mutate: (d) => { pgv(d).pg_databases = [{ name: "test", owner: "nobody" }]; }, where: "pg-test: pg_databases[0].owner", rule: /owner nobody is not defined/ },
    { name: "duplicate database", mutate: (d) => { pgv(d).pg_databases = [{ name: "a" }, { name: "a" }]; }, where: "pg-test: pg_databases", rule: /database a is defined more than once/ },
    { name: "database name with space", mutate: (d) => { pgv(d).pg_databases = [{ name: "my db" }]; }, where: "pg-test: pg_databases[0].name", rule: /must match/ },
    { name: "dropping postgres db", mutate: (d) => { pgv(d).pg_databases = [{ name: "postgres", state: "absent" }]; }, where: "pg-test: pg_databases[0].state", rule: /never dropped/ },
    { name: "database state unknown", mutate: (d) => { pgv(d).pg_databases = [{ name: "x", state: "delete" }]; }, where: "pg-test: pg_databases[0].state", rule: /expected one of/ },
    // HBA
    { name: "hba rule without addr", mutate: (d) => { pgv(d).pg_hba_rules = [{ user: "all", db: "all", auth: "pwd" }]; }, where: "pg-test: pg_hba_rules[0].addr", rule: /required unless raw 'rules'/ },
    { name: "hba addr unknown alias", mutate: (d) => { pgv(d).pg_hba_rules = [{ user: "all", db: "all", addr: "intranet2", auth: "pwd" }]; }, where: "pg-test: pg_hba_rules[0].addr", rule: /must be an alias/ },
    { name: "hba addr bad CIDR", mutate: (d) => { pgv(d).pg_hba_rules = [{ user: "all", db: "all", addr: "10.0.0.0/33", auth: "pwd" }]; }, where: "pg-test: pg_hba_rules[0].addr", rule: /IPv4 address\/CIDR/ },
    { name: "hba auth unknown", mutate: (d) => { pgv(d).pg_hba_rules = [{ user: "all", db: "all", addr: "intra", auth: "password" }]; }, where: "pg-test: pg_hba_rules[0].auth", rule: /expected one of "pwd"/ },
    { name: "hba role unknown", mutate: (d) => { pgv(d).pg_hba_rules = [{ user: "all", db: "all", addr: "intra", auth: "pwd", role: "leader" }]; }, where: "pg-test: pg_hba_rules[0].role", rule: /expected one of "common"/ },
    { name: "hba unknown placeholder", mutate: (d) => { pgv(d).pg_hba_rules = [{ user: "${dba}", db: "all", addr: "intra", auth: "pwd" }]; }, where: "pg-test: pg_hba_rules[0].user", rule: /unknown placeholder \$\{dba\}/ },
    { name: "hba rules and addr both", mutate: (d) => { pgv(d).pg_hba_rules = [{ rules: ["host all all 0.0.0.0/0 md5"], addr: "world", auth: "pwd" }]; }, where: "pg-test: pg_hba_rules[0].rules", rule: /either raw 'rules'/ },
    { name: "pgbouncer hba replication db", mutate: (d) => { pgv(d).pgb_hba_rules = [{ user: "all", db: "replication", addr: "intra", auth: "pwd" }]; }, where: "pg-test: pgb_hba_rules[0].db", rule: /replication is not allowed in pgbouncer/ },
    // services
    { name: "service port taken by a default service", mutate: (d) => { pgv(d).pg_services = [{ name: "standby", port: 5433 }]; }, where: "pg-test: pg_services[0].port", rule: /port 5433 is already used by pg_default_services\[0\]/ },
    { name: "service port collides with pg_port", mutate: (d) => { pgv(d).pg_services = [{ name: "direct", port: 5432 }]; }, where: "pg-test: pg_services[0].port", rule: /collides with pg_port/ },
    { name: "service name taken", mutate: (d) => { pgv(d).pg_services = [{ name: "primary", port: 5440 }]; }, where: "pg-test: pg_services[0].name", rule: /service primary is already defined/ },
    { name: "service selector syntax", mutate: (d) => { pgv(d).pg_services = [{ name: "s", port: 5440, selector: "[? pg_role = `primary` ]" }]; }, where: "pg-test: pg_services[0].selector", rule: /invalid selector/ },
    { name: "service check not a path", mutate: (d) => { pgv(d).pg_services = [{ name: "s", port: 5440, check: "primary" }]; }, where: "pg-test: pg_services[0].check", rule: /starting with \// },
    { name: "service dest unknown", mutate: (d) => { pgv(d).pg_services = [{ name: "s", port: 5440, dest: "pgpool" }]; }, where: "pg-test: pg_services[0].dest", rule: /Invalid input/ },
    { name: "service port out of range", mutate: (d) => { pgv(d).pg_services = [{ name: "s", port: 70000 }]; }, where: "pg-test: pg_services[0].port", rule: /1-65535/ },
    { name: "service balance unknown", mutate: (d) => { pgv(d).pg_services = [{ name: "s", port: 5440, balance: "random" }]; }, where: "pg-test: pg_services[0].balance", rule: /roundrobin/ },
    // cluster parameters
    { name: "pg_listen ${vip} without VIP", mutate: (d) => { pgv(d).pg_listen = "${ip},${vip},${lo}"; }, where: "pg-test: pg_listen", rule: /pg_vip_enabled is false/ },
    { name: "pg_listen unknown placeholder", mutate: (d) => { pgv(d).pg_listen = "${host}"; }, where: "pg-test: pg_listen", rule: /unknown placeholder \$\{host\}/ },
    { name: "pg_vip_address invalid", mutate: (d) => { pgv(d).pg_vip_enabled = true; pgv(d).pg_vip_address = "10.10.10.300/24"; }, where: "pg-test: pg_vip_address", rule: /IPv4/ },
    { name: "pg_vip_address without mask", mutate: (d) => { pgv(d).pg_vip_enabled = true; pgv(d).pg_vip_address = "10.10.10.3"; }, where: "pg-test: pg_vip_address", rule: /netmask/ },
    { name: "pgbackrest_method not a repo", mutate: (d) => { pgv(d).pgbackrest_method = "oss"; }, where: "pg-test: pgbackrest_method", rule: /'oss' is not a key of pgbackrest_repo/ },
    { name: "pgbackrest_repo unknown placeholder", mutate: (d) => { pgv(d).pgbackrest_repo = { local: { path: "/pg/backup/${pg_name}" } }; }, where: "pg-test: pgbackrest_repo.local.path", rule: /unknown placeholder/ },
    { name: "pg_conf unknown template", mutate: (d) => { pgv(d).pg_conf = "huge.yml"; }, where: "pg-test: pg_conf", rule: /oltp.yml/ },
    { name: "pg_rto unknown plan", mutate: (d) => { pgv(d).pg_rto = "slow"; }, where: "pg-test: pg_rto", rule: /"fast"\|"norm"/ },
    { name: "pg_max_conn too small", mutate: (d) => { pgv(d).pg_max_conn = 10; }, where: "pg-test: pg_max_conn", rule: />= 20 or 'auto'/ },
    { name: "pg_shared_buffer_ratio too large", mutate: (d) => { pgv(d).pg_shared_buffer_ratio = 0.9; }, where: "pg-test: pg_shared_buffer_ratio", rule: /0.1-0.4/ },
    { name: "pg_version unsupported", mutate: (d) => { pgv(d).pg_version = 9; }, where: "pg-test: pg_version", rule: />=13/ },
    { name: "pg_port not a port", mutate: (d) => { pgv(d).pg_port = 70000; }, where: "pg-test: pg_port", rule: /1-65535/ },
    { name: "pg_delay without standby cluster", mutate: (d) => { pgv(d).pg_delay = "1h"; }, where: "pg-test: pg_delay", rule: /standby cluster/ },
    { name: "pg_mode not supported on Debian", mutate: (d) => { pgv(d).pg_mode = "polar"; }, where: "pg-test: pg_mode", rule: /not supported on Debian/ },
    // etcd / infra / minio / redis
    { name: "etcd_seq missing", mutate: (d) => { d.all.children.etcd.hosts["10.10.10.10"] = {}; }, where: "etcd/10.10.10.10: etcd_seq", rule: /expected number/ },
    { name: "etcd duplicate seq", mutate: (d) => { d.all.children.etcd.hosts["10.10.10.11"] = { etcd_seq: 1 }; }, where: "etcd: etcd_seq", rule: /etcd_seq 1 is used by more than one member/ },
    { name: "etcd learner on a new cluster", mutate: (d) => { d.all.children.etcd.vars!.etcd_learner = true; }, where: "etcd: etcd_learner", rule: /etcd_init: existing/ },
    { name: "etcd_init unknown", mutate: (d) => { d.all.children.etcd.vars!.etcd_init = "join"; }, where: "etcd: etcd_init", rule: /"new"\|"existing"/ },
    { name: "infra_seq negative", mutate: (d) => { d.all.children.infra.hosts["10.10.10.10"].infra_seq = -2; }, where: "infra/10.10.10.10: infra_seq", rule: />= 0/ },
    { name: "minio_seq negative", mutate: (d) => { d.all.children.minio.hosts["10.10.10.10"].minio_seq = -1; }, where: "minio/10.10.10.10: minio_seq", rule: />= 0/ },
    { name: "minio_type not silo", mutate: (d) => { d.all.children.minio.vars!.minio_type = "minio"; }, where: "minio: minio_type", rule: /must be silo/ },
    { name: "minio_cluster in all.vars", mutate: (d) => { d.all.vars.minio_cluster = "minio"; }, where: "all.vars: minio_cluster", rule: /not allowed in all.vars/ },
    { name: "minio user policy unknown", mutate: (d) => { d.all.children.minio.vars!.minio_users = [{ access_key: "abc", secret_key: "12345678", policy: "nothing" }]; }, where: "minio: minio_users[0].policy", rule: /neither a bucket/ },
    { name: "redis_node missing", mutate: (d) => { delete d.all.children["redis-test"].hosts["10.10.10.12"].redis_node; }, where: "redis-test/10.10.10.12: redis_node", rule: /expected number/ },
    { name: "redis replica_of malformed", mutate: (d) => { d.all.children["redis-test"].hosts["10.10.10.12"].redis_instances = { 6379: {}, 6380: { replica_of: "10.10.10.12:6379" } }; }, where: "redis-test/10.10.10.12: redis_instances.6380.replica_of", rule: /'<ip> <port>'/ },
    { name: "redis instance on the exporter port", mutate: (d) => { d.all.children["redis-test"].hosts["10.10.10.12"].redis_instances = { 9121: {} }; }, where: "redis-test/10.10.10.12: redis_instances.9121", rule: /redis_exporter_port/ },
    { name: "redis cluster mode too small", mutate: (d) => { Object.assign(d.all.children["redis-test"].vars!, { redis_mode: "cluster" }); d.all.children["redis-test"].hosts["10.10.10.12"].redis_instances = { 6379: {}, 6380: {} }; }, where: "redis-test: redis_instances", rule: /needs at least 6 instances/ },
    { name: "redis_fs_main is /data", mutate: (d) => { d.all.children["redis-test"].vars!.redis_fs_main = "/data"; }, where: "redis-test: redis_fs_main", rule: /must not be \/data/ },
    { name: "redis instances empty", mutate: (d) => { d.all.children["redis-test"].hosts["10.10.10.12"].redis_instances = {}; }, where: "redis-test/10.10.10.12: redis_instances", rule: /at least one instance/ },
    // node
    { name: "vip_enabled without vrid", mutate: (d) => { d.all.children.minio.vars!.vip_enabled = true; d.all.children.minio.vars!.vip_address = "10.10.10.9"; }, where: "10.10.10.10: vip_vrid", rule: /0 < vip_vrid < 255/ },
    { name: "vip_auth_pass too long for VRRP", mutate: (d) => { d.all.children.minio.vars!.vip_auth_pass = "much-too-long"; }, where: "10.10.10.10: vip_auth_pass", rule: /at most 8 characters/ },
    { name: "node_tune unknown", mutate: (d) => { d.all.vars.node_tune = "fast"; }, where: "node_tune", rule: /"oltp"/ },
    { name: "admin_ip not IPv4", mutate: (d) => { d.all.vars.admin_ip = "admin.local"; }, where: "admin_ip", rule: /IPv4/ },
    { name: "unknown placeholder in node_etc_hosts", mutate: (d) => { d.all.vars.node_etc_hosts = ["${adminip} i.pigsty"]; }, where: "node_etc_hosts[0]", rule: /unknown placeholder \$\{adminip\}/ },
    { name: "haproxy_services duplicate port", mutate: (d) => { d.all.children.minio.vars!.haproxy_services = [{ name: "a", port: 9002 }, { name: "b", port: 9002 }]; }, where: "10.10.10.10: haproxy_services", rule: /port 9002 is used by more than one service/ },
    { name: "nodename collision", mutate: (d) => { d.all.children.infra.hosts["10.10.10.10"].nodename = "pg-test-1"; }, where: "10.10.10.11: nodename", rule: /pg-test-1 is also the nodename of/ },
    { name: "node_cpu zero", mutate: (d) => { d.all.vars.node_cpu = 0; }, where: "node_cpu", rule: />= 1/ },
];

function issuesOf(fn: () => unknown): { path: string; message: string }[] {
    try {
        fn();
    } catch (e) {
        if (e instanceof ConfigError) return e.issues;
        throw e;
    }
    throw new Error("expected a ConfigError, none thrown");
}

describe("bad inputs are rejected with a located message", () => {
    test("there are at least 40 cases", () => expect(cases.length).toBeGreaterThanOrEqual(40));
    test("the base inventory is valid", () => expect(() => parseInventory(base())).not.toThrow());
    test.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
        const d = base();
        c.mutate(d);
        const issues = issuesOf(() => parseInventory(d));
        const hit = issues.find((i) => i.path.includes(c.where) && c.rule.test(i.message));
        if (!hit) throw new Error(`no issue at "${c.where}" matching ${c.rule}; got:\n${issues.map((i) => `${i.path}: ${i.message}`).join("\n")}`);
    });
});

describe("errors are collected, not one per run", () => {
    test("several problems in several places are reported together", () => {
        const d = base();
        host(d, "10.10.10.12").pg_role = "master";
        pgv(d).pg_users = [{ name: "Bad" }];
        d.all.children.etcd.hosts["10.10.10.10"] = {};
        d.all.vars.node_tune = "fast";
        const err = (() => { try { parseInventory(d); } catch (e) { return e as ConfigError; } throw new Error("no error"); })();
        expect(err).toBeInstanceOf(ConfigError);
        const paths = err.issues.map((i) => i.path);
        expect(paths).toEqual(expect.arrayContaining([
            "pg-test/10.10.10.12: pg_role", "pg-test: pg_users[0].name", "etcd/10.10.10.10: etcd_seq",
        ]));
        expect(paths.filter((p) => p.endsWith("node_tune")).length).toBeGreaterThanOrEqual(4);
        expect(err.message).toMatch(/invalid configuration \(\d+ issues\)/);
        expect(err.message).toContain("  - pg-test/10.10.10.12: pg_role: ");
    });

    test("typed TS args are validated the same way", () => {
        expect(() => parsePgCluster({ pg_cluster: "pg-a", members: [{ ip: "10.0.0.1", pg_seq: 1, pg_role: "replica" }] }))
            .toThrow(/pg-a: pg_role: exactly one primary is required, found 0/);
        expect(() => parseEtcd({ members: [{ ip: "10.0.0.1", etcd_seq: 1 }, { ip: "10.0.0.2", etcd_seq: 1 }] })).toThrow(/etcd_seq 1 is used/);
    });
});

describe("defaults and coercions", () => {
    test("Debian deviations: PG 15 paths", () => {
        const v = PgsqlVarsSchema.parse({ pg_cluster: "pg-x" });
        expect(v.pg_version).toBe(15);
        expect(v.pg_bin_dir).toBe("/usr/lib/postgresql/15/bin");
        expect(v.pg_dbsu_uid).toBeUndefined();
        expect(PgsqlVarsSchema.parse({ pg_cluster: "pg-x", pg_version: 16 }).pg_bin_dir).toBe("/usr/lib/postgresql/16/bin");
    });
    test("Pigsty defaults are kept", () => {
        const v = PgsqlVarsSchema.parse({ pg_cluster: "pg-x" });
        expect(v).toMatchObject({ pg_port: 5432, pgbouncer_port: 6432, patroni_port: 8008, pg_rto: "norm", pg_rpo: 1048576, pg_conf: "oltp.yml", pgbouncer_poolmode: "transaction", pg_default_service_dest: "pgbouncer" });
        expect(v.pg_default_services.map((s) => [s.name, s.port, s.check])).toEqual([["primary", 5433, "/primary"], ["replica", 5434, "/read-only"], ["default", 5436, "/primary"], ["offline", 5438, "/replica"]]);
        expect(v.pg_default_hba_rules.map((r) => r.order)).toEqual([100, 150, 200, 250, 300, 350, 400, 450, 500, 550, 600, 650]);
        expect(v.pg_default_roles.map((r) => r.name)).toEqual(["dbrole_readonly", "dbrole_offline", "dbrole_readwrite", "dbrole_admin", "postgres", "replicator", "dbuser_dba", "dbuser_monitor"]);
        expect(v.pgbackrest_repo.local).toEqual({ path: "/pg/backup", retention_full_type: "count", retention_full: 2 });
    });
    test("YAML 1.1 spellings are accepted (patroni_watchdog_mode: off)", () => {
        expect(PgsqlVarsSchema.parse({ pg_cluster: "x", patroni_watchdog_mode: false }).patroni_watchdog_mode).toBe("off");
        expect(PgsqlVarsSchema.parse({ pg_cluster: "x", pg_checksum: "no" }).pg_checksum).toBe(false);
        expect(PgsqlVarsSchema.parse({ pg_cluster: "x", pg_conf: "tiny" }).pg_conf).toBe("tiny.yml");
        expect(NodeVarsSchema.parse({ vip_role: "MASTER" }).vip_role).toBe("master");
    });
    test("placeholders expand in one place and unknown ones are errors", () => {
        expect(expandPlaceholders("${ip},${lo}", { ip: "10.0.0.1", lo: "127.0.0.1" }, "x")).toBe("10.0.0.1,127.0.0.1");
        expect(() => expandPlaceholders("${nope}", {}, "pg-a: pg_listen")).toThrow(/pg-a: pg_listen: unknown placeholder \$\{nope\}/);
        expect(() => expandPlaceholders("${vip}", { ip: "1" }, "pg-a: pg_listen")).toThrow(/\$\{vip\} has no value here/);
    });
    test("selectors: Pigsty's JMESPath subset", () => {
        const off = compileSelector("[? pg_role == `offline` || pg_offline_query ]");
        expect(off({ pg_role: "replica", pg_offline_query: true })).toBe(true);
        expect(off({ pg_role: "replica", pg_offline_query: false })).toBe(false);
        const bak = compileSelector("[? pg_role == `replica` && !pg_offline_query]");
        expect(bak({ pg_role: "replica", pg_offline_query: false })).toBe(true);
        expect(compileSelector("[]")({})).toBe(true);
        expect(compileSelector("[? (pg_seq == `1` || pg_seq == `3`) && pg_role != 'offline' ]")({ pg_seq: 3, pg_role: "replica" })).toBe(true);
        expect(() => compileSelector("[?pg_role=='x'")).toThrow();
    });
});
