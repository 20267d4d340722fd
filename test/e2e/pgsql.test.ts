import { mkdtempSync, rmSync } from "fs";
import { execSync } from "child_process";
import { tmpdir } from "os";
import { join } from "path";
import * as pulumi from "@pulumi/pulumi";
import { Stack } from "@pulumi/pulumi/automation";
import { offlineStack } from "../../lib/automation";
import { Lab } from "../lab";
import { Writer } from "../support/writer";

// The PGSQL module on lab hosts, through real `pulumi up`, checked with psql, patronictl and the
// hosts' own files; faults are real (hard power-off). Built from the compiled package.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { sandbox } = require("../../dist/examples/sandbox/program") as typeof import("../../examples/sandbox/program");

jest.setTimeout(3_600_000);

const lab = new Lab(() => undefined);
const rnd = () => Math.random().toString(36).slice(2, 12);
const PW = { admin: "Adm-" + rnd(), monitor: "Mon-" + rnd(), repl: "Rep-" + rnd(), patroni: "Pat-" + rnd(), etcd: "Etc-" + rnd(), haproxy: "Hap-" + rnd(), app: "App-" + rnd() };
const ALL_SECRETS = Object.values(PW);
let stateDir: string;
const logs: string[] = [];
const onOutput = (s: string) => logs.push(s);

function program(o: { pgTest: number[]; safeguard?: boolean }) {
  return async () => {
    const hosts = [0, 1, 2, 3].map((i) => {
      const c = lab.connection(i);
      return { ip: c.host, connection: { host: c.host, user: "root", privateKey: c.privateKey, hostKey: c.hostKey } };
    });
    const s = pulumi.secret;
    const { test } = sandbox(
      hosts,
      {
        pg_admin_password: s(PW.admin),
        pg_monitor_password: s(PW.monitor),
        pg_replication_password: s(PW.repl),
        patroni_password: s(PW.patroni),
        etcd_root_password: s(PW.etcd),
        haproxy_admin_password: s(PW.haproxy),
        app_password: s(PW.app),
      },
      { pgTest: o.pgTest, pgMeta: false, safeguard: o.safeguard },
    );
    return { services: test.services };
  };
}
const stackFor = (o: { pgTest: number[]; safeguard?: boolean }): Promise<Stack> =>
  offlineStack({ projectName: "pgsql-e2e", stackName: "lab", program: program(o), stateDir, passphrase: "e2e" });

