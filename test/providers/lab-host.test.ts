import { exec, resolveConnection, sharedPool, SshPool, statFile, uploadFile, RemoteCommandError } from "../../lib/ssh";
import { implementations } from "../../providers/impl";
import { Lab } from "../lab";

// Providers and transport against a real systemd host of the lab: privilege escalation, services,
// packages, and a host that dies in the middle of a command.
jest.setTimeout(300_000);

const lab = new Lab(() => undefined);
let pool: SshPool;
const conn = (user = "root", extra: object = {}) => {
  const c = lab.connection(1, { user });
  return resolveConnection({ host: c.host, user, privateKey: c.privateKey, hostKey: c.hostKey, ...extra });
};
const svc = implementations.SystemdService;
const pkgs = implementations.Packages;

beforeAll(async () => {
  await lab.up(2);
});
beforeEach(() => {
  pool = new SshPool();
});
afterEach(() => pool.closeAll());
afterAll(() => sharedPool().closeAll()); // the providers' own pool

test("a non-root user escalates with sudo for commands and file ownership", async () => {
  const admin = conn("admin", { sudo: true });
  expect((await exec(pool, admin, { command: "id -un" })).stdout).toBe("root\n");
  const s = await uploadFile(pool, admin, { path: "/etc/pigsty-test/owned.conf", content: Buffer.from("x=1\n"), mode: "0600", owner: "postgres", group: "postgres" });
  expect(await statFile(pool, admin, "/etc/pigsty-test/owned.conf")).toEqual({ ...s, exists: true, owner: "postgres", group: "postgres" });
  // without sudo the same user cannot write there, and the error says where and what
  const plain = conn("admin");
  const e = await uploadFile(pool, plain, { path: "/etc/pigsty-test/other.conf", content: Buffer.from("y"), mode: "0644" }).catch((x) => x);
  expect(e).toBeInstanceOf(RemoteCommandError);
  expect(e.message).toContain('[admin@10.10.10.11:22] step "install /etc/pigsty-test/other.conf" exited with code 1');
  expect(e.message).toMatch(/Permission denied/);
});

test("a host powered off during a command fails the command promptly", async () => {
  const running = exec(pool, conn(), { command: "sleep 120", step: "long step" }).catch((x) => x);
  await new Promise((r) => setTimeout(r, 1000));
  const t0 = Date.now();
  await lab.kill(1);
  const e = await running;
  expect(e).toBeInstanceOf(RemoteCommandError);
  expect(e.message).toContain('step "long step" lost its connection');
  expect(Date.now() - t0).toBeLessThan(30_000); // keepalive 5 s × 3
  await lab.start(1);
});

async function activeSince(unit: string): Promise<string> {
  return (await exec(pool, conn(), { command: `systemctl show -p ActiveEnterTimestampMonotonic --value ${unit}` })).stdout.trim();
}

test("SystemdService restarts only when restartOn changes and sees a unit stopped by hand", async () => {
  const base = { connection: conn(), unit: "redis-server.service" };
  const { inputs } = await svc.check!({}, { ...base, restartOn: ["a"], healthCheck: "redis-cli ping | grep -q PONG" });
  const created = await svc.create(inputs);
  const t1 = await activeSince("redis-server");
  // same inputs: diff says nothing to do
  expect((await svc.diff!(created.id, created.outs, inputs)).changes).toBe(false);
  // reload/ensure path does not restart
  const same = await svc.update!(created.id, created.outs, { ...inputs, healthTimeout: 30 });
  expect(await activeSince("redis-server")).toBe(t1);
  // a changed restartOn restarts
  const changedInputs = { ...inputs, restartOn: ["b"] };
  expect((await svc.diff!(created.id, same.outs, changedInputs)).changes).toBe(true);
  await svc.update!(created.id, same.outs, changedInputs);
  expect(await activeSince("redis-server")).not.toBe(t1);
  // stopped by hand: refresh observes it, diff wants to converge
  await exec(pool, conn(), { command: "systemctl stop redis-server" });
  const seen = await svc.read!(created.id, { ...created.outs, restartOn: ["b"] });
  expect(seen.props!.observedActive).toBe(false);
  expect((await svc.diff!(created.id, seen.props, changedInputs)).changes).toBe(true);
  await svc.update!(created.id, seen.props, changedInputs);
  expect((await exec(pool, conn(), { command: "systemctl is-active redis-server" })).stdout.trim()).toBe("active");
});

test("Packages: present packages need nothing; a missing one on an offline host fails clearly", async () => {
  const { inputs } = await pkgs.check!({}, { connection: conn(), packages: ["haproxy", "postgresql-15", "haproxy"] });
  expect(inputs.packages).toEqual(["haproxy", "postgresql-15"]);
  const ok = await pkgs.create(inputs);
  expect(ok.outs.missing).toEqual([]);
  const { inputs: more } = await pkgs.check!({}, { connection: conn(), packages: ["haproxy", "cowsay"] });
  const e = await pkgs.create(more).catch((x: Error) => x);
  expect(e).toBeInstanceOf(RemoteCommandError);
  expect((e as Error).message).toContain('step "install packages cowsay haproxy"');
  expect((e as Error).message).toContain("installing: cowsay");
});
