import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../lib/config/common";
import { EtcdClusterConfig, EtcdMember, EtcdVarsInput } from "../lib/config/etcd";
import { etcdMemberName } from "../lib/config/identity";
import { checkEtcd } from "../lib/config/validate";
import { renderEtcdConf, renderEtcdUnit } from "../lib/render";
import { shellQuote } from "../lib/ssh/exec";
import { sha256 } from "../lib/ssh/files";
import { ConnectionInput, RemoteCommand } from "../providers";
import { HostSteps } from "./host";
import { Node } from "./Node";
import { splitSecrets, WithSecretInputs } from "./secrets";

export interface EtcdMemberArgs {
  /** The member's IPv4 address. */
  ip: string;
  /** Member sequence (`etcd_seq`): the member is named `<etcd_cluster>-<etcd_seq>`. */
  etcd_seq: number;
  /** How to reach the host over SSH. */
  connection: ConnectionInput;
}

/** A PostgreSQL cluster that gets an etcd user with read-write access to `/pg/<pg_cluster>/` (Patroni's DCS prefix). */
export interface EtcdPgUserArgs {
  pg_cluster: string;
  /** Password of the etcd user; Pigsty's default (empty) means the cluster name. */
  pg_etcd_password?: pulumi.Input<string>;
}

export interface EtcdClusterArgs {
  /** The members (1, 3 or 5 for production). Add or remove entries to grow or shrink a running cluster. */
  members: EtcdMemberArgs[];
  /** ETCD parameters with Pigsty's names and defaults; `etcd_root_password` may be a Pulumi secret. */
  vars?: WithSecretInputs<EtcdVarsInput, "etcd_root_password">;
  /** PostgreSQL clusters whose Patroni uses this etcd (one RBAC user and role each). */
  pgClusters?: EtcdPgUserArgs[];
  /** The Node components of the members' hosts: etcd waits for them, and `nodeNames` reports their names. */
  nodes?: Node[];
}

const ETCDCTL = "ETCDCTL_API=3 etcdctl --dial-timeout=3s --command-timeout=10s";

/** The parts of a member's config that need a restart when they change: everything but the bootstrap-only `initial-*` settings. */
export function etcdRestartKey(etcd: EtcdClusterConfig, member: EtcdMember): string {
  return sha256(renderEtcdConf({ ...etcd, members: [member], etcd_init: "new" }, member, { tls: false })).slice(0, 16);
}

/**
 * Runs once when a member is created, before etcd starts there: if the other members already form
 * a running cluster, the member is added to it (`member add`) and joins with
 * `initial-cluster-state: existing`; otherwise the cluster is being bootstrapped (`new`).
 * Prints the state, which goes into the member's config. On delete, removes the member from the
 * cluster (when the rest of the cluster is reachable) and stops etcd.
 */
export function etcdJoinScript(etcd: EtcdClusterConfig, member: EtcdMember): { create: string; delete: string } {
  const others = etcd.members.filter((m) => m.ip !== member.ip).map((m) => `http://${m.ip}:${etcd.etcd_port}`).join(",");
  const peer = `http://${member.ip}:${etcd.etcd_peer_port}`;
  const name = etcdMemberName(etcd, member);
  const create = [
    `others=${shellQuote(others)}`,
    `[ -z "$others" ] && { echo new; exit 0; }`,
    // A cluster already runs when the other members answer a linearizable member list.
    `list=$(${ETCDCTL} --endpoints="$others" member list 2>/dev/null) || { echo new; exit 0; }`,
    `if ! printf '%s\\n' "$list" | grep -q ${shellQuote(peer)}; then`,
    `  ${ETCDCTL} --endpoints="$others" member add ${shellQuote(name)} --peer-urls=${shellQuote(peer)} >&2`,
    "fi",
    "echo existing",
  ].join("\n");
  const del = [
    `others=${shellQuote(others)}`,
    `id=$(${ETCDCTL} --endpoints="$others" member list 2>/dev/null | grep ${shellQuote(peer)} | cut -d, -f1)`,
    `if [ -n "$id" ]; then ${ETCDCTL} --endpoints="$others" member remove "$id" >&2 || echo "warning: could not remove ${name} from the cluster" >&2; fi`,
    "systemctl stop etcd 2>/dev/null || true",
  ].join("\n");
  return { create, delete: del };
}

