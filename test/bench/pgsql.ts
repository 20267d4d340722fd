/**
 * PGSQL benchmarks on the lab (prints figures; asserts nothing):
 *   deploy time of pg-test (3 members, + nodes and etcd) from zero, no-op `up` time,
 *   failover write gap (hard power-off of the primary) and switchover write gap (patronictl),
 *   each gap the median of N runs, measured by a client writing through 5433 of another member.
 *
 *   npm run build && node dist/test/bench/pgsql.js [runs=3]
 */
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as pulumi from "@pulumi/pulumi";
import { offlineStack } from "../../lib/automation";
import { sandbox } from "../../examples/sandbox/program";
import { Lab } from "../lab";
import { Writer } from "../support/writer";

const runs = Number(process.argv[2] ?? 3);
const lab = new Lab(() => undefined);
const pw = "Bench-" + Math.random().toString(36).slice(2, 10);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function leader(): Promise<{ name: string; host: string; node: number }> {
  for (let tries = 0; tries < 120; tries++) {
    for (const n of [1, 2, 3]) {
      const r = await lab.exec(n, "patronictl -c /etc/patroni/patroni.yml list -f json");
      if (r.code !== 0) continue;
      const all = JSON.parse(r.stdout) as { Member: string; Host: string; Role: string; State: string }[];
      const l = all.find((m) => m.Role === "Leader" && m.State === "running");
      const healthy = all.filter((m) => m.Role === "Replica" && m.State === "running").length === 2;
      if (l && healthy) return { name: l.Member, host: l.Host, node: Number(l.Host.split(".")[3]) - 10 };
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error("no healthy leader with 2 streaming replicas");
}

/** The leader as seen from any live member, once it differs from `old`. */
async function newLeader(old: string): Promise<void> {
  for (let tries = 0; tries < 180; tries++) {
    for (const n of [1, 2, 3]) {
      const r = await lab.exec(n, "patronictl -c /etc/patroni/patroni.yml list -f json");
      if (r.code === 0 && (JSON.parse(r.stdout) as { Member: string; Role: string }[]).some((m) => m.Role === "Leader" && m.Member !== old)) return;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error("no new leader");
}

async function gap(fault: (l: { name: string; node: number }) => Promise<void>, recover: (l: { node: number }) => Promise<void>): Promise<number> {
  const l = await leader();
  const via = [1, 2, 3].find((n) => n !== l.node)!;
  const w = new Writer({ url: `postgres://test@10.10.10.${10 + via}:5433/test`, password: pw });
  await w.start();
  await new Promise((r) => setTimeout(r, 2000));
  await fault(l);
  await newLeader(l.name);
  if (!(await w.resumedAfter(Date.now(), 180_000))) throw new Error("writes did not resume");
  await new Promise((r) => setTimeout(r, 1000));
  const rep = await w.stop();
  await recover(l);
  return rep.maxGapSeconds;
}

async function main(): Promise<void> {
  await lab.up(4);
  for (let i = 0; i < 4; i++) await lab.reset(i);
  const stateDir = mkdtempSync(join(tmpdir(), "pigsty-bench-"));
  const program = async () => {
    const hosts = [0, 1, 2, 3].map((i) => {
      const c = lab.connection(i);
      return { ip: c.host, connection: { host: c.host, user: "root", privateKey: c.privateKey, hostKey: c.hostKey } };
    });
    const s = pulumi.secret(pw);
    sandbox(hosts, { pg_admin_password: s, pg_monitor_password: s, pg_replication_password: s, patroni_password: s, etcd_root_password: s, haproxy_admin_password: s, app_password: s }, { pgMeta: false });
  };
  const stack = await offlineStack({ projectName: "bench", stackName: "lab", program, stateDir, passphrase: "bench" });
  let t = Date.now();
  await stack.up();
  const deploy = (Date.now() - t) / 1000;
  t = Date.now();
  await stack.up();
  const noop = (Date.now() - t) / 1000;
  console.log(`deploy from zero (4 nodes, etcd, pg-test x3): ${deploy.toFixed(1)} s`);
  console.log(`no-op up: ${noop.toFixed(1)} s`);

  const failovers: number[] = [];
  for (let i = 0; i < runs; i++) {
    const g = await gap(
      (l) => lab.kill(l.node),
      async (l) => {
        await lab.start(l.node);
      },
    );
    failovers.push(g);
    console.log(`  failover ${i + 1}: ${g.toFixed(1)} s`);
  }
  const switchovers: number[] = [];
  for (let i = 0; i < runs; i++) {
    const g = await gap(
      async (l) => {
        const cand = [1, 2, 3].find((n) => n !== l.node)!;
        const r = await lab.exec(cand, `patronictl -c /etc/patroni/patroni.yml switchover pg-test --leader ${l.name} --candidate pg-test-${cand} --force`);
        if (r.code !== 0) throw new Error(r.stderr);
      },
      async () => undefined,
    );
    switchovers.push(g);
    console.log(`  switchover ${i + 1}: ${g.toFixed(1)} s`);
  }
  console.log(`failover write gap (pg_rto norm), median of ${runs}: ${median(failovers).toFixed(1)} s  [${failovers.map((x) => x.toFixed(1)).join(", ")}]`);
  console.log(`switchover write gap, median of ${runs}: ${median(switchovers).toFixed(1)} s  [${switchovers.map((x) => x.toFixed(1)).join(", ")}]`);
  await stack.destroy();
  rmSync(stateDir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
