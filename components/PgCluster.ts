import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../lib/config/common";
import { PgHostContext } from "../lib/config/context";
import { pgFsRoot, pgInstance, pgPrimary, pgScope, resolvePgServices } from "../lib/config/identity";
import { PgClusterConfig, PgMember, PgMemberInput, PgsqlVarsInput, PgUser } from "../lib/config/pgsql";
import { checkPgCluster } from "../lib/config/validate";
import {
  pgbouncerUsers,
  renderDatabaseProvisionSql,
  renderDatabaseSql,
  renderFailoverCallback,
  renderInitRolesSql,
  renderInitTemplateSql,
  renderPatroniUnit,
  renderPatroniYml,
  renderPgbackrestConf,
  renderPgbHba,
  renderPgbouncerDatabases,
  renderPgbouncerIni,
  renderPgbouncerUseropts,
  renderPgServices,
  renderPgExporterDefault,
  renderPgbouncerExporterDefault,
  renderPgbouncerExporter,
  renderExporterUnit,
  renderUserSql,
} from "../lib/render";
import { shellQuote } from "../lib/ssh/exec";
import { ConnectionInput } from "../providers";
import { EtcdCluster } from "./EtcdCluster";
import { HostSteps } from "./host";
import { Node } from "./Node";
import { digest, splitSecrets } from "./secrets";

/** PGSQL parameters holding credentials: accepted as `pulumi.Input<string>` secrets. */
export const PGSQL_SECRETS = [
  "pg_admin_password",
  "pg_monitor_password",
  "pg_replication_password",
  "patroni_password",
  "pg_dbsu_password",
  "pg_etcd_password",
  "pgsodium_key",
] as const;
type SecretKey = (typeof PGSQL_SECRETS)[number];

/** A business user (`pg_users` entry) whose password may be a Pulumi secret. */
export type PgUserArgs = Omit<NonNullable<PgsqlVarsInput["pg_users"]>[number], "password"> & { password?: pulumi.Input<string> };

export type PgClusterVars = Omit<PgsqlVarsInput, SecretKey | "pg_users" | "pg_cluster"> & { [K in SecretKey]?: pulumi.Input<string> } & { pg_users?: PgUserArgs[] };

export interface PgMemberArgs extends Omit<PgMemberInput, "ip"> {
  /** The member's IPv4 address. */
  ip: string;
  /** How to reach the host over SSH. */
  connection: ConnectionInput;
}

export interface PgClusterArgs {
  /** The cluster name (`pg_cluster`): `^[A-Za-z0-9-]+$`, not `root`. */
  pg_cluster: string;
  /** Instances: `pg_seq`, `pg_role` (exactly one `primary`), … Add or remove entries to grow or shrink. */
  members: PgMemberArgs[];
  /** PGSQL parameters with Pigsty's names and defaults (`pg_users`, `pg_databases`, `pg_hba_rules`, `pg_rto` …). */
  vars?: PgClusterVars;
  /** The DCS: its members' endpoints go into patroni.yml (create it with `pgClusters: [{ pg_cluster }]`). */
  etcd: EtcdCluster;
  /** The Node component of each member (sizing, admin_ip, its HAProxy). */
  nodes: Node[];
  /** IPs of infra nodes (HBA alias `infra`, Patroni REST allowlist). */
  infraIps?: string[];
}

const PATRONI_YML = "/etc/patroni/patroni.yml";

// ---- scripts (pure: config in, shell text out) ----------------------------------------------

/** Debian packages of a PGSQL member: Pigsty's `pgsql-main` + `pgsql-common` aliases as Debian names. */
export function pgDebianPackages(c: PgClusterConfig): string[] {
  const v = c.pg_version;
  return [`postgresql-${v}`, "postgresql-contrib", `postgresql-${v}-repack`, "postgresql-client", "patroni", "python3-psycopg2", "python3-etcd3", "pgbouncer", "pgbackrest", "prometheus-postgres-exporter", "openssl", "curl"];
}

