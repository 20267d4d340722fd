// Readable snapshots of every rendered file of the template-shaped inventories, plus behaviour
// checks (ordering, role filtering, placeholders, determinism) that snapshots alone would not explain.
import * as path from "path";
import { loadInventory, parseInventory, pgHostContext } from "../../lib/inventory";
import { pgInstance } from "../../lib/config";
import * as R from "../../lib/render";
import { renderAll } from "./helpers/render-all";

const FIXTURES = path.join(__dirname, "../fixtures/inventories");
const load = (n: string) => loadInventory(path.join(FIXTURES, `${n}.yml`));

describe.each(["meta", "ha-trio", "ha-full", "ha-safe", "demo-redis", "demo-minio"])("snapshots of %s", (name) => {
    const files = renderAll(load(name));
    test.each(Object.keys(files))("%s", (file) => {
        expect(files[file]).toMatchSnapshot();
    });
});

describe("renderer behaviour", () => {
    const full = load("ha-full");
    const test_ = full.pgClusters.find((c) => c.pg_cluster === "pg-test")!;

    test("output is deterministic and independent of member order", () => {
        const a = renderAll(full);
        const shuffled = { ...full, pgClusters: full.pgClusters.map((c) => ({ ...c, members: [...c.members].reverse() })) };
        expect(renderAll(shuffled)).toEqual(a);
        expect(renderAll(load("ha-full"))).toEqual(a);
    });

    test("pg_hba: rules ordered by `order`, unordered rules last, role-specific rules only on that role", () => {
        const safe = load("ha-safe");
        const meta = safe.pgClusters.find((c) => c.pg_cluster === "pg-meta")!;
        const withRoles = { ...meta, pg_hba_rules: [...meta.pg_hba_rules,
            { user: "all", db: "all", addr: "10.9.9.9", auth: "trust" as const, title: "offline only", role: "offline" as const },
            { user: "etl", db: "all", addr: "10.8.8.0/24", auth: "md5" as const, title: "replica only", role: "replica" as const, order: 700 }] };
        const hba = (ip: string) => R.renderPgHba(withRoles, withRoles.members.find((m) => m.ip === ip)!, pgHostContext(safe, ip));
        const primary = hba("10.10.10.10"), offline = hba("10.10.10.12");
        const titles = primary.split("\n").filter((l) => l.startsWith("#[") || l.startsWith("#offline") || l.startsWith("#replica")).map((l) => l.replace(/ \(.*$/, ""));
        expect(titles.slice(0, 2)).toEqual(["#[90] admin within cluster with ssl", "#[100] dbsu access via local os user ident"]);
        expect(titles.slice(-3)).toEqual(["#[700] replica only", "#[2000] deny everything else", "#offline only"]);
        expect(primary).toContain("#host    all             etl                     10.8.8.0/24         md5");
        expect(primary).toContain("#host    all             all                     10.9.9.9/32         trust");
        expect(offline).toContain("\nhost    all             all                     10.9.9.9/32         trust"); // pg_offline_query
        expect(offline).toContain("\nhost    all             etl                     10.8.8.0/24         md5"); // pg_role replica
        expect(primary).toContain("hostssl all             dbuser_dba              10.10.10.11/32      scram-sha-256"); // addr: cluster
    });

    test("pgbouncer hba maps ident to peer; pg_hba keeps ident", () => {
        const m = test_.members[0];
        const ctx = pgHostContext(full, m.ip);
        expect(R.renderPgbHba(test_, m, ctx)).toMatch(/local\s+pgbouncer\s+postgres\s+peer/);
        expect(R.renderPgHba(test_, m, ctx)).toMatch(/local\s+all\s+postgres\s+ident/);
    });

    test("patroni: sync mode from pg_rpo, crit forces strict sync and watchdog automatic, standby cluster with delay", () => {
        const safe = load("ha-safe");
        const meta = safe.pgClusters.find((c) => c.pg_cluster === "pg-meta")!;
        const y = R.renderPatroniYml(meta, meta.members[0], pgHostContext(safe, "10.10.10.10"));
        expect(y).toMatch(/synchronous_mode: true\n\s+synchronous_mode_strict: true/);
        expect(y).toMatch(/watchdog:\n\s+mode: automatic\n/);
        expect(y).toMatch(/ttl: 60\n\s+loop_wait: 10\n\s+retry_timeout: 20/);
        const delay = safe.pgClusters.find((c) => c.pg_cluster === "pg-meta-delay")!;
        const d = R.renderPatroniYml(delay, delay.members[0], pgHostContext(safe, "10.10.10.13"));
        expect(d).toMatch(/standby_cluster:\n\s+host: 10\.10\.10\.10\n\s+port: 5432\n\s+create_replica_methods:\n\s+- basebackup\n\s+recovery_min_apply_delay: 1h/);
        const t = R.renderPatroniYml(test_, test_.members[1], pgHostContext(full, test_.members[1].ip));
        expect(t).toMatch(/synchronous_mode: false/);
        expect(t).toContain("listen: 0.0.0.0:5432");
        expect(t).toContain("connect_address: 10.10.10.12:5432");
    });

    test("etcd without TLS: patroni and vip-manager follow ctx.etcdTls", () => {
        const m = test_.members[0];
        const ctx = { ...pgHostContext(full, m.ip), etcdTls: false };
        const y = R.renderPatroniYml(test_, m, ctx);
        expect(y).toMatch(/etcd3:\n\s+hosts:\n\s+- 10\.10\.10\.10:2379\n\s+protocol: http\n\s+username: pg-test/);
        expect(R.renderVipManagerYml(test_, m, ctx)).toContain("- http://10.10.10.10:2379");
        expect(R.renderEtcdConf(full.etcd!, full.etcd!.members[0], { tls: false })).toContain("initial-cluster: etcd-1=http://10.10.10.10:2380");
    });

    test("pg_listen placeholders: ${ip}, ${lo}, ${vip} (when the VIP is enabled)", () => {
        const c = { ...test_, pg_listen: "${ip},${vip},${lo}" };
        const m = c.members[0];
        expect(R.pgListenAddresses(c, m, pgHostContext(full, m.ip))).toBe("10.10.10.11,10.10.10.3,127.0.0.1");
    });

    test("cascading replica replicates from its upstream instance; local repo clones by basebackup", () => {
        const inv = parseInventory({ all: { children: {
            etcd: { hosts: { "10.0.0.1": { etcd_seq: 1 } } },
            "pg-c": { vars: { pg_cluster: "pg-c" }, hosts: {
                "10.0.0.1": { pg_seq: 1, pg_role: "primary" }, "10.0.0.2": { pg_seq: 2, pg_role: "replica" },
                "10.0.0.3": { pg_seq: 3, pg_role: "replica", pg_upstream: "10.0.0.2" } } },
        } } });
        const c = inv.pgClusters[0];
        const y = R.renderPatroniYml(c, c.members[2], pgHostContext(inv, "10.0.0.3"));
        expect(y).toContain("replicatefrom: pg-c-2");
        expect(y).toMatch(/create_replica_methods:\n\s+- basebackup\n/);
    });

    test("services: every member's haproxy exposes every service; backup flags from selectors", () => {
        const files = R.renderPgServices(test_);
        expect(Object.keys(files)).toEqual(["pg-test-primary.cfg", "pg-test-replica.cfg", "pg-test-default.cfg", "pg-test-offline.cfg", "pg-test-standby.cfg"]);
        expect(files["pg-test-replica.cfg"]).toContain("server pg-test-1 10.10.10.11:6432 check port 8008 weight 100 backup");
        expect(files["pg-test-offline.cfg"]).toContain("server pg-test-3 10.10.10.13:5432 check port 8008 weight 100\n");
    });

    test("init SQL carries passwords only in files marked to keep 0600, never defaults for business users", () => {
        const sql = R.renderInitRolesSql(test_);
        expect(sql).toContain("contains passwords: keep 0600");
        expect(sql).toContain(`ALTER ROLE "replicator" PASSWORD 'DBUser.Replicator';`);
        expect(R.renderUserSql(test_, test_.pg_users[0])).toContain(`ALTER ROLE "test" PASSWORD 'Test.Secret.1';`);
    });

    test("instance names", () => {
        expect(test_.members.map((m) => pgInstance(test_, m))).toEqual(["pg-test-1", "pg-test-2", "pg-test-3"]);
    });
});
