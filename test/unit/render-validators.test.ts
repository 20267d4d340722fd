// Every rendered file whose tool ships a checker is fed to the real tool from Debian's packages.
// Only host-specific paths (certificates, data/log dirs, sockets) are redirected into temp dirs;
// the text under test is otherwise exactly what the renderer produced. Each validator also gets a
// negative control, to prove the check really parses what we give it.
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { loadInventory, pgHostContext, Inventory } from "../../lib/inventory";
import { EtcdClusterConfig, parsePgCluster, pgInstance, PgClusterConfig, PgHostContext, pgPrimary } from "../../lib/config";
import * as R from "../../lib/render";
import { chownR, cleanupTempDirs, expectOk, hostInterface, makeCerts, output, run, tempDir, toolTest, which, write } from "./helpers/tools";

const FIXTURES = path.join(__dirname, "../fixtures/inventories");
const NAMES = ["meta", "ha-dual", "ha-trio", "ha-full", "ha-safe", "demo-redis", "demo-minio", "demo-el"];
const inventories: Record<string, Inventory> = Object.fromEntries(NAMES.map((n) => [n, loadInventory(path.join(FIXTURES, `${n}.yml`))]));
const allPg = () => NAMES.flatMap((n) => inventories[n].pgClusters.map((c) => ({ fixture: n, inv: inventories[n], cluster: c })));

let certs: { ca: string; cert: string; key: string };
let scratch: string;
beforeAll(() => {
    scratch = tempDir("validators");
    if (which("openssl")) certs = makeCerts(scratch);
});
afterAll(() => cleanupTempDirs());

/** Points certificate paths of rendered files at the throwaway certificates. */
function withTestCerts(text: string): string {
    return text
        .replace(/\/etc\/pki\/ca\.crt|\/pg\/cert\/ca\.crt|\/etc\/etcd\/ca\.crt/g, certs.ca)
        .replace(/\/pg\/cert\/server\.crt|\/etc\/etcd\/server\.crt|\/etc\/pki\/infra\.crt/g, certs.cert)
        .replace(/\/pg\/cert\/server\.key|\/etc\/etcd\/server\.key|\/etc\/pki\/infra\.key/g, certs.key);
}

// ---------------------------------------------------------------------------------------------
describe("haproxy -c", () => {
    const check = (files: string[]) => run("haproxy", ["-c", ...files.flatMap((f) => ["-f", f])]);
    toolTest("haproxy.cfg + every node's conf.d (node and postgres services) of every fixture", ["haproxy", "openssl"], () => {
        let checked = 0;
        for (const n of NAMES) {
            const inv = inventories[n];
            for (const node of inv.nodes) {
                const d = tempDir(`haproxy-${n}-${node.ip}`);
                const main = write(path.join(d, "haproxy.cfg"), withTestCerts(R.renderHaproxyCfg(node)));
                for (const s of node.haproxy_services) write(path.join(d, "conf.d", `${s.name}.cfg`), withTestCerts(R.renderHaproxyService(s)));
                for (const c of inv.pgClusters.filter((x) => x.members.some((m) => m.ip === node.ip))) {
                    for (const [f, v] of Object.entries(R.renderPgServices(c))) write(path.join(d, "conf.d", f), withTestCerts(v));
                }
                fs.mkdirSync(path.join(d, "conf.d"), { recursive: true });
                const r = check([main, path.join(d, "conf.d")]);
                expectOk(r, JSON.stringify({ fixture: n, node: node.ip }));
                expect(output(r)).not.toMatch(/\[(WARNING|ALERT)\]/);
                checked++;
            }
        }
        expect(checked).toBeGreaterThanOrEqual(20);
    });
    toolTest("negative control: a broken service is rejected", ["haproxy"], () => {
        const d = tempDir("haproxy-bad");
        const node = inventories["ha-full"].nodes[0];
        const main = write(path.join(d, "haproxy.cfg"), R.renderHaproxyCfg(node));
        const bad = write(path.join(d, "bad.cfg"), R.renderHaproxyService({ name: "x", port: 9999, ip: "*", protocol: "tcp", maxconn: 1, balance: "roundrobin", options: ["option nonsense"], servers: [] }));
        expect(check([main, bad]).status).not.toBe(0);
    });
});

