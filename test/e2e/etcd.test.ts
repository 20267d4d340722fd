import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as pulumi from "@pulumi/pulumi";
import { Stack } from "@pulumi/pulumi/automation";
import { offlineStack } from "../../lib/automation";
import { Lab } from "../lab";

// NODE and ETCD deployed for real to lab hosts by `pulumi up`, checked with etcdctl and systemctl
// on the hosts (not with our code). Components come from the compiled package, as users load them.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { Node, EtcdCluster } = require("../../dist/components") as typeof import("../../components");

jest.setTimeout(1_800_000);

const lab = new Lab(() => undefined);
const ROOT_PW = "Etcd-" + Math.random().toString(36).slice(2, 12);
let stateDir: string;
const logs: string[] = [];
const onOutput = (s: string) => logs.push(s);

interface Shape {
  etcdNodes: number[]; // lab node indexes carrying an etcd member
  etcHosts: string[];
  safeguard?: boolean;
}

function program(s: Shape) {
  return async () => {
    const conn = (i: number) => {
      const c = lab.connection(i);
      return { host: c.host, user: "root", privateKey: c.privateKey, hostKey: c.hostKey };
    };
    const nodes = [0, 1, 2, 3].map(
      (i) =>
        new Node(`node-${10 + i}`, {
          connection: conn(i),
          ip: `10.10.10.${10 + i}`,
          vars: {
            nodename: `node-${10 + i}`,
            node_etc_hosts: s.etcHosts,
            node_dns_method: "none", // no DNS server in the lab
            node_ntp_enabled: false, // lab hosts may not set the clock (no CAP_SYS_TIME)
            haproxy_admin_password: pulumi.secret("HaPw-" + ROOT_PW),
          },
        }),
    );
    const etcd = new EtcdCluster(
      "etcd",
      {
        members: s.etcdNodes.map((i, n) => ({ ip: `10.10.10.${10 + i}`, etcd_seq: n + 1, connection: conn(i) })),
        vars: { etcd_root_password: pulumi.secret(ROOT_PW), etcd_safeguard: s.safeguard ?? false },
        pgClusters: [{ pg_cluster: "pg-test" }],
        nodes,
      },
      { dependsOn: nodes },
    );
    return { endpoints: etcd.endpoints, memberNames: etcd.memberNames, nodeNames: etcd.nodeNames };
  };
}

const stackFor = (s: Shape): Promise<Stack> =>
  offlineStack({ projectName: "etcd-e2e", stackName: "lab", program: program(s), stateDir, passphrase: "e2e" });

/** etcdctl on a lab node, as root of etcd. */
async function etcdctl(node: number, args: string, endpoints = "http://127.0.0.1:2379") {
  return lab.exec(node, `ETCDCTL_API=3 ETCDCTL_USER='root:${ROOT_PW}' etcdctl --endpoints=${endpoints} --dial-timeout=3s --command-timeout=10s ${args}`);
}
const since = async (node: number, unit: string) => (await lab.exec(node, `systemctl show -p ActiveEnterTimestampMonotonic --value ${unit}`)).stdout.trim();