/** psql from this machine (a real client) as the business user `test`. */
function q(ip: string, port: number, sql: string, db = "test"): string {
  return execSync(`psql -XAtq "postgres://test@${ip}:${port}/${db}?connect_timeout=3" -c ${JSON.stringify(sql)}`, {
    env: { ...process.env, PGPASSWORD: PW.app },
    encoding: "utf8",
  }).trim();
}
interface PatroniMember {
  Member: string;
  Host: string;
  Role: string;
  State: string;
}
async function patroni(node: number): Promise<PatroniMember[]> {
  const r = await lab.exec(node, "patronictl -c /etc/patroni/patroni.yml list -f json");
  if (r.code !== 0) throw new Error(`patronictl on node ${node}: ${r.stderr}`);
  return JSON.parse(r.stdout) as PatroniMember[];
}
async function waitFor<T>(what: string, f: () => Promise<T | undefined>, seconds: number): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${what} not reached in ${seconds}s${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
const leaderOf = (ms: PatroniMember[]) => ms.find((m) => m.Role === "Leader");
/** Is the instance on this lab node receiving WAL from a primary right now? (asked from PostgreSQL itself) */
async function streaming(node: number): Promise<boolean> {
  const r = await lab.exec(node, `runuser -u postgres -- psql -XAtq -h /var/run/postgresql -c "select status from pg_stat_wal_receiver"`);
  return r.stdout.trim() === "streaming";
}
const startTimes = async (nodes: number[]) =>
  Promise.all(nodes.map(async (n) => (await lab.exec(n, `runuser -u postgres -- psql -XAtq -h /var/run/postgresql -c "select pg_postmaster_start_time()"`)).stdout.trim()));

beforeAll(async () => {
  await lab.up(4);
  for (let i = 0; i < 4; i++) await lab.reset(i);
  stateDir = mkdtempSync(join(tmpdir(), "pigsty-pgsql-e2e-"));
});
afterAll(async () => {
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

test("pg-test: 3 members from zero, services, no-op, failover, switchover, grow, shrink, safeguard, destroy", async () => {
  let stack = await stackFor({ pgTest: [1, 2, 3] });

  // ---- from zero
  let t0 = Date.now();
  await stack.up({ onOutput });
  const deploySeconds = (Date.now() - t0) / 1000;
  const members = await patroni(1);
  expect(members.map((m) => m.Member).sort()).toEqual(["pg-test-1", "pg-test-2", "pg-test-3"]);
  expect(members.filter((m) => m.Role === "Leader").length).toBe(1);
  expect(members.filter((m) => m.Role === "Replica" && m.State === "running").length).toBe(2);
  expect(await streaming(2)).toBe(true);
  expect(await streaming(3)).toBe(true);
  const primaryIp = leaderOf(members)!.Host;
  expect(primaryIp).toBe("10.10.10.11");

  // ---- services through every member's HAProxy
  for (const ip of ["10.10.10.11", "10.10.10.12", "10.10.10.13"]) {
    // 5433: primary through pgbouncer (unix socket: no client address); writable
    expect(q(ip, 5433, "select pg_is_in_recovery(), client_addr is null from pg_stat_activity where pid = pg_backend_pid()")).toBe("f|t");
    expect(q(ip, 5433, `create table if not exists t_${ip.split(".")[3]} (x int); insert into t_${ip.split(".")[3]} values (1); select 'ok'`)).toBe("ok");
    // 5434: replicas
    expect(q(ip, 5434, "select pg_is_in_recovery()")).toBe("t");
    // 5436: direct to the primary's postgres (TCP from HAProxy)
    expect(q(ip, 5436, "select pg_is_in_recovery(), host(inet_server_addr())")).toBe(`f|${primaryIp}`);
    // 5438: offline service: no offline instance, so the replicas serve as backups
    expect(q(ip, 5438, "select pg_is_in_recovery()")).toBe("t");
  }

  // ---- exporters on every member
  for (const n of [1, 2, 3]) {
    const pgx = await lab.exec(n, "curl -sf http://127.0.0.1:9630/metrics");
    expect(pgx.stdout).toMatch(/^pg_up 1$/m);
    const pgb = await lab.exec(n, "curl -sf http://127.0.0.1:9631/metrics");
    expect(pgb.stdout).toMatch(/^pgbouncer_up 1$/m);
    expect(pgb.stdout).toMatch(/^pgbouncer_databases_pool_size\{name="test",database="test"\} \d+$/m);
  }

  // ---- no-op
  const before = await startTimes([1, 2, 3]);
  t0 = Date.now();
  const noop = await stack.up({ onOutput });
  const noopSeconds = (Date.now() - t0) / 1000;
  expect(Object.keys(noop.summary.resourceChanges ?? {}).filter((k) => k !== "same")).toEqual([]);
  expect(await startTimes([1, 2, 3])).toEqual(before);

  // ---- no credential in plaintext: state, logs, process list, world-readable files
  const state = execSync(`find ${stateDir}/backend -type f -exec cat {} +`, { encoding: "utf8", maxBuffer: 1 << 28 });
  for (const s of ALL_SECRETS) {
    expect(state).not.toContain(s);
    expect(logs.join("")).not.toContain(s);
  }
  for (const n of [0, 1, 2, 3]) {
    const ps = (await lab.exec(n, "ps -eo args")).stdout;
    for (const s of ALL_SECRETS) expect(ps).not.toContain(s);
    const readable = await lab.exec(n, `find /etc /pg/ /var/lib/postgresql -xdev -type f -perm -o+r -size -1M 2>/dev/null | xargs -r grep -l -F -e '${ALL_SECRETS.join("' -e '")}' 2>/dev/null || true`);
    expect(readable.stdout.trim()).toBe("");
  }

  // ---- failover: power off the primary while a client writes through 5433 of another member
  const writer = new Writer({ url: "postgres://test@10.10.10.12:5433/test", password: PW.app });
  await writer.start();
  await new Promise((r) => setTimeout(r, 2000));
  const killedAt = Date.now();
  await lab.kill(1);
  const resumed = await writer.resumedAfter(killedAt + 1000, 120_000);
  const failover = await writer.stop();
  expect(resumed).toBe(true);
  const afterFailover = await waitFor("a new leader", async () => leaderOf(await patroni(2)), 60);
  expect(afterFailover.Host).not.toBe("10.10.10.11");
  console.log(`failover write gap: ${failover.maxGapSeconds.toFixed(1)} s (${failover.ok} ok, ${failover.failed} failed)`);
  // the old primary comes back as a replica
  await lab.start(1);
  await waitFor("pg-test-1 streaming again", async () => {
    const m = (await patroni(2)).find((x) => x.Member === "pg-test-1");
    return m && m.Role === "Replica" && (await streaming(1)) ? m : undefined;
  }, 180);

  // ---- switchover with patronictl
  const sw = new Writer({ url: "postgres://test@10.10.10.13:5433/test", password: PW.app });
  await sw.start();
  await new Promise((r) => setTimeout(r, 2000));
  const current = leaderOf(await patroni(2))!;
  const r = await lab.exec(2, `patronictl -c /etc/patroni/patroni.yml switchover pg-test --leader ${current.Member} --candidate pg-test-1 --force`);
  expect(r.code).toBe(0);
  // the measured window covers the change of leader and the first write after it
  await waitFor("pg-test-1 leads", async () => (leaderOf(await patroni(2))?.Member === "pg-test-1" ? true : undefined), 60);
  expect(await sw.resumedAfter(Date.now(), 60_000)).toBe(true);
  await new Promise((res) => setTimeout(res, 1000));
  const switchover = await sw.stop();
  console.log(`switchover write gap: ${switchover.maxGapSeconds.toFixed(1)} s (${switchover.ok} ok, ${switchover.failed} failed)`);

  // ---- grow: a 4th member on 10.10.10.10 becomes a streaming replica listed by every HAProxy
  stack = await stackFor({ pgTest: [1, 2, 3, 0] });
  await stack.up({ onOutput });
  await waitFor("pg-test-4 streaming", async () => {
    const m = (await patroni(1)).find((x) => x.Member === "pg-test-4");
    return m && (await streaming(0)) ? m : undefined;
  }, 120);
  for (const n of [0, 1, 2, 3]) {
    expect((await lab.exec(n, "cat /etc/haproxy/conf.d/pg-test-replica.cfg")).stdout).toContain("server pg-test-4 10.10.10.10:6432");
  }
  // the running members were not restarted
  const grownTimes = await startTimes([2, 3]);

  // ---- shrink: no trace left on the others
  stack = await stackFor({ pgTest: [1, 2, 3] });
  await stack.up({ onOutput });
  // a stopped member's key expires from etcd after the Patroni ttl (30 s with pg_rto norm)
  await waitFor("pg-test-4 gone from the cluster", async () => ((await patroni(1)).length === 3 ? true : undefined), 90);
  expect((await patroni(1)).map((m) => m.Member).sort()).toEqual(["pg-test-1", "pg-test-2", "pg-test-3"]);
  for (const n of [1, 2, 3]) expect((await lab.exec(n, "grep -rl 10.10.10.10:6432 /etc/haproxy/conf.d/ || true")).stdout.trim()).toBe("");
  expect((await lab.exec(0, "systemctl is-active patroni")).stdout.trim()).not.toBe("active");
  expect(await startTimes([2, 3])).toEqual(grownTimes);

  // ---- pg_safeguard: destroy refuses before touching any host
  stack = await stackFor({ pgTest: [1, 2, 3], safeguard: true });
  await stack.up({ onOutput });
  const refused = await stack.destroy({ onOutput }).catch((e: Error) => e);
  expect(String(refused)).toMatch(/protected/);
  expect((await lab.exec(1, "systemctl is-active patroni")).stdout.trim()).toBe("active");

  // ---- without it: removed cleanly
  stack = await stackFor({ pgTest: [1, 2, 3] });
  await stack.up({ onOutput });
  await stack.destroy({ onOutput });
  for (const n of [1, 2, 3]) {
    expect((await lab.exec(n, "systemctl is-active patroni")).stdout.trim()).not.toBe("active");
    expect((await lab.exec(n, "test -e /pg/data/PG_VERSION || test -e /etc/patroni/patroni.yml")).code).not.toBe(0);
  }
  console.log(`pg-test x3 (+ 4 nodes, etcd): deploy from zero ${deploySeconds.toFixed(0)} s, no-op up ${noopSeconds.toFixed(1)} s`);
});