// ---------------------------------------------------------------------------------------------
describe("patroni --validate-config", () => {
    let server: net.Server;
    let dcsPort = 0;
    beforeAll(async () => {
        // Patroni's validator connects to the DCS endpoints; a listening socket stands in for etcd.
        server = net.createServer((s) => s.destroy());
        await new Promise<void>((res) => server.listen(0, "127.0.0.1", () => res()));
        dcsPort = (server.address() as net.AddressInfo).port;
    });
    afterAll(() => new Promise<void>((res) => server.close(() => res())));

    const localEtcd = (e: EtcdClusterConfig): EtcdClusterConfig => ({ ...e, etcd_port: dcsPort, members: [{ ip: "127.0.0.1", etcd_seq: 1 }] });

    toolTest("every member of every PG cluster", ["patroni", "openssl"], () => {
        let checked = 0;
        for (const { fixture, inv, cluster } of allPg()) {
            for (const m of cluster.members) {
                const ctx = pgHostContext(inv, m.ip);
                const text = withTestCerts(R.renderPatroniYml(cluster, m, { ...ctx, etcd: localEtcd(ctx.etcd) }));
                const f = write(path.join(scratch, "patroni", fixture, `${pgInstance(cluster, m)}.yml`), text);
                const r = run("patroni", ["--validate-config", f]);
                expectOk(r, JSON.stringify({ fixture, ins: pgInstance(cluster, m) }));
                // YAML 1.1 readers (PyYAML in Patroni) must see strings, not booleans
                const doc = parseYaml(text, { version: "1.1" }) as { watchdog: { mode: unknown } };
                expect(typeof doc.watchdog.mode).toBe("string");
                checked++;
            }
        }
        expect(checked).toBeGreaterThanOrEqual(12);
    });
    toolTest("negative control: a wrong type is rejected", ["patroni"], () => {
        const { inv, cluster } = allPg()[0];
        const m = cluster.members[0];
        const ctx = pgHostContext(inv, m.ip);
        const text = R.renderPatroniYml(cluster, m, { ...ctx, etcd: localEtcd(ctx.etcd) }).replace(/^    ttl: \d+$/m, "    ttl: soon");
        const r = run("patroni", ["--validate-config", write(path.join(scratch, "patroni-bad.yml"), text)]);
        expect(r.status).not.toBe(0);
        expect(output(r)).toMatch(/ttl/);
    });
});