/** The /pg layout, ownership, and Debian's default cluster out of the way (it holds port 5432). */
export function pgDirsScript(c: PgClusterConfig): { create: string; delete: string } {
  const root = pgFsRoot(c);
  const backup = `${c.pg_fs_backup}/${c.pg_cluster}-${c.pg_version}/backup`;
  const u = `${c.pg_dbsu}:${c.pg_dbsu}`;
  const logs = [c.pg_log_dir, c.patroni_log_dir, c.pgbouncer_log_dir, c.pgbackrest_log_dir].map(shellQuote).join(" ");
  return {
    create: [
      "set -e",
      `root=${shellQuote(root)}`,
      `install -d -o ${c.pg_dbsu} -g ${c.pg_dbsu} -m 0700 "$root" "$root/data"`,
      `for d in bin log tmp cert conf spool; do install -d -o ${c.pg_dbsu} -g ${c.pg_dbsu} -m 0750 "$root/$d"; done`,
      `ln -sfn "$root" /pg`,
      `install -d -o ${c.pg_dbsu} -g ${c.pg_dbsu} -m 0750 ${shellQuote(backup)}`,
      `ln -sfn ${shellQuote(backup)} "$root/backup"`,
      `install -d -o ${c.pg_dbsu} -g ${c.pg_dbsu} -m 0750 ${logs}`,
      `install -d -o ${c.pg_dbsu} -g ${c.pg_dbsu} -m 0750 /etc/patroni /etc/pgbouncer /etc/pgbackrest`,
      `install -d -o ${c.pg_dbsu} -g ${c.pg_dbsu} -m 2775 /var/run/postgresql`,
      // Debian's own cluster of this version would hold the port: stop and drop it.
      `if pg_lsclusters -h 2>/dev/null | awk '{print $1, $2}' | grep -qx '${c.pg_version} main'; then pg_dropcluster --stop ${c.pg_version} main; fi`,
      "systemctl disable --now postgresql >/dev/null 2>&1 || true",
      `chown -R ${u} /etc/patroni /etc/pgbouncer /etc/pgbackrest`,
    ].join("\n"),
    delete: [
      "rm -f /pg",
      c.pg_rm_data ? `rm -rf ${shellQuote(root)}` : ":",
      c.pg_rm_backup ? `rm -rf ${shellQuote(`${c.pg_fs_backup}/${c.pg_cluster}-${c.pg_version}`)}` : ":",
    ].join("\n"),
  };
}

/** A self-signed server certificate for the instance (kept once made; PostgreSQL runs with ssl=on). */
export function pgCertScript(c: PgClusterConfig, ins: string): string {
  return [
    "set -e",
    "cd /pg/cert",
    `[ -s server.key ] || openssl req -new -x509 -days 3650 -nodes -subj ${shellQuote(`/CN=${ins}`)} -out server.crt -keyout server.key 2>/dev/null`,
    "[ -s ca.crt ] || cp server.crt ca.crt",
    `chown ${c.pg_dbsu}:${c.pg_dbsu} server.crt server.key ca.crt && chmod 0600 server.key`,
  ].join("\n");
}

/** Wait until Patroni on this host reports `path` (e.g. /primary) healthy. */
export function waitPatroni(c: PgClusterConfig, path: string, seconds: number): string {
  return [
    `deadline=$(( $(date +%s) + ${seconds} ))`,
    `until curl -sf -o /dev/null http://127.0.0.1:${c.patroni_port}${path}; do`,
    `  [ "$(date +%s)" -lt "$deadline" ] || { echo "patroni ${path} not healthy after ${seconds}s" >&2; curl -s http://127.0.0.1:${c.patroni_port}/cluster >&2 || true; journalctl -u patroni -n 30 --no-pager >&2 || true; exit 1; }`,
    "  sleep 1",
    "done",
  ].join("\n");
}

/**
 * Run SQL (given on stdin) on the cluster's current leader: through the local socket when this
 * host leads, else through the direct primary service (5436) as the admin user — the inventory's
 * `primary` is only the bootstrap role and may have failed over since.
 */
export function psqlOnLeader(c: PgClusterConfig): string {
  const port = resolvePgServices(c).find((s) => s.name === "default")?.port ?? 5436;
  return [
    "set -e",
    "cd /tmp", // the dbsu cannot read root's home
    `if [ "$(runuser -u ${c.pg_dbsu} -- psql -XAtq -h ${c.pg_localhost} -p ${c.pg_port} -d postgres -c 'select pg_is_in_recovery()')" = "f" ]; then`,
    `  runuser -u ${c.pg_dbsu} -- psql -X -q -v ON_ERROR_STOP=1 -h ${c.pg_localhost} -p ${c.pg_port} -d postgres -f -`,
    "else",
    `  PGPASSWORD="$PG_ADMIN_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p ${port} -U ${shellQuote(c.pg_admin_username)} -d postgres -f -`,
    "fi",
  ].join("\n");
}