/** Enables authentication once: root user (password on stdin) with the root role, then `auth enable`. */
export const ETCD_AUTH_SCRIPT = [
  "set -e",
  "IFS= read -r pw",
  `export ETCDCTL_API=3 ETCDCTL_ENDPOINTS=http://127.0.0.1:2379`,
  // auth disabled: listing users works without credentials
  `if ${ETCDCTL} user list >/dev/null 2>&1; then`,
  `  ${ETCDCTL} user get root >/dev/null 2>&1 || printf '%s\\n%s\\n' "$pw" "$pw" | ${ETCDCTL} user add root >/dev/null 2>&1`,
  `  ${ETCDCTL} user grant-role root root >/dev/null`,
  `  ${ETCDCTL} auth enable >/dev/null`,
  "fi",
  // with auth on, the root password must work (a changed password is not rotated automatically)
  `ETCDCTL_USER="root:$pw" ${ETCDCTL} user get root >/dev/null || { echo "etcd root password rejected: etcd_root_password differs from the one the cluster was bootstrapped with" >&2; exit 1; }`,
  "echo enabled",
].join("\n");

/** Creates or updates the etcd user and role of a PostgreSQL cluster: read-write on `/pg/<cls>/`. */
export function etcdPgUserScript(pgCluster: string): { create: string; delete: string } {
  const c = shellQuote(pgCluster);
  const prefix = shellQuote(`/pg/${pgCluster}/`);
  const head = ["set -e", "IFS= read -r root", "IFS= read -r pw", `export ETCDCTL_API=3 ETCDCTL_ENDPOINTS=http://127.0.0.1:2379 ETCDCTL_USER="root:$root"`];
  return {
    create: [
      ...head,
      `${ETCDCTL} role get ${c} >/dev/null 2>&1 || ${ETCDCTL} role add ${c} >/dev/null`,
      `${ETCDCTL} role grant-permission ${c} --prefix=true readwrite ${prefix} >/dev/null`,
      `${ETCDCTL} user get ${c} >/dev/null 2>&1 || printf '%s\\n%s\\n' "$pw" "$pw" | ${ETCDCTL} user add ${c} >/dev/null 2>&1`,
      // keep the password in step with the program (idempotent)
      `printf '%s\\n%s\\n' "$pw" "$pw" | ${ETCDCTL} user passwd ${c} >/dev/null 2>&1`,
      `${ETCDCTL} user grant-role ${c} ${c} >/dev/null`,
    ].join("\n"),
    delete: [...head, `${ETCDCTL} user delete ${c} >/dev/null 2>&1 || true`, `${ETCDCTL} role delete ${c} >/dev/null 2>&1 || true`].join("\n"),
  };
}

/**
 * Pigsty's ETCD module: the DCS for Patroni. Members by `etcd_seq`, config and unit, data dir,
 * started and checked healthy, root user and authentication enabled, one RBAC user per PostgreSQL
 * cluster. Adding a member to `members` joins it to the running cluster (`member add`, state
 * `existing`); removing one removes it from the cluster and stops it. Other members are never
 * restarted by a membership change. With `etcd_safeguard: true` every resource is protected, so a
 * destroy refuses before touching any host.
 */