// ---------------------------------------------------------------------------------------------
describe("postgres accepts the rendered parameters", () => {
    const PGBIN = "/usr/lib/postgresql/15/bin";
    let data = "";
    let sock = "";
    beforeAll(() => {
        if (!which(`${PGBIN}/initdb`)) return;
        const d = tempDir("pg", "postgres");
        data = path.join(d, "data");
        sock = path.join(d, "sock");
        fs.mkdirSync(sock);
        chownR(d, "postgres");
        const r = run(`${PGBIN}/initdb`, ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "-k"], { user: "postgres", timeout: 120_000 });
        if (r.status !== 0) throw new Error(output(r));
        fs.appendFileSync(path.join(data, "postgresql.conf"), "\ninclude_if_exists 'pigsty.conf'\n");
    });

    const useParams = (params: Record<string, R.GucValue>) => {
        write(path.join(data, "pigsty.conf"), R.renderPostgresqlConf("test", params));
        chownR(data, "postgres");
    };
    const show = (name: string) => run(`${PGBIN}/postgres`, ["-C", name, "-D", data], { user: "postgres" });

    /** One member per pg_conf template and size: every parameter must be accepted by PG 15. */
    const samples = (): { label: string; cluster: PgClusterConfig; params: Record<string, R.GucValue> }[] => {
        const out: { label: string; cluster: PgClusterConfig; params: Record<string, R.GucValue> }[] = [];
        for (const { fixture, inv, cluster } of allPg()) {
            const m = pgPrimary(cluster);
            out.push({ label: `${fixture}/${pgInstance(cluster, m)} ${cluster.pg_conf}`, cluster, params: R.pgParameters(cluster, m, pgHostContext(inv, m.ip)) });
        }
        const inv = inventories["meta"];
        const olap = { ...inv.pgClusters[0], pg_conf: "olap.yml" as const, pg_parameters: { "pg_stat_statements.track": "top" } };
        out.push({ label: "olap 16c64g", cluster: olap, params: R.pgParameters(olap, olap.members[0], { ...pgHostContext(inv, "10.10.10.10"), node: { ...inv.nodes[0], node_cpu: 16, node_mem_mb: 65536 } }) });
        return out;
    };

    toolTest("postgres -C parses every template's parameters", [`${PGBIN}/postgres`, `${PGBIN}/initdb`], () => {
        const list = samples();
        expect(new Set(list.map((s) => s.cluster.pg_conf))).toEqual(new Set(["oltp.yml", "olap.yml", "crit.yml", "tiny.yml"]));
        for (const s of list) {
            useParams(s.params);
            const r = show("max_connections");
            expectOk(r, JSON.stringify({ sample: s.label }));
            expect(r.stdout.trim()).toBe(String(s.params.max_connections));
            const wal = show("wal_level");
            expect(wal.stdout.trim()).toBe("logical");
        }
    }, 120_000);

    toolTest("negative control: an unknown parameter (PG18's io_method) is rejected by PG 15", [`${PGBIN}/postgres`, `${PGBIN}/initdb`], () => {
        useParams({ io_method: "worker" });
        const r = show("max_connections");
        expect(r.status).not.toBe(0);
        expect(output(r)).toMatch(/unrecognized configuration parameter "io_method"/);
    });

    toolTest("a server starts with the rendered config and runs the init SQL twice (idempotent)", [`${PGBIN}/postgres`, `${PGBIN}/pg_ctl`, "/usr/bin/psql"], () => {
        const cluster = parsePgCluster({
            pg_cluster: "pg-sql",
            pg_users: [
                { name: "dbuser_app", password: "App'Pass.1", pgbouncer: true, roles: ["dbrole_readwrite", { name: "pg_read_all_stats", admin: true }], parameters: { work_mem: "64MB", search_path: "app, public" }, expire_in: 30, comment: "app user" },
                { name: "dbuser_ro", roles: ["dbrole_readonly"], connlimit: 10, expire_at: "2030-01-01", parameters: { statement_timeout: "DEFAULT" } },
                { name: "dbuser_old", state: "absent" },
            ],
            pg_databases: [
                { name: "app", owner: "dbuser_app", comment: "application db", revokeconn: true, schemas: ["app", { name: "audit", owner: "dbuser_app" }], extensions: ["pg_trgm", { name: "hstore", schema: "app" }], parameters: { "app.tenant": "default" } },
                { name: "scratch", template: "template0", encoding: "UTF8", locale: "C", strategy: "FILE_COPY", connlimit: 5 },
            ],
            members: [{ ip: "10.0.0.1", pg_seq: 1, pg_role: "primary" }],
        });
        const node = { ...inventories["meta"].nodes[0], node_cpu: 2, node_mem_mb: 1024 };
        const ctx: PgHostContext = { node, etcd: inventories["meta"].etcd!, infraIps: ["10.10.10.10"] };
        useParams(R.pgParameters(cluster, cluster.members[0], ctx));
        const logf = path.join(path.dirname(data), "server.log");
        const opts = `-c listen_addresses='' -c unix_socket_directories='${sock}' -c ssl=off -c archive_mode=off -c logging_collector=off -c huge_pages=off -c shared_buffers=32MB`;
        const start = run(`${PGBIN}/pg_ctl`, ["-D", data, "-l", logf, "-w", "-t", "60", "-o", opts, "start"], { user: "postgres", timeout: 90_000 });
        if (start.status !== 0) throw new Error(`pg_ctl start: ${output(start)}\n${fs.existsSync(logf) ? fs.readFileSync(logf, "utf8") : ""}`);
        try {
            const psql = (db: string, file: string) => {
                const r = run("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", sock, "-U", "postgres", "-d", db, "-f", file], { user: "postgres" });
                expectOk(r, JSON.stringify({ db, file: path.basename(file) }));
                return r;
            };
            const dir = path.join(path.dirname(data), "sql");
            const files = {
                roles: write(path.join(dir, "roles.sql"), R.renderInitRolesSql(cluster)),
                template: write(path.join(dir, "template.sql"), R.renderInitTemplateSql(cluster)),
                users: cluster.pg_users.map((u) => write(path.join(dir, `user-${u.name}.sql`), R.renderUserSql(cluster, u))),
                dbs: cluster.pg_databases.map((d) => ({ d, create: write(path.join(dir, `db-${d.name}.sql`), R.renderDatabaseSql(cluster, d)), prov: write(path.join(dir, `db-${d.name}-p.sql`), R.renderDatabaseProvisionSql(cluster, d)) })),
            };
            chownR(dir, "postgres");
            for (let pass = 0; pass < 2; pass++) {
                psql("postgres", files.roles);
                psql("template1", files.template);
                psql("postgres", files.template);
                for (const f of files.users) psql("postgres", f);
                for (const { d, create, prov } of files.dbs) { psql("postgres", create); psql(d.name, prov); }
            }
            const q = (db: string, sql: string) => run("psql", ["-X", "-At", "-h", sock, "-U", "postgres", "-d", db, "-c", sql], { user: "postgres" }).stdout.trim();
            expect(q("postgres", "select string_agg(rolname, ',' order by rolname) from pg_roles where rolname like 'db%' or rolname = 'replicator'"))
                .toBe("dbrole_admin,dbrole_offline,dbrole_readonly,dbrole_readwrite,dbuser_app,dbuser_dba,dbuser_monitor,dbuser_ro,replicator");
            expect(q("postgres", "select rolconnlimit from pg_roles where rolname = 'dbuser_ro'")).toBe("10");
            expect(q("app", "select string_agg(extname, ',' order by extname) from pg_extension")).toMatch(/hstore.*pg_stat_statements.*pg_trgm/);
            expect(q("app", "select has_database_privilege('dbuser_ro', 'app', 'connect')")).toBe("f");
            expect(q("postgres", "select count(*) from pg_extension where extname = 'pg_repack'")).toBe("1");
            expect(q("postgres", "select monitor.beating() is not null")).toBe("t");
        } finally {
            run(`${PGBIN}/pg_ctl`, ["-D", data, "-m", "fast", "-w", "stop"], { user: "postgres", timeout: 60_000 });
        }
    }, 180_000);
});

