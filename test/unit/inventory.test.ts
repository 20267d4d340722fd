// Template-shaped inventories load into the expected clusters, members, roles and ports.
import * as fs from "fs";
import * as path from "path";
import { loadInventory, parseInventory, pgHostContext } from "../../lib/inventory";
import { etcdInitialCluster, pgInstance, pgPrimary, resolvePgServices, rtoPlan } from "../../lib/config";

const dir = path.join(__dirname, "../fixtures/inventories");
const load = (name: string) => loadInventory(path.join(dir, `${name}.yml`));
const members = (inv: ReturnType<typeof load>, cls: string) =>
    inv.pgClusters.find((c) => c.pg_cluster === cls)!.members.map((m) => [m.ip, m.pg_seq, m.pg_role]);

describe("template-shaped inventories", () => {
    test("meta: one node carrying infra, etcd, pg-meta; app/docker reported unsupported", () => {
        const inv = load("meta");
        expect(inv.nodes.map((n) => [n.ip, n.nodename, n.node_cluster])).toEqual([["10.10.10.10", "pg-meta-1", "pg-meta"]]);
        expect(inv.infra!.members).toEqual([{ ip: "10.10.10.10", infra_seq: 1 }]);
        expect(inv.etcd!.members).toEqual([{ ip: "10.10.10.10", etcd_seq: 1 }]);
        expect(etcdInitialCluster(inv.etcd!)).toBe("etcd-1=https://10.10.10.10:2380");
        expect(inv.pgClusters.map((c) => c.pg_cluster)).toEqual(["pg-meta"]);
        expect(members(inv, "pg-meta")).toEqual([["10.10.10.10", 1, "primary"]]);
        const meta = inv.pgClusters[0];
        expect(meta.pg_users.map((u) => u.name)).toEqual(["dbuser_meta", "dbuser_view"]);
        expect(meta.pg_databases[0]).toMatchObject({ name: "meta", owner: "dbuser_meta", schemas: ["pigsty"], extensions: ["postgis", "vector"] });
        expect(meta.pg_hba_rules[0]).toMatchObject({ addr: "intra", order: 800, role: "common" });
        expect(inv.unsupported.map((u) => u.module).sort()).toEqual(["app", "docker"]);
        expect(inv.nodes[0]).toMatchObject({ nodename_overwrite: false, node_etc_hosts: ["${admin_ip} i.pigsty sss.pigsty"], node_cpu: 2, node_mem_mb: 4096 });
        expect(Object.keys(inv.infra!.infra_portal)).toEqual(["home", "pgadmin"]);
        expect(inv.warnings).toEqual([]);
    });

    test("ha/dual: primary + offline-capable replica, VIP", () => {
        const inv = load("ha-dual");
        expect(members(inv, "pg-meta")).toEqual([["10.10.10.10", 1, "primary"], ["10.10.10.11", 2, "replica"]]);
        const c = inv.pgClusters[0];
        expect(c).toMatchObject({ pg_vip_enabled: true, pg_vip_address: "10.10.10.2/24", pg_vip_interface: "eth1" });
        const svc = resolvePgServices(c);
        expect(svc.find((s) => s.name === "offline")!.servers).toEqual([{ name: "pg-meta-2", ip: "10.10.10.11", port: 5432, weight: 100, backup: false }]);
        expect(inv.nodes.map((n) => n.nodename)).toEqual(["pg-meta-1", "pg-meta-2"]);
    });

    test("ha/trio: 3 infra, 3 etcd, 3 minio, pg-meta x3, minio VIP + haproxy service", () => {
        const inv = load("ha-trio");
        expect(inv.infra!.members.map((m) => m.infra_seq)).toEqual([1, 2, 3]);
        expect(etcdInitialCluster(inv.etcd!)).toBe("etcd-1=https://10.10.10.10:2380,etcd-2=https://10.10.10.11:2380,etcd-3=https://10.10.10.12:2380");
        expect(inv.minioClusters[0]).toMatchObject({ minio_cluster: "minio", minio_data: "/data{1...2}/minio", minio_endpoint: "https://sss.pigsty:9002" });
        expect(inv.minioClusters[0].members.map((m) => m.minio_seq)).toEqual([1, 2, 3]);
        expect(members(inv, "pg-meta")).toEqual([["10.10.10.10", 1, "primary"], ["10.10.10.11", 2, "replica"], ["10.10.10.12", 3, "replica"]]);
        const c = inv.pgClusters[0];
        expect(c.pgbackrest_method).toBe("minio");
        expect(c.pgbackrest_repo.minio.storage_port).toBe(9002);
        for (const n of inv.nodes) {
            expect(n).toMatchObject({ vip_enabled: true, vip_vrid: 128, vip_address: "10.10.10.3", node_cluster: "meta" });
            expect(n.haproxy_services.map((s) => [s.name, s.port, s.balance, s.servers.length])).toEqual([["minio", 9002, "leastconn", 3]]);
        }
        // PG identity wins over an explicit nodename (node_id_from_pg)
        expect(inv.nodes.map((n) => n.nodename)).toEqual(["pg-meta-1", "pg-meta-2", "pg-meta-3"]);
        expect(pgHostContext(inv, "10.10.10.11").infraIps).toEqual(["10.10.10.10", "10.10.10.11", "10.10.10.12"]);
    });

    test("ha/full: 4-node sandbox with pg-meta, pg-test and three redis clusters", () => {
        const inv = load("ha-full");
        expect(inv.nodes.map((n) => [n.ip, n.nodename, n.node_cpu, n.node_mem_mb, n.node_tune])).toEqual([
            ["10.10.10.10", "pg-meta-1", 2, 4096, "oltp"],
            ["10.10.10.11", "pg-test-1", 1, 2048, "tiny"],
            ["10.10.10.12", "pg-test-2", 1, 2048, "tiny"],
            ["10.10.10.13", "pg-test-3", 1, 2048, "tiny"],
        ]);
        expect(inv.pgClusters.map((c) => c.pg_cluster)).toEqual(["pg-meta", "pg-test"]);
        expect(members(inv, "pg-test")).toEqual([["10.10.10.11", 1, "primary"], ["10.10.10.12", 2, "replica"], ["10.10.10.13", 3, "replica"]]);
        const test = inv.pgClusters[1];
        expect(pgInstance(test, pgPrimary(test))).toBe("pg-test-1");
        expect(test.pg_conf).toBe("tiny.yml");
        const svc = resolvePgServices(test);
        expect(svc.map((s) => [s.id, s.port, s.destPort, s.check])).toEqual([
            ["pg-test-primary", 5433, 6432, "/primary"], ["pg-test-replica", 5434, 6432, "/read-only"],
            ["pg-test-default", 5436, 5432, "/primary"], ["pg-test-offline", 5438, 5432, "/replica"], ["pg-test-standby", 5435, 6432, "/sync"],
        ]);
        expect(svc[1].servers.map((s) => [s.name, s.backup])).toEqual([["pg-test-1", true], ["pg-test-2", false], ["pg-test-3", false]]);
        expect(svc[3].servers.map((s) => [s.name, s.backup])).toEqual([["pg-test-2", true], ["pg-test-3", false]]);
        expect(inv.redisClusters.map((r) => [r.redis_cluster, r.redis_mode, r.nodes.map((n) => [n.ip, n.redis_node, Object.keys(n.redis_instances)])])).toEqual([
            ["redis-meta", "sentinel", [["10.10.10.11", 1, ["26379", "26380", "26381"]]]],
            ["redis-ms", "standalone", [["10.10.10.10", 1, ["6379", "6380"]]]],
            ["redis-test", "cluster", [["10.10.10.12", 1, ["6379", "6380", "6381"]], ["10.10.10.13", 2, ["6379", "6380", "6381"]]]],
        ]);
        expect(inv.redisClusters[1].nodes[0].redis_instances["6380"].replica_of).toBe("10.10.10.10 6379");
        expect(inv.minioClusters.map((m) => m.minio_cluster)).toEqual(["minio"]);
        expect(inv.unsupported).toEqual([]);
    });

    test("ha/safe: crit template, sync mode, delayed standby cluster", () => {
        const inv = load("ha-safe");
        const meta = inv.pgClusters.find((c) => c.pg_cluster === "pg-meta")!;
        expect(meta).toMatchObject({ pg_conf: "crit.yml", pg_rpo: 0, pg_rto: "safe", patroni_watchdog_mode: "off", patroni_ssl_enabled: true });
        expect(rtoPlan(meta.pg_rto)).toMatchObject({ ttl: 60, loop_wait: 10, retry_timeout: 20, primary_start_timeout: 45, safety_margin: 10 });
        const delay = inv.pgClusters.find((c) => c.pg_cluster === "pg-meta-delay")!;
        expect(delay.members).toEqual([{ ip: "10.10.10.13", pg_seq: 1, pg_role: "primary", pg_upstream: "10.10.10.10", pg_offline_query: false, pg_weight: 100 }]);
        expect(delay.pg_delay).toBe("1h");
        expect(inv.etcd!.members.length).toBe(3);
        expect(inv.etcd!.etcd_root_password).toBe("Etcd.Root.Changed");
        expect(inv.nodes.every((n) => n.node_cpu === 8 && n.node_tune === "crit")).toBe(true);
    });

    test("demo/redis: standalone, sentinel and native cluster", () => {
        const inv = load("demo-redis");
        expect(inv.pgClusters).toEqual([]);
        const byName = Object.fromEntries(inv.redisClusters.map((r) => [r.redis_cluster, r]));
        expect(byName["redis-ms"]).toMatchObject({ redis_mode: "standalone", redis_aof_enabled: true, redis_password: "redis.ms" });
        expect(byName["redis-meta"].redis_sentinel_monitor).toEqual([{ name: "redis-ms", host: "10.10.10.10", port: 6379, password: "redis.ms", quorum: 2, remove: false }]);
        expect(byName["redis-test"]).toMatchObject({ redis_mode: "cluster", redis_cluster_replicas: 1, redis_rename_commands: { FLUSHALL: "NOFLUSHALL" } });
        expect(byName["redis-test"].nodes.flatMap((n) => Object.keys(n.redis_instances).map((p) => `${n.ip}:${p}`)).length).toBe(6);
    });

    test("demo/minio: 4 nodes x 4 drives", () => {
        const inv = load("demo-minio");
        const m = inv.minioClusters[0];
        expect(m.members.map((x) => [x.ip, x.minio_seq])).toEqual([["10.10.10.10", 1], ["10.10.10.11", 2], ["10.10.10.12", 3], ["10.10.10.13", 4]]);
        expect(m.minio_buckets).toEqual([{ name: "pgsql", versioning: false, lock: false }, { name: "meta", versioning: true, lock: false }, { name: "data", versioning: false, lock: true }]);
        expect(m).toMatchObject({ minio_port: 9000, minio_admin_port: 9001, minio_https: true });
        expect(inv.etcd).toBeUndefined();
    });

    test("demo/el: every default spelled out equals the defaults (schemas round-trip)", () => {
        const full = load("demo-el");
        const minimal = parseInventory({
            all: {
                children: {
                    infra: { hosts: { "10.10.10.10": { infra_seq: 1 } } },
                    etcd: { hosts: { "10.10.10.10": { etcd_seq: 1 } } },
                    minio: { hosts: { "10.10.10.10": { minio_seq: 1 } }, vars: { minio_cluster: "minio" } },
                    "pg-meta": { hosts: { "10.10.10.10": { pg_seq: 1, pg_role: "primary" } }, vars: { pg_cluster: "pg-meta" } },
                },
            },
        });
        expect(full).toEqual(minimal);
        expect(full.warnings).toEqual([]);
    });

    test("every fixture loads", () => {
        for (const f of fs.readdirSync(dir)) expect(() => loadInventory(path.join(dir, f))).not.toThrow();
    });
});