beforeAll(async () => {
  await lab.up(4);
  // fresh Debian disks: what a new host looks like (Debian's own etcd, haproxy … running)
  for (let i = 0; i < 4; i++) await lab.reset(i);
  stateDir = mkdtempSync(join(tmpdir(), "pigsty-etcd-e2e-"));
});
afterAll(async () => {
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

test("NODE + 3-member ETCD: from zero, no-op rerun, a NODE change, grow, shrink, power-off, safeguard, destroy", async () => {
  const base: Shape = { etcdNodes: [0, 1, 2], etcHosts: ["10.10.10.10 i.pigsty"] };
  let stack = await stackFor(base);

  // --- from zero
  let t0 = Date.now();
  const up = await stack.up({ onOutput });
  const upSeconds = (Date.now() - t0) / 1000;
  expect(up.summary.result).toBe("succeeded");
  const health = await etcdctl(0, "endpoint health --cluster");
  expect(health.code).toBe(0);
  expect((health.stdout + health.stderr).match(/is healthy/g)?.length).toBe(3);
  // auth is on: without credentials nothing is readable
  const anon = await lab.exec(0, "ETCDCTL_API=3 etcdctl --endpoints=http://127.0.0.1:2379 user list");
  expect(anon.code).not.toBe(0);
  // the PostgreSQL cluster's user may write under /pg/pg-test/ and nowhere else
  const ok = await lab.exec(1, "ETCDCTL_API=3 ETCDCTL_USER=pg-test:pg-test etcdctl --endpoints=http://127.0.0.1:2379 put /pg/pg-test/x 1");
  expect(ok.code).toBe(0);
  const denied = await lab.exec(1, "ETCDCTL_API=3 ETCDCTL_USER=pg-test:pg-test etcdctl --endpoints=http://127.0.0.1:2379 put /pg/other/x 1");
  expect(denied.stderr).toMatch(/permission denied/);
  // NODE: haproxy stats on 9101, node_exporter on 9100, /etc/hosts block, hostname
  expect((await lab.exec(2, "curl -sf http://127.0.0.1:9101/metrics | head -c 200")).code).toBe(0);
  expect((await lab.exec(2, "curl -sf http://127.0.0.1:9100/metrics | grep -c ^node_")).code).toBe(0);
  expect((await lab.exec(3, "cat /etc/hosts")).stdout).toContain("10.10.10.10 i.pigsty # pigsty dns");
  // no secret in world-readable files
  expect((await lab.exec(0, "stat -c %a /etc/haproxy/haproxy.cfg")).stdout.trim()).toBe("600");

  // --- no-op: nothing changes, nothing restarts
  const before = await Promise.all([0, 1, 2].map((i) => since(i, "etcd")));
  const haBefore = await since(0, "haproxy");
  t0 = Date.now();
  const noop = await stack.up({ onOutput });
  const noopSeconds = (Date.now() - t0) / 1000;
  const changes = noop.summary.resourceChanges ?? {};
  expect(Object.keys(changes).filter((k) => k !== "same")).toEqual([]);
  expect(await Promise.all([0, 1, 2].map((i) => since(i, "etcd")))).toEqual(before);
  expect(await since(0, "haproxy")).toBe(haBefore);
  console.log(`NODE x4 + ETCD x3: up from zero ${upSeconds.toFixed(1)} s, no-op up ${noopSeconds.toFixed(1)} s`);

  // --- one NODE parameter: only the /etc/hosts steps change
  const hosts2: Shape = { ...base, etcHosts: ["10.10.10.10 i.pigsty", "10.10.10.11 sss.pigsty"] };
  stack = await stackFor(hosts2);
  const pv = await stack.preview({ onOutput });
  expect(pv.changeSummary.update).toBe(4);
  expect(Object.keys(pv.changeSummary).filter((k) => !["same", "update"].includes(k))).toEqual([]);
  expect(pv.stdout).toMatch(/node-1[0-3]-etc-hosts/);
  expect(pv.stdout).not.toMatch(/etcd-\d-etcd/);
  await stack.up({ onOutput });
  expect((await lab.exec(2, "cat /etc/hosts")).stdout).toContain("10.10.10.11 sss.pigsty # pigsty dns");

  // --- grow to 4 members while a client keeps writing
  const writer = lab.exec(0, `ok=0; bad=0; for i in $(seq 1 150); do if ETCDCTL_API=3 ETCDCTL_USER='root:${ROOT_PW}' etcdctl --endpoints=http://127.0.0.1:2379 --command-timeout=3s put /w/$i $i >/dev/null 2>&1; then ok=$((ok+1)); else bad=$((bad+1)); fi; sleep 0.2; done; echo "$ok $bad"`);
  const grown: Shape = { ...hosts2, etcdNodes: [0, 1, 2, 3] };
  stack = await stackFor(grown);
  await stack.up({ onOutput });
  const list4 = await etcdctl(0, "member list");
  expect(list4.stdout.match(/, started, /g)?.length).toBe(4);
  expect(list4.stdout).toContain("etcd-4");
  expect((await etcdctl(3, "endpoint health --cluster")).stdout.match(/is healthy/g)?.length ?? 0).toBeGreaterThanOrEqual(0);
  // the running members were not restarted by the membership change
  expect(await Promise.all([0, 1, 2].map((i) => since(i, "etcd")))).toEqual(before);

  // --- shrink back to 3
  stack = await stackFor(hosts2);
  await stack.up({ onOutput });
  const list3 = await etcdctl(0, "member list");
  expect(list3.stdout.match(/, started, /g)?.length).toBe(3);
  expect(list3.stdout).not.toContain("etcd-4");
  expect((await lab.exec(3, "systemctl is-active etcd")).stdout.trim()).not.toBe("active");
  const [okWrites, badWrites] = (await writer).stdout.trim().split(" ").map(Number);
  expect(okWrites).toBeGreaterThan(0);
  expect(badWrites).toBe(0);

  // --- power off one member of three: still writable
  await lab.kill(2);
  try {
    // if the dead member led, the others elect a new leader first (election timeout 1 s)
    const t = Date.now();
    let put = await etcdctl(0, "put /after-poweroff yes");
    while (put.code !== 0 && Date.now() - t < 20_000) {
      await new Promise((r) => setTimeout(r, 500));
      put = await etcdctl(0, "put /after-poweroff yes");
    }
    expect(put.stderr).toBe("");
    expect(put.code).toBe(0);
    console.log(`write accepted ${((Date.now() - t) / 1000).toFixed(1)} s after powering off a member`);
  } finally {
    await lab.start(2);
  }

  // --- safeguard: destroy refuses before touching any host
  stack = await stackFor({ ...hosts2, safeguard: true });
  await stack.up({ onOutput });
  const refused = await stack.destroy({ onOutput }).catch((e: Error) => e);
  expect(refused).toBeInstanceOf(Error);
  expect(String((refused as Error).message)).toMatch(/protected/);
  for (const i of [0, 1, 2]) expect((await lab.exec(i, "systemctl is-active etcd")).stdout.trim()).toBe("active");
  expect((await lab.exec(0, "test -f /etc/etcd/etcd.conf && test -f /etc/haproxy/haproxy.cfg")).code).toBe(0);

  // --- without the safeguard: services, configs and data are removed
  stack = await stackFor(hosts2);
  await stack.up({ onOutput });
  await stack.destroy({ onOutput });
  for (const i of [0, 1, 2]) {
    expect((await lab.exec(i, "systemctl is-active etcd")).stdout.trim()).not.toBe("active");
    expect((await lab.exec(i, "test -e /etc/etcd/etcd.conf || test -e /data/etcd")).code).not.toBe(0);
  }
  expect(logs.join("")).not.toContain(ROOT_PW);
});