// ---------------------------------------------------------------------------------------------
describe("pgbackrest parses its config", () => {
    // `help <command> <option>` loads the config file like every command and prints the option's
    // "current:" value; an unknown key prints "WARN: configuration file contains invalid option",
    // a bad value exits non-zero. No repository or server is touched.
    const help = (conf: string, stanza: string, option: string) =>
        run("pgbackrest", [`--config=${conf}`, `--stanza=${stanza}`, "--log-level-console=warn", "help", "backup", option]);
    toolTest("every cluster's pgbackrest.conf (local and s3 repos)", ["pgbackrest"], () => {
        let s3 = 0;
        for (const { fixture, inv, cluster } of allPg()) {
            const conf = write(path.join(scratch, "pgbackrest", fixture, `${cluster.pg_cluster}.conf`), R.renderPgbackrestConf(cluster, { node: inv.nodes[0] }));
            const repo = cluster.pgbackrest_repo[cluster.pgbackrest_method];
            for (const [k, v] of Object.entries(repo)) {
                const r = help(conf, cluster.pg_cluster, `repo1-${k.replace(/_/g, "-")}`);
                expectOk(r, JSON.stringify({ fixture, cluster: cluster.pg_cluster, option: k }));
                expect(output(r)).not.toMatch(/WARN|ERROR/);
                const shown = v === true || v === "y" ? "true" : v === false || v === "n" ? "false" : String(v).replace("${pg_cluster}", cluster.pg_cluster);
                if (!/secret|pass|key$/.test(k)) expect(r.stdout).toContain(`current: ${shown}`);
            }
            const pg1 = help(conf, cluster.pg_cluster, "pg1-path");
            expect(pg1.stdout).toContain(`current: ${cluster.pg_data}`);
            if (repo.type === "s3") s3++;
        }
        expect(s3).toBeGreaterThan(0);
    });
    toolTest("negative controls: unknown option warns, bad value fails", ["pgbackrest"], () => {
        const base = R.renderPgbackrestConf(inventories["meta"].pgClusters[0], { node: inventories["meta"].nodes[0] });
        const unknown = write(path.join(scratch, "pgbr-unknown.conf"), base.replace("[global]", "[global]\nrepo1-bogus-option=1"));
        expect(output(help(unknown, "pg-meta", "repo1-path"))).toMatch(/invalid option 'repo1-bogus-option'/);
        const badValue = write(path.join(scratch, "pgbr-bad.conf"), base.replace("repo1-retention-full=2", "repo1-retention-full=two"));
        expect(help(badValue, "pg-meta", "repo1-retention-full").status).not.toBe(0);
    });
});