export class EtcdCluster extends pulumi.ComponentResource {
  public readonly config: EtcdClusterConfig;
  /** Client endpoints, `http://<ip>:<etcd_port>`. */
  public readonly endpoints: pulumi.Output<string[]>;
  /** Member names `<etcd_cluster>-<etcd_seq>`. */
  public readonly memberNames: pulumi.Output<string[]>;
  /** Member IPs. */
  public readonly nodes: pulumi.Output<string[]>;
  /** Node names (hostnames) of the members, from their Node components (the IP where none was given). */
  public readonly nodeNames: pulumi.Output<string[]>;
  /** Resolves when the cluster is up, authenticated, and its users exist. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: EtcdClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pigsty:etcd:EtcdCluster", name, {}, opts);
    const { plain, secrets } = splitSecrets({ ...(args.vars ?? {}) }, ["etcd_root_password"]);
    const checked = checkEtcd(
      plain,
      args.members.map((m, i) => ({ where: `${name}/members[${i}] ${m.ip}`, vars: { ip: m.ip, etcd_seq: m.etcd_seq } })),
      name,
    );
    if (!checked.value || checked.issues.length) throw new ConfigError(checked.issues);
    const etcd = checked.value;
    this.config = etcd;
    const rootPassword = secrets.apply((s) => s.etcd_root_password ?? etcd.etcd_root_password);
    const childOpts: pulumi.CustomResourceOptions = { protect: etcd.etcd_safeguard };

    const byIp = new Map(args.members.map((m) => [m.ip, m]));
    const members = etcd.members.map((m) => {
      const host = new HostSteps(this, `${name}-${m.etcd_seq}`, byIp.get(m.ip)!.connection);
      const nodeReady = (args.nodes ?? []).filter((n) => n.config.ip === m.ip).flatMap((n) => n.ready);
      const dirs = host.command(
        "dirs",
        {
          create: `install -d -o etcd -g etcd -m 0700 ${shellQuote(etcd.etcd_data)}\ninstall -d -o root -g etcd -m 0750 /etc/etcd`,
          delete: etcd.etcd_rm_data ? `rm -rf ${shellQuote(etcd.etcd_data)} /etc/etcd` : "true",
          secretOutputs: false,
        },
        nodeReady,
        childOpts,
      );
      const join = etcdJoinScript(etcd, m);
      const joined = host.command(
        "join",
        { create: join.create, delete: join.delete, environment: { ETCDCTL_USER: pulumi.interpolate`root:${rootPassword}` }, secretOutputs: false },
        [dirs],
        childOpts,
      );
      return { m, host, dirs, joined };
    });

    // Barrier: no member starts before every member decided whether it bootstraps or joins.
    const joins = members.map((x) => x.joined);
    const services = members.map(({ m, host, dirs, joined }) => {
      const conf = host.file(
        "conf",
        {
          path: "/etc/etcd/etcd.conf",
          content: joined.stdout.apply((state) => renderEtcdConf({ ...etcd, etcd_init: state === "existing" ? "existing" : "new" }, m, { tls: false })),
          mode: "0640",
          owner: "root",
          group: "etcd",
        },
        [dirs],
        childOpts,
      );
      const unit = host.file("unit", { path: "/etc/systemd/system/etcd.service", content: renderEtcdUnit(etcd), mode: "0644" }, [dirs], childOpts);
      return host.service(
        "etcd",
        {
          unit: "etcd.service",
          daemonReload: true,
          restartOn: [unit.sha256, etcdRestartKey(etcd, m)],
          // /health needs no credentials (etcdctl endpoint health does once auth is on)
          healthCheck: `curl -sf http://127.0.0.1:${etcd.etcd_port}/health | grep -q '"health":"true"'`,
          healthTimeout: 120,
        },
        [conf, unit, ...joins],
        childOpts,
      );
    });

    // Authentication, then the PostgreSQL clusters' users: once, on the first member.
    const first = members[0].host;
    const auth = first.command("auth", { create: ETCD_AUTH_SCRIPT, stdin: pulumi.interpolate`${rootPassword}\n`, secretOutputs: false }, services, childOpts);
    const users: RemoteCommand[] = (args.pgClusters ?? []).map((pg) => {
      const s = etcdPgUserScript(pg.pg_cluster);
      const pw = pulumi.output(pg.pg_etcd_password ?? "").apply((p) => p || pg.pg_cluster);
      return first.command(`user-${pg.pg_cluster}`, { create: s.create, delete: s.delete, stdin: pulumi.interpolate`${rootPassword}\n${pw}\n`, secretOutputs: false }, [auth], childOpts);
    });

    this.ready = [auth, ...users];
    this.endpoints = pulumi.output(etcd.members.map((m) => `http://${m.ip}:${etcd.etcd_port}`));
    this.memberNames = pulumi.output(etcd.members.map((m) => etcdMemberName(etcd, m)));
    this.nodes = pulumi.output(etcd.members.map((m) => m.ip));
    const nodeByIp = new Map((args.nodes ?? []).map((n) => [n.config.ip, n.config.nodename]));
    this.nodeNames = pulumi.output(etcd.members.map((m) => nodeByIp.get(m.ip) ?? m.ip));
    this.registerOutputs({ endpoints: this.endpoints, memberNames: this.memberNames, nodes: this.nodes, nodeNames: this.nodeNames });
  }
}