/** One SQL stream for psql: default roles, template hardening on template1 and postgres. */
export function initSql(c: PgClusterConfig): string {
  const tpl = renderInitTemplateSql(c);
  return [renderInitRolesSql(c), "\\connect template1", tpl, "\\connect postgres", tpl].join("\n");
}

/** Business users and databases (created if missing, then altered to the declared state). */
export function businessSql(c: PgClusterConfig): string {
  const parts: string[] = [];
  for (const u of c.pg_users) parts.push(renderUserSql(c, u));
  for (const d of c.pg_databases) {
    parts.push("\\connect postgres", renderDatabaseSql(c, d));
    if (d.state !== "absent") parts.push(`\\connect ${d.name}`, renderDatabaseProvisionSql(c, d));
  }
  return parts.join("\n");
}

/** pgbouncer's auth_file from the (replicated) password hashes of the users it serves. */
export function userlistScript(c: PgClusterConfig, users: PgUser[]): string {
  const names = users.map((u) => u.name.replace(/'/g, "''"));
  const sql = `select format('"%s" "%s"', rolname, rolpassword) from pg_authid where rolname in (${names.map((n) => `'${n}'`).join(",") || "''"}) and rolpassword is not null order by 1`;
  return [
    "set -e",
    "tmp=$(mktemp /etc/pgbouncer/.userlist.XXXXXX)",
    `runuser -u ${c.pg_dbsu} -- psql -XAtq -h ${c.pg_localhost} -p ${c.pg_port} -d postgres -c ${shellQuote(sql)} > "$tmp"`,
    `chown ${c.pg_dbsu}:${c.pg_dbsu} "$tmp" && chmod 0600 "$tmp" && mv -f "$tmp" /etc/pgbouncer/userlist.txt`,
    "systemctl is-active --quiet pgbouncer && systemctl reload pgbouncer || true",
  ].join("\n");
}

/**
 * Pigsty's PGSQL module: an HA PostgreSQL cluster of Patroni + etcd, pgbouncer on every member,
 * HAProxy services (primary 5433, replica 5434, default 5436, offline 5438, + pg_services) on every
 * member health-checked through Patroni's REST API, pgBackRest, default roles and privileges, and
 * `pg_users` / `pg_databases` / `pg_hba_rules`.
 *
 * The primary is bootstrapped first, then the replicas clone from it. Adding a member bootstraps
 * only it; other members only re-render what depends on membership (HAProxy backends, the Patroni
 * allowlist and HBA — applied by reload, never restart). Changes to PostgreSQL parameters and HBA
 * are applied with a Patroni reload. With `pg_safeguard: true` a destroy refuses before touching
 * any host.
 */
export class PgCluster extends pulumi.ComponentResource {
  public readonly config: PgClusterConfig;
  /** Connection strings per service (primary, replica, default, offline, …), through the first member; secret. */
  public readonly services: pulumi.Output<Record<string, string>>;
  /** Instances with their bootstrap role: `[{ins, ip, role}]` (the live leader is Patroni's call). */
  public readonly members: pulumi.Output<{ ins: string; ip: string; role: string }[]>;

  constructor(name: string, args: PgClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pigsty:pgsql:PgCluster", name, {}, opts);

    // -- validate with stand-ins for secrets; the real values only meet the renderers
    const { plain: vars, secrets } = splitSecrets({ ...(args.vars ?? {}) }, PGSQL_SECRETS);
    const userPasswords: Record<string, pulumi.Input<string>> = {};
    vars.pg_users = (args.vars?.pg_users ?? []).map((u) => {
      if (u.password !== undefined) userPasswords[u.name] = u.password;
      return u.password !== undefined && typeof u.password !== "string" ? { ...u, password: "********" } : u;
    });
    const checked = checkPgCluster(
      { ...vars, pg_cluster: args.pg_cluster },
      args.members.map((m, i) => {
        const { connection: _c, ...member } = m;
        return { where: `${args.pg_cluster}/members[${i}] ${m.ip}`, vars: member as Record<string, unknown> };
      }),
      args.pg_cluster,
    );
    if (!checked.value || checked.issues.length) throw new ConfigError(checked.issues);
    const cluster = checked.value;
    this.config = cluster;
    const nodeByIp = new Map(args.nodes.map((n) => [n.config.ip, n]));
    const missing = cluster.members.filter((m) => !nodeByIp.has(m.ip)).map((m) => m.ip);
    if (missing.length) throw new ConfigError(missing.map((ip) => ({ path: `${args.pg_cluster}/${ip}`, message: "has no Node in `nodes` (every member needs its Node component)" })));

    /** The cluster config with real secrets, for renderers of files that contain them. */
    const real = pulumi.all([secrets, pulumi.output(userPasswords)]).apply(([s, up]) => ({
      ...cluster,
      ...s,
      pg_users: cluster.pg_users.map((u) => (up[u.name] !== undefined ? { ...u, password: up[u.name] } : u)),
    })) as pulumi.Output<PgClusterConfig>;
    const secretFile = (render: (c: PgClusterConfig) => string) => pulumi.secret(real.apply(render));
    const protect: pulumi.CustomResourceOptions = { protect: cluster.pg_safeguard };
    const ctxOf = (m: PgMember): PgHostContext => ({ node: nodeByIp.get(m.ip)!.config, etcd: args.etcd.config, infraIps: args.infraIps ?? [], etcdTls: false });
    const connOf = new Map(args.members.map((m) => [m.ip, m.connection]));
    const primary = pgPrimary(cluster);
    const primaryFirst = [primary, ...cluster.members.filter((m) => m.ip !== primary.ip)];
    const serviceFiles = renderPgServices(cluster);
    const bouncerUsers = pgbouncerUsers(cluster);
    const adminPw = real.apply((c) => c.pg_admin_password);

    // DCS cleanup runs last on destroy (everything Patroni depends on it): the cluster's etcd prefix.
    const first = new HostSteps(this, `${name}-${primary.pg_seq}`, connOf.get(primary.ip)!);
    const dcs = first.command(
      "dcs",
      {
        create: "true",
        delete: `ETCDCTL_API=3 etcdctl --endpoints=${args.etcd.config.members.map((m) => `http://${m.ip}:${args.etcd.config.etcd_port}`).join(",")} del --prefix ${shellQuote(`${cluster.pg_namespace.replace(/\/$/, "")}/${pgScope(cluster)}/`)} >/dev/null || true`,
        environment: { ETCDCTL_USER: real.apply((c) => `${pgScope(c)}:${c.pg_etcd_password || pgScope(c)}`) },
        secretOutputs: false,
      },
      [...args.etcd.ready, ...args.nodes.flatMap((n) => n.ready)],
      protect,
    );

    let leaderReady: pulumi.Resource | undefined;
    const perMember = primaryFirst.map((m) => {
      const ins = pgInstance(cluster, m);
      const h = new HostSteps(this, `${name}-${m.pg_seq}`, connOf.get(m.ip)!);
      const node = nodeByIp.get(m.ip)!;
      const ctx = ctxOf(m);
      const dirsScript = pgDirsScript(cluster);
      // Pigsty's pgsql-main / pgsql-common aliases, as Debian packages (checked; installed only if missing)
      const pkgs = h.packages("packages", pgDebianPackages(cluster), [dcs]);
      const dirs = h.command("dirs", { create: dirsScript.create, delete: dirsScript.delete, secretOutputs: false }, [pkgs], protect);
      const cert = h.command("cert", { create: pgCertScript(cluster, ins), secretOutputs: false }, [dirs], protect);
      const callback = h.file("callback", { path: "/pg/bin/pg-failover-callback", content: renderFailoverCallback(cluster), mode: "0755", owner: cluster.pg_dbsu, group: cluster.pg_dbsu }, [dirs], protect);
      const conf = h.file(
        "patroni-yml",
        { path: PATRONI_YML, content: secretFile((c) => renderPatroniYml(c, m, ctx)), mode: "0600", owner: cluster.pg_dbsu, group: cluster.pg_dbsu },
        [dirs],
        protect,
      );
      const unit = h.file("patroni-unit", { path: "/etc/systemd/system/patroni.service", content: renderPatroniUnit(cluster), mode: "0644" }, [dirs], protect);
      const backrest = h.file(
        "pgbackrest-conf",
        { path: "/etc/pgbackrest/pgbackrest.conf", content: secretFile((c) => renderPgbackrestConf(c, ctx)), mode: "0600", owner: cluster.pg_dbsu, group: cluster.pg_dbsu },
        [dirs],
        protect,
      );
      // Replicas start only once the primary leads: they clone from it.
      const patroni = h.service(
        "patroni",
        {
          unit: "patroni.service",
          daemonReload: true,
          restartOn: [unit.sha256],
          reloadOn: [conf.sha256],
          healthCheck: `curl -sf -o /dev/null http://127.0.0.1:${cluster.patroni_port}/health`,
          healthTimeout: 600,
        },
        [cert, callback, conf, unit, backrest, ...(leaderReady ? [leaderReady] : [])],
        protect,
      );
      if (!leaderReady) {
        leaderReady = h.command("wait-leader", { create: waitPatroni(cluster, "/primary", 300), secretOutputs: false }, [patroni], protect);
      }
      return { m, h, node, ctx, patroni, dirs };
    });

    // -- roles, privileges, users, databases: on the leader, once it leads
    const init = first.command("init-sql", { create: psqlOnLeader(cluster), stdin: real.apply(initSql), environment: { PG_ADMIN_PASSWORD: adminPw } }, [leaderReady!], protect);
    const business = first.command(
      "business-sql",
      { create: psqlOnLeader(cluster), stdin: real.apply(businessSql), environment: { PG_ADMIN_PASSWORD: adminPw } },
      [init],
      protect,
    );
    if (cluster.pgbackrest_enabled) {
      const b = `runuser -u ${cluster.pg_dbsu} -- pgbackrest --stanza=${shellQuote(cluster.pg_cluster)}`;
      first.command(
        "backup-init",
        {
          create: [
            "set -e",
            `${b} --no-online stanza-create`,
            cluster.pgbackrest_init_backup ? `[ -f /etc/pgbackrest/initial.done ] || { ${b} --type=full backup && touch /etc/pgbackrest/initial.done; }` : ":",
          ].join("\n"),
          timeout: 3600,
          secretOutputs: false,
        },
        [init],
        protect,
      );
    }

    // -- per member: pgbouncer, HAProxy services, exporter (after the data is there)
    const usersKey = digest(real.apply((c) => JSON.stringify(pgbouncerUsers(c).map((u) => [u.name, u.password ?? ""]))));
    for (const { m, h, node, ctx, patroni, dirs } of perMember) {
      const ini = h.file("pgbouncer-ini", { path: "/etc/pgbouncer/pgbouncer.ini", content: renderPgbouncerIni(cluster, m, ctx), mode: "0640", owner: cluster.pg_dbsu, group: cluster.pg_dbsu }, [dirs], protect);
      const dbs = h.file("pgbouncer-databases", { path: "/etc/pgbouncer/database.txt", content: renderPgbouncerDatabases(cluster), mode: "0640", owner: cluster.pg_dbsu, group: cluster.pg_dbsu }, [dirs], protect);
      const uopts = h.file("pgbouncer-useropts", { path: "/etc/pgbouncer/useropts.txt", content: renderPgbouncerUseropts(cluster), mode: "0640", owner: cluster.pg_dbsu, group: cluster.pg_dbsu }, [dirs], protect);
      const hba = h.file("pgbouncer-hba", { path: "/etc/pgbouncer/pgb_hba.conf", content: renderPgbHba(cluster, m, ctx), mode: "0640", owner: cluster.pg_dbsu, group: cluster.pg_dbsu }, [dirs], protect);
      const userlist = h.command(
        "pgbouncer-userlist",
        { create: pulumi.interpolate`# users ${usersKey}\n${userlistScript(cluster, bouncerUsers)}`, secretOutputs: false },
        [business, patroni, dirs],
        protect,
      );
      const bouncer = !cluster.pgbouncer_enabled
        ? undefined
        : h.service(
          "pgbouncer",
          { unit: "pgbouncer.service", reloadOn: [ini.sha256, dbs.sha256, uopts.sha256, hba.sha256], healthCheck: `ss -ltn | grep -q ':${cluster.pgbouncer_port} '` },
          [ini, dbs, uopts, hba, userlist],
          protect,
        );

      // HAProxy: this cluster's services on this member's HAProxy; reloaded after files change,
      // and once more after they are removed (the guard below is deleted after the files).
      const guard = h.command("haproxy-guard", { create: "true", delete: "haproxy -c -q -f /etc/haproxy/haproxy.cfg -f /etc/haproxy/conf.d && systemctl reload haproxy || true", secretOutputs: false }, [...(node.haproxy ? [node.haproxy] : [])], protect);
      const files = Object.entries(serviceFiles).map(([file, content]) =>
        h.file(`haproxy-${file.replace(/\.cfg$/, "")}`, { path: `/etc/haproxy/conf.d/${file}`, content, mode: "0644" }, [guard], protect),
      );
      h.command(
        "haproxy-reload",
        {
          create: pulumi.interpolate`# ${pulumi.all(files.map((f) => f.sha256)).apply((s) => s.join(" "))}\nhaproxy -c -q -f /etc/haproxy/haproxy.cfg -f /etc/haproxy/conf.d\nsystemctl reload haproxy`,
          secretOutputs: false,
        },
        files,
        protect,
      );

      if (cluster.pgbouncer_enabled && cluster.pgbouncer_exporter_enabled) {
        const script = h.file("pgbouncer-exporter", { path: "/pg/bin/pgbouncer_exporter.py", content: renderPgbouncerExporter(), mode: "0755", owner: cluster.pg_dbsu, group: cluster.pg_dbsu }, [dirs], protect);
        const unit = h.file(
          "pgbouncer-exporter-unit",
          { path: "/etc/systemd/system/pgbouncer_exporter.service", content: renderExporterUnit("pgbouncer_exporter", `/usr/bin/python3 /pg/bin/pgbouncer_exporter.py --port ${cluster.pgbouncer_exporter_port}`, cluster.pg_dbsu), mode: "0644" },
          [dirs],
          protect,
        );
        const env = h.file(
          "pgbouncer-exporter-env",
          {
            path: "/etc/default/pgbouncer_exporter",
            content: secretFile(renderPgbouncerExporterDefault),
            mode: "0600",
          },
          [dirs],
          protect,
        );
        h.service(
          "pgbouncer-exporter",
          { unit: "pgbouncer_exporter.service", daemonReload: true, restartOn: [script.sha256, unit.sha256, env.sha256], healthCheck: `curl -sf http://127.0.0.1:${cluster.pgbouncer_exporter_port}/metrics | grep -q '^pgbouncer_up 1'` },
          [script, unit, env, userlist, ...(bouncer ? [bouncer] : [])],
          protect,
        );
      }

      if (cluster.pg_exporter_enabled) {
        const env = h.file(
          "pg-exporter-env",
          {
            path: "/etc/default/prometheus-postgres-exporter",
            content: secretFile(renderPgExporterDefault),
            mode: "0600",
          },
          [dirs],
          protect,
        );
        h.service(
          "pg-exporter",
          { unit: "prometheus-postgres-exporter.service", restartOn: [env.sha256], healthCheck: `curl -sf http://127.0.0.1:${cluster.pg_exporter_port}/metrics | grep -q '^pg_up 1'` },
          [env, init],
          protect,
        );
      }
    }

    // -- outputs
    const firstIp = cluster.members[0].ip;
    // pgbouncer serves only pg_databases: services ending there point at the first of them
    const pooledDb = cluster.pg_databases.find((d) => d.pgbouncer && d.state !== "absent")?.name ?? cluster.pg_primary_db;
    this.services = pulumi.secret(
      real.apply((c) =>
        Object.fromEntries(
          resolvePgServices(c).map((s) => [
            s.name,
            `postgres://${encodeURIComponent(c.pg_admin_username)}:${encodeURIComponent(c.pg_admin_password)}@${firstIp}:${s.port}/${s.destPort === c.pgbouncer_port ? pooledDb : c.pg_primary_db}`,
          ]),
        ),
      ),
    );
    this.members = pulumi.output(cluster.members.map((m) => ({ ins: pgInstance(cluster, m), ip: m.ip, role: m.pg_role })));
    this.registerOutputs({ services: this.services, members: this.members });
  }
}