// ---------------------------------------------------------------------------------------------
describe("pgbouncer starts with the rendered config", () => {
    const start = (dir: string, port: number) => {
        const r = run("timeout", ["1", "pgbouncer", path.join(dir, "pgbouncer.ini")], { user: "postgres", timeout: 10_000 });
        return { r, log: fs.existsSync(path.join(dir, "pgbouncer.log")) ? fs.readFileSync(path.join(dir, "pgbouncer.log"), "utf8") : "", port };
    };
    const layout = (dir: string, files: Record<string, string>, port: number) => {
        for (const [f, text] of Object.entries(files)) {
            write(path.join(dir, f), text
                .replace(/\/etc\/pgbouncer\//g, `${dir}/`).replace(/\/pg\/log\/pgbouncer/g, dir)
                .replace(/\/var\/run\/postgresql/g, dir).replace(/listen_port = \d+/, `listen_port = ${port}`)
                .replace(/listen_addr = .*/, "listen_addr = 127.0.0.1"));
        }
        write(path.join(dir, "userlist.txt"), '"postgres" "md5abc"\n');
        chownR(dir, "postgres");
    };
    toolTest("pgbouncer.ini + database.txt + useropts.txt + pgb_hba.conf of every primary", ["pgbouncer", "timeout"], () => {
        let port = 26432;
        for (const { fixture, inv, cluster } of allPg()) {
            const m = pgPrimary(cluster);
            const ctx = pgHostContext(inv, m.ip);
            const dir = tempDir(`pgb-${fixture}-${cluster.pg_cluster}`, "postgres");
            layout(dir, {
                "pgbouncer.ini": R.renderPgbouncerIni(cluster, m, ctx), "database.txt": R.renderPgbouncerDatabases(cluster),
                "useropts.txt": R.renderPgbouncerUseropts(cluster), "pgb_hba.conf": R.renderPgbHba(cluster, m, ctx),
            }, ++port);
            const { log } = start(dir, port);
            expect({ fixture, cluster: cluster.pg_cluster, log }).toMatchObject({ log: expect.stringContaining("process up") });
            expect(log).not.toMatch(/ WARNING | ERROR | FATAL /);
        }
    });
    toolTest("negative control: a bad hba method is reported", ["pgbouncer", "timeout"], () => {
        const { inv, cluster } = allPg()[0];
        const m = pgPrimary(cluster);
        const ctx = pgHostContext(inv, m.ip);
        const dir = tempDir("pgb-bad", "postgres");
        layout(dir, {
            "pgbouncer.ini": R.renderPgbouncerIni(cluster, m, ctx), "database.txt": R.renderPgbouncerDatabases(cluster),
            "useropts.txt": R.renderPgbouncerUseropts(cluster), "pgb_hba.conf": "host all all 0.0.0.0/0 ident\n",
        }, 26499);
        expect(start(dir, 26499).log).toMatch(/ WARNING | ERROR /);
    });
});

// ---------------------------------------------------------------------------------------------
describe("monitoring configs", () => {
    toolTest("promtool check config + service discovery over rendered file_sd targets", ["promtool", "openssl"], () => {
        for (const n of ["ha-full", "ha-trio", "demo-minio"]) {
            const inv = inventories[n];
            const d = tempDir(`prom-${n}`);
            const targets = path.join(d, "targets");
            for (const node of inv.nodes) write(path.join(targets, "node", `${node.ip}.yml`), R.renderNodeTargets(node));
            for (const node of inv.nodes) write(path.join(targets, "ping", `${node.ip}.yml`), R.renderPingTargets(node));
            for (const c of inv.pgClusters) for (const m of c.members) write(path.join(targets, "pgsql", `${pgInstance(c, m)}.yml`), R.renderPgTargets(c, m));
            if (inv.etcd) for (const [f, v] of Object.entries(R.renderEtcdTargets(inv.etcd))) write(path.join(targets, "etcd", f), v);
            for (const r of inv.redisClusters) for (const node of r.nodes) write(path.join(targets, "redis", `${r.redis_cluster}-${node.redis_node}.yml`), R.renderRedisTargets(r, node));
            for (const m of inv.minioClusters) for (const [f, v] of Object.entries(R.renderMinioTargets(m))) write(path.join(targets, "minio", f), v);
            for (const m of inv.infra!.members) write(path.join(targets, "infra", `infra-${m.infra_seq}.yml`), R.renderInfraTargets(inv.infra!, m.infra_seq));
            for (const job of ["infra", "node", "ping", "etcd", "pgsql", "patroni", "redis", "minio"]) {
                if (!fs.existsSync(path.join(targets, job))) write(path.join(targets, job, "none.yml"), "[]\n");
            }
            write(path.join(d, "rules", "none.yml"), "groups: []\n");
            const conf = write(path.join(d, "prometheus.yml"), R.renderPrometheusYml(inv.infra!, { targetsDir: targets, rulesDir: path.join(d, "rules"), caFile: certs.ca, certFile: certs.cert, keyFile: certs.key }));
            const r = run("promtool", ["check", "config", conf]);
            expectOk(r, JSON.stringify({ fixture: n }));
            expect(output(r)).not.toMatch(/WARNING/);
            for (const job of ["node", "pgsql", "redis", "infra"]) {
                if (job === "pgsql" && inv.pgClusters.length === 0) continue;
                if (job === "redis" && inv.redisClusters.length === 0) continue;
                const sd = run("promtool", ["check", "service-discovery", conf, job, "--timeout=1s"]);
                expectOk(sd, JSON.stringify({ fixture: n, job }));
                expect(sd.stdout).toMatch(/__address__/);
            }
        }
    });
    toolTest("negative control: promtool rejects a bad scrape interval", ["promtool"], () => {
        const inv = inventories["meta"];
        const conf = write(path.join(scratch, "prom-bad.yml"), R.renderPrometheusYml({ ...inv.infra!, vmetrics_scrape_interval: "often" }));
        expect(run("promtool", ["check", "config", conf]).status).not.toBe(0);
    });
    toolTest("amtool check-config alertmanager.yml", ["amtool"], () => {
        const r = run("amtool", ["check-config", write(path.join(scratch, "alertmanager.yml"), R.renderAlertmanagerYml())]);
        expectOk(r, "");
        expect(r.stdout).toMatch(/SUCCESS/);
        const bad = run("amtool", ["check-config", write(path.join(scratch, "am-bad.yml"), R.renderAlertmanagerYml().replace("group_wait: 30s", "group_wait: soon"))]);
        expect(bad.status).not.toBe(0);
    });
    toolTest("blackbox exporter --config.check", ["prometheus-blackbox-exporter"], () => {
        const r = run("prometheus-blackbox-exporter", ["--config.check", `--config.file=${write(path.join(scratch, "blackbox.yml"), R.renderBlackboxYml())}`]);
        expectOk(r, "");
        const bad = run("prometheus-blackbox-exporter", ["--config.check", `--config.file=${write(path.join(scratch, "bb-bad.yml"), R.renderBlackboxYml().replace("timeout: 5s", "timeout: 5parsecs"))}`]);
        expect(bad.status).not.toBe(0);
    });
});

// ---------------------------------------------------------------------------------------------
describe("infra node services", () => {
    toolTest("nginx -t: nginx.conf + every portal server (http + https)", ["nginx", "openssl"], () => {
        for (const n of ["meta", "ha-trio", "ha-full"]) {
            const inv = inventories[n];
            const d = tempDir(`nginx-${n}`);
            const certDir = path.join(d, "cert");
            fs.mkdirSync(certDir);
            fs.copyFileSync(certs.cert, path.join(certDir, "pigsty.crt"));
            fs.copyFileSync(certs.key, path.join(certDir, "pigsty.key"));
            const paths = { confDir: path.join(d, "conf.d"), certDir, home: d };
            const conf = write(path.join(d, "nginx.conf"), R.renderNginxConf(inv.infra!, paths));
            for (const [f, v] of Object.entries(R.renderNginxServers(inv.infra!, inv.nodes[0].admin_ip, paths))) write(path.join(d, "conf.d", f), v);
            const r = run("nginx", ["-t", "-c", conf]);
            expectOk(r, JSON.stringify({ fixture: n }));
            expect(output(r)).toMatch(/test is successful/);
        }
    });
    toolTest("dnsmasq --test", ["dnsmasq"], () => {
        const inv = inventories["ha-trio"];
        for (const m of inv.infra!.members) {
            const r = run("dnsmasq", ["--test", "-C", write(path.join(scratch, `dnsmasq-${m.ip}.conf`), R.renderDnsmasqConf(inv.infra!, m.ip))]);
            expectOk(r, "");
        }
        const bad = run("dnsmasq", ["--test", "-C", write(path.join(scratch, "dnsmasq-bad.conf"), "no-such-option=1\n")]);
        expect(bad.status).not.toBe(0);
        // records are "<ip> <names>" hosts lines
        for (const rec of [R.renderDnsRecords(inv.infra!, "10.10.10.10"), ...Object.values(R.renderPgDnsRecords(inv.pgClusters[0]))]) {
            for (const l of rec.trim().split("\n")) expect(l).toMatch(/^\d+\.\d+\.\d+\.\d+( [A-Za-z0-9.-]+)+$/);
        }
    });
    toolTest("chronyd -p parses chrony.conf", ["chronyd"], () => {
        for (const node of inventories["ha-full"].nodes) {
            const r = run("chronyd", ["-p", "-f", write(path.join(scratch, `chrony-${node.ip}.conf`), R.renderChronyConf(node))]);
            expectOk(r, "");
        }
        expect(run("chronyd", ["-p", "-f", write(path.join(scratch, "chrony-bad.conf"), "bogus-directive 1\n")]).status).not.toBe(0);
    });
});

// ---------------------------------------------------------------------------------------------
describe("keepalived --config-test", () => {
    // keepalived checks that the VRRP interface exists and is not loopback: use this host's NIC.
    toolTest("node VIP configs of ha-trio and demo-minio", ["keepalived"], () => {
        const nic = hostInterface();
        expect(nic).toBeDefined();
        for (const n of ["ha-trio", "demo-minio"]) {
            const inv = inventories[n];
            for (const node of inv.nodes.filter((x) => x.vip_enabled)) {
                const peers = inv.nodes.filter((x) => x.vip_address === node.vip_address).map((x) => x.ip);
                const conf = write(path.join(scratch, "keepalived", n, `${node.ip}.conf`), R.renderKeepalivedConf(node, peers, nic!));
                const r = run("keepalived", ["--config-test", "-f", conf]);
                expectOk(r, JSON.stringify({ fixture: n, node: node.ip }));
                expect(output(r)).not.toMatch(/WARNING|invalid|ignoring/);
            }
        }
        const node = inventories["ha-trio"].nodes[0];
        const bad = write(path.join(scratch, "keepalived-bad.conf"), R.renderKeepalivedConf(node, [], nic!).replace("virtual_router_id 128", "virtual_router_id 999"));
        const r = run("keepalived", ["--config-test", "-f", bad]);
        expect(r.status).not.toBe(0);
        expect(output(r)).toMatch(/VRID .999. not valid/);
    });
});

// ---------------------------------------------------------------------------------------------
describe("redis-server loads every instance config", () => {
    // `--port 0` makes redis exit right after loading its config ("Configured to not listen
    // anywhere"), so parsing is proven without starting a server. Only `dir` is redirected.
    const load = (conf: string, sentinel: boolean) =>
        run("redis-server", [conf, ...(sentinel ? ["--sentinel"] : []), "--port", "0", "--logfile", "", "--supervised", "no", "--pidfile", path.join(path.dirname(conf), "r.pid")], { user: "redis", timeout: 10_000 });
    toolTest("standalone, replica, sentinel and cluster instances", ["redis-server"], () => {
        let n = 0;
        for (const f of ["ha-full", "demo-redis"]) {
            for (const r of inventories[f].redisClusters) for (const node of r.nodes) for (const port of Object.keys(node.redis_instances).map(Number)) {
                const d = tempDir(`redis-${f}-${port}`, "redis");
                const conf = write(path.join(d, "redis.conf"), R.renderRedisConf(r, node, port).replace(/^dir .*$/m, `dir ${d}`));
                chownR(d, "redis");
                const res = load(conf, r.redis_mode === "sentinel");
                expect({ instance: R.redisInstanceName(r, node, port), out: output(res) }).toMatchObject({ out: expect.stringContaining("Configured to not listen anywhere") });
                expect(output(res)).not.toMatch(/FATAL CONFIG FILE ERROR/);
                n++;
            }
        }
        expect(n).toBeGreaterThanOrEqual(20);
    });
    toolTest("negative control: a bad directive is fatal", ["redis-server"], () => {
        const d = tempDir("redis-bad", "redis");
        const conf = write(path.join(d, "redis.conf"), `dir ${d}\nmaxmemory-policy sometimes\n`);
        chownR(d, "redis");
        expect(output(load(conf, false))).toMatch(/FATAL CONFIG FILE ERROR/);
    });
});

// ---------------------------------------------------------------------------------------------
describe("etcd starts with the rendered config", () => {
    toolTest("a one-member cluster with TLS comes up and serves clients", ["etcd", "openssl", "timeout"], async () => {
        const inv = inventories["ha-safe"];
        const base = inv.etcd!;
        const d = tempDir("etcd", "etcd");
        const etcd: EtcdClusterConfig = { ...base, etcd_port: 23791, etcd_peer_port: 23792, etcd_data: path.join(d, "data"), members: [{ ip: "127.0.0.1", etcd_seq: 1 }] };
        const text = withTestCerts(R.renderEtcdConf(etcd, etcd.members[0])).replace(/,https:\/\/127\.0\.0\.1:23791/, "");
        const conf = write(path.join(d, "etcd.conf"), text);
        chownR(d, "etcd");
        const r = run("timeout", ["4", "etcd", "--config-file", conf], { user: "etcd", timeout: 15_000 });
        const out = output(r);
        expect(out).toMatch(/ready to serve client requests/);
        expect(out).toMatch(/"name":"etcd-1"|name = etcd-1|etcd-1/);
        expect(out).not.toMatch(/"level":"fatal"|error verifying flags/);
    }, 30_000);
    toolTest("without TLS ({ tls: false }) as well", ["etcd", "timeout"], () => {
        const base = inventories["meta"].etcd!;
        const d = tempDir("etcd-plain", "etcd");
        const etcd: EtcdClusterConfig = { ...base, etcd_port: 23793, etcd_peer_port: 23794, etcd_data: path.join(d, "data"), members: [{ ip: "127.0.0.1", etcd_seq: 1 }] };
        const text = R.renderEtcdConf(etcd, etcd.members[0], { tls: false }).replace(/,http:\/\/127\.0\.0\.1:23793/, "");
        expect(text).not.toMatch(/https|transport-security/);
        const conf = write(path.join(d, "etcd.conf"), text);
        chownR(d, "etcd");
        const out = output(run("timeout", ["4", "etcd", "--config-file", conf], { user: "etcd", timeout: 15_000 }));
        expect(out).toMatch(/ready to serve client requests/);
        expect(out).toMatch(/serving insecure client requests on 127\.0\.0\.1:23793/);
    }, 30_000);
});

// ---------------------------------------------------------------------------------------------
describe("bash -n", () => {
    toolTest("the patroni failover callback script parses", ["bash"], () => {
        const f = write(path.join(scratch, "pg-failover-callback"), R.renderFailoverCallback(inventories["ha-full"].pgClusters[0]));
        expectOk(run("bash", ["-n", f]), "bash -n pg-failover-callback");
        expect(run("bash", ["-n", write(path.join(scratch, "bad.sh"), "if then fi\n")]).status).not.toBe(0);
    });
});

// ---------------------------------------------------------------------------------------------
describe("systemd-analyze verify units", () => {
    // Binaries not in Debian (vip-manager, minio) are reported as "not executable"; any other
    // complaint (unknown key, bad value) fails.
    toolTest("every unit we render", ["systemd-analyze", "patroni", "etcd", "pgbouncer", "redis-server"], () => {
        const d = tempDir("units");
        const full = inventories["ha-full"];
        const c = full.pgClusters[1];
        const r = full.redisClusters[0];
        const units: Record<string, string> = {
            "etcd.service": R.renderEtcdUnit(full.etcd!),
            "patroni.service": R.renderPatroniUnit(c),
            "postgres.service": R.renderPostgresUnit(c),
            "pgbouncer.service": R.renderPgbouncerUnit(c),
            "vip-manager.service": R.renderVipManagerUnit(c),
            [`${R.redisInstanceName(r, r.nodes[0], 26379)}.service`]: R.renderRedisUnit(r, r.nodes[0].redis_node, 26379),
            "minio.service": R.renderMinioUnit(full.minioClusters[0]),
            "pg_exporter.service": R.renderExporterUnit("pg_exporter", "/usr/bin/patroni", "postgres"),
        };
        for (const [name, text] of Object.entries(units)) {
            const res = run("systemd-analyze", ["verify", write(path.join(d, name), text)]);
            const problems = output(res).split("\n").filter((l) => l.trim() !== "" && !/is not executable: No such file or directory/.test(l) && !/\/usr\/(bin|local\/bin)\/(vip-manager|minio)/.test(l));
            expect({ unit: name, problems }).toEqual({ unit: name, problems: [] });
        }
        const bad = run("systemd-analyze", ["verify", write(path.join(d, "bad.service"), "[Service]\nType=sometimes\nExecStart=/bin/true\n")]);
        expect(output(bad)).toMatch(/Failed to parse service type/);
    });
});
