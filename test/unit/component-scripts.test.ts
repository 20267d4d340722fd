import { execFileSync } from "child_process";
import { parseEtcd, parsePgCluster } from "../../lib/config";
import { ETCD_AUTH_SCRIPT, etcdJoinScript, etcdPgUserScript, etcdRestartKey } from "../../components/EtcdCluster";
import { businessSql, initSql, pgCertScript, pgDirsScript, psqlOnLeader, userlistScript, waitPatroni } from "../../components/PgCluster";
import { pgbouncerUsers } from "../../lib/render";

// The shell scripts components send to hosts: valid POSIX sh (hosts run them with /bin/sh = dash),
// and the membership logic that must not restart running members.
const sh = (script: string) => execFileSync("sh", ["-n"], { input: script });

const etcd = parseEtcd({ members: [{ ip: "10.10.10.10", etcd_seq: 1 }, { ip: "10.10.10.11", etcd_seq: 2 }, { ip: "10.10.10.12", etcd_seq: 3 }] });
const pg = parsePgCluster({
  pg_cluster: "pg-test",
  pg_users: [{ name: "test", password: "x", pgbouncer: true, roles: ["dbrole_admin"] }],
  pg_databases: [{ name: "test", owner: "test" }],
  members: [{ ip: "10.10.10.11", pg_seq: 1, pg_role: "primary" }, { ip: "10.10.10.12", pg_seq: 2, pg_role: "replica" }],
});

test("every generated script is valid sh", () => {
  const j = etcdJoinScript(etcd, etcd.members[0]);
  const u = etcdPgUserScript("pg-test");
  const d = pgDirsScript(pg);
  for (const s of [j.create, j.delete, ETCD_AUTH_SCRIPT, u.create, u.delete, d.create, d.delete, pgCertScript(pg, "pg-test-1"), waitPatroni(pg, "/primary", 10), psqlOnLeader(pg), userlistScript(pg, pgbouncerUsers(pg))]) {
    expect(() => sh(s)).not.toThrow();
  }
});

test("a join asks the other members, never itself, and adds with its own peer URL", () => {
  const j = etcdJoinScript(etcd, etcd.members[2]);
  expect(j.create).toContain("others='http://10.10.10.10:2379,http://10.10.10.11:2379'");
  expect(j.create).toContain("member add 'etcd-3' --peer-urls='http://10.10.10.12:2380'");
  expect(j.delete).toContain("member remove");
});

test("the restart key of a member ignores membership (no restart when members come and go)", () => {
  const grown = parseEtcd({ members: [...etcd.members, { ip: "10.10.10.13", etcd_seq: 4 }] });
  expect(etcdRestartKey(grown, grown.members[0])).toBe(etcdRestartKey(etcd, etcd.members[0]));
  const tuned = parseEtcd({ members: etcd.members, etcd_heartbeat_interval: 200 });
  expect(etcdRestartKey(tuned, tuned.members[0])).not.toBe(etcdRestartKey(etcd, etcd.members[0]));
});

test("SQL streams switch databases with \\connect and contain the users and databases", () => {
  const init = initSql(pg);
  expect(init.indexOf("\\connect template1")).toBeGreaterThan(0);
  expect(init).toContain("\\connect postgres");
  const biz = businessSql(pg);
  expect(biz).toMatch(/CREATE ROLE "?test"?/);
  expect(biz).toContain("\\connect test");
});

test("the Debian default cluster is dropped only for the configured version", () => {
  expect(pgDirsScript(pg).create).toContain("grep -qx '15 main'");
});

test("the pgbouncer exporter is valid Python", () => {
  const { renderPgbouncerExporter } = require("../../lib/render");
  const dir = require("fs").mkdtempSync(require("path").join(require("os").tmpdir(), "pgbx-"));
  const f = require("path").join(dir, "x.py");
  require("fs").writeFileSync(f, renderPgbouncerExporter());
  expect(() => execFileSync("python3", ["-m", "py_compile", f])).not.toThrow();
  require("fs").rmSync(dir, { recursive: true });
});

test("exporter environment files and the sudoers rule", () => {
  const { renderPgExporterDefault, renderPgbouncerExporterDefault, renderAdminSudoers, renderNodeExporterDefault } = require("../../lib/render");
  const { parseNode } = require("../../lib/config");
  const c = { ...pg, pg_monitor_password: 'p"w\\d@' };
  expect(renderPgExporterDefault(c)).toBe(
    "# managed by pulumi-pigsty\nDATA_SOURCE_NAME='postgresql://dbuser_monitor:p%22w%5Cd%40@:5432/postgres?host=/var/run/postgresql&sslmode=disable'\nARGS='--web.listen-address=:9630'\n",
  );
  expect(renderPgbouncerExporterDefault(c)).toBe(
    "# managed by pulumi-pigsty\nPGBOUNCER_EXPORTER_DSN='host=127.0.0.1 port=6432 dbname=pgbouncer user=dbuser_monitor'\nPGPASSWORD=\"p\\\"w\\\\d@\"\n",
  );
  const node = parseNode("10.0.0.1", {});
  expect(renderAdminSudoers(node)).toBe("dba ALL=(ALL) NOPASSWD: ALL\n");
  expect(renderAdminSudoers({ ...node, node_admin_sudo: "limit" })).toBe("dba ALL=(ALL) NOPASSWD: /usr/bin/systemctl, /usr/bin/journalctl\n");
  expect(renderNodeExporterDefault(node)).toBe(
    '# managed by pulumi-pigsty\nARGS="--web.listen-address=:9100 --no-collector.softnet --no-collector.nvme --collector.tcpstat --collector.processes"\n',
  );
});