describe("loader mechanics", () => {
    test("precedence: all.vars < group vars < host vars", () => {
        const inv = parseInventory({
            all: {
                vars: { node_tune: "olap", node_cpu: 4, node_mem_mb: 8192 },
                children: {
                    etcd: { hosts: { "10.0.0.1": { etcd_seq: 1 } } },
                    "pg-a": { vars: { pg_cluster: "pg-a", node_tune: "tiny", pg_port: 5555 }, hosts: { "10.0.0.1": { pg_seq: 1, pg_role: "primary", node_cpu: 16 } } },
                },
            },
        });
        expect(inv.nodes[0]).toMatchObject({ node_tune: "tiny", node_cpu: 16, node_mem_mb: 8192 });
        expect(inv.pgClusters[0].pg_port).toBe(5555);
    });
    test("loads from YAML text too; unsupported modules are reported, never a crash", () => {
        const inv = loadInventory(`
all:
  vars: { admin_ip: 10.0.0.1 }
  children:
    kf-main:
      hosts: { 10.0.0.2: { kafka_seq: 1 } }
      vars: { kafka_cluster: kf-main }
    my-test:
      hosts: { 10.0.0.3: { mysql_seq: 1 } }
      vars: { mysql_cluster: my-test }
    juice:
      hosts: { 10.0.0.4: {} }
      vars: { juice_instances: { jfs: { path: /fs } } }
`);
        expect(inv.unsupported.map((u) => [u.module, u.group])).toEqual([["kafka", "kf-main"], ["mysql", "my-test"], ["juice", "juice"]]);
        expect(inv.nodes.map((n) => n.ip)).toEqual(["10.0.0.2", "10.0.0.3", "10.0.0.4"]);
    });
    test("typos of module parameters are warned about", () => {
        const inv = parseInventory({ all: { vars: { pg_max_connections: 100 }, children: { nodes: { hosts: { "10.0.0.1": {} } } } } });
        expect(inv.warnings).toEqual(["all.vars: pg_max_connections: unknown parameter (ignored)"]);
    });
    test("host-level overrides of cluster-wide parameters are warned about", () => {
        const inv = parseInventory({
            all: { children: {
                etcd: { hosts: { "10.0.0.1": { etcd_seq: 1 } } },
                "pg-a": { vars: { pg_cluster: "pg-a" }, hosts: { "10.0.0.1": { pg_seq: 1, pg_role: "primary", pg_conf: "olap.yml" } } },
            } },
        });
        expect(inv.warnings).toEqual(["pg-a/10.0.0.1: pg_conf: host-level value of a cluster-wide parameter is ignored; set it in the group vars"]);
        expect(inv.pgClusters[0].pg_conf).toBe("oltp.yml");
    });
    test("invalid YAML is a ConfigError", () => {
        expect(() => loadInventory("all:\n  children: [\n")).toThrow(/invalid YAML/);
        expect(() => loadInventory("foo: 1\n")).toThrow(/missing top-level 'all' group/);
    });
});
