// Renders every file of an inventory into a map "<host or scope>/<path>" → content, the way a
// component would lay them out. Used by the snapshot and the real-validator tests.
import { Inventory, nodeOf, pgHostContext } from "../../../lib/inventory";
import { pgInstance, pgPrimary } from "../../../lib/config";
import * as R from "../../../lib/render";

export function renderAll(inv: Inventory): Record<string, string> {
    const out: Record<string, string> = {};
    const put = (k: string, v: string) => { out[k] = v; };
    for (const n of inv.nodes) {
        const h = n.ip;
        put(`${h}/etc/hosts.pigsty`, R.renderEtcHostsBlock(n));
        put(`${h}/etc/resolv.conf`, R.renderResolvConf(n));
        put(`${h}/etc/tuned/${n.node_tune}/tuned.conf`, R.renderTunedProfile(n));
        put(`${h}/etc/sysctl.d/99-pigsty.conf`, R.renderSysctlConf(n));
        put(`${h}/etc/chrony/chrony.conf`, R.renderChronyConf(n));
        if (n.node_crontab.length) put(`${h}/etc/crontab`, R.renderNodeCrontab(n));
        put(`${h}/etc/haproxy/haproxy.cfg`, R.renderHaproxyCfg(n));
        for (const s of n.haproxy_services) put(`${h}/etc/haproxy/conf.d/${s.name}.cfg`, R.renderHaproxyService(s));
        if (n.vip_enabled) {
            const peers = inv.nodes.filter((x) => x.vip_address === n.vip_address).map((x) => x.ip);
            put(`${h}/etc/keepalived/keepalived.conf`, R.renderKeepalivedConf(n, peers, n.vip_interface === "auto" ? "eth0" : n.vip_interface));
        }
        put(`infra/targets/node/${h}.yml`, R.renderNodeTargets(n));
    }
    if (inv.etcd) {
        for (const m of inv.etcd.members) put(`${m.ip}/etc/etcd/etcd.conf`, R.renderEtcdConf(inv.etcd, m));
        put(`etcd/etcd.service`, R.renderEtcdUnit(inv.etcd));
        for (const [f, c] of Object.entries(R.renderEtcdTargets(inv.etcd))) put(`infra/targets/etcd/${f}`, c);
    }
    for (const c of inv.pgClusters) {
        for (const m of c.members) {
            const ctx = pgHostContext(inv, m.ip);
            const h = m.ip;
            put(`${h}/pg/conf/${pgInstance(c, m)}.yml`, R.renderPatroniYml(c, m, ctx));
            put(`${h}/pg/data/pg_hba.conf`, R.renderPgHba(c, m, ctx));
            put(`${h}/etc/pgbouncer/pgb_hba.conf`, R.renderPgbHba(c, m, ctx));
            put(`${h}/etc/pgbouncer/pgbouncer.ini`, R.renderPgbouncerIni(c, m, ctx));
            if (c.pg_vip_enabled) put(`${h}/etc/default/vip-manager.yml`, R.renderVipManagerYml(c, m, ctx));
            put(`infra/targets/pgsql/${pgInstance(c, m)}.yml`, R.renderPgTargets(c, m));
        }
        const p = pgPrimary(c);
        const cls = c.pg_cluster;
        put(`${cls}/etc/pgbouncer/database.txt`, R.renderPgbouncerDatabases(c));
        put(`${cls}/etc/pgbouncer/useropts.txt`, R.renderPgbouncerUseropts(c));
        for (const [f, v] of Object.entries(R.renderPgServices(c))) put(`${cls}/etc/haproxy/conf.d/${f}`, v);
        put(`${cls}/etc/pgbackrest/pgbackrest.conf`, R.renderPgbackrestConf(c, { node: nodeOf(inv, p.ip) }));
        put(`${cls}/pg/tmp/pg-init-roles.sql`, R.renderInitRolesSql(c));
        put(`${cls}/pg/tmp/pg-init-template.sql`, R.renderInitTemplateSql(c));
        for (const u of c.pg_users) put(`${cls}/pg/tmp/pg-user-${u.name}.sql`, R.renderUserSql(c, u));
        for (const d of c.pg_databases) {
            put(`${cls}/pg/tmp/pg-db-${d.name}.sql`, R.renderDatabaseSql(c, d));
            put(`${cls}/pg/tmp/pg-db-${d.name}-provision.sql`, R.renderDatabaseProvisionSql(c, d));
        }
        put(`${cls}/etc/systemd/system/patroni.service`, R.renderPatroniUnit(c));
        put(`${cls}/etc/systemd/system/postgres.service`, R.renderPostgresUnit(c));
        put(`${cls}/etc/systemd/system/pgbouncer.service`, R.renderPgbouncerUnit(c));
        if (c.pg_vip_enabled) put(`${cls}/etc/systemd/system/vip-manager.service`, R.renderVipManagerUnit(c));
        put(`${cls}/pg/bin/pg-failover-callback`, R.renderFailoverCallback(c));
        if (c.pg_crontab.length) put(`${cls}/var/spool/cron/crontabs/${c.pg_dbsu}`, R.renderPgCrontab(c));
        for (const [f, v] of Object.entries(R.renderPgDnsRecords(c))) put(`infra/etc/dnsmasq.d/pigsty/${f}`, v);
    }
    for (const r of inv.redisClusters) {
        for (const n of r.nodes) {
            for (const port of Object.keys(n.redis_instances).map(Number).sort((a, b) => a - b)) {
                put(`${n.ip}/etc/redis/${R.redisInstanceName(r, n, port)}.conf`, R.renderRedisConf(r, n, port));
                put(`${n.ip}/etc/systemd/system/${R.redisInstanceName(r, n, port)}.service`, R.renderRedisUnit(r, n.redis_node, port));
            }
            put(`infra/targets/redis/${r.redis_cluster}-${n.redis_node}.yml`, R.renderRedisTargets(r, n));
        }
        if (r.redis_sentinel_monitor.length) put(`${r.redis_cluster}/sentinel-monitor.txt`, R.renderSentinelMonitorCommands(r));
    }
    for (const m of inv.minioClusters) {
        put(`${m.minio_cluster}/etc/default/minio`, R.renderMinioEnv(m));
        put(`${m.minio_cluster}/etc/systemd/system/minio.service`, R.renderMinioUnit(m));
        for (const [f, v] of Object.entries(R.renderMinioTargets(m))) put(`infra/targets/minio/${f}`, v);
    }
    if (inv.infra) {
        const admin = inv.nodes[0]?.admin_ip ?? "10.10.10.10";
        put(`infra/etc/prometheus/prometheus.yml`, R.renderPrometheusYml(inv.infra));
        put(`infra/etc/prometheus/alertmanager.yml`, R.renderAlertmanagerYml());
        put(`infra/etc/prometheus/blackbox.yml`, R.renderBlackboxYml());
        put(`infra/etc/nginx/nginx.conf`, R.renderNginxConf(inv.infra));
        for (const [f, v] of Object.entries(R.renderNginxServers(inv.infra, admin))) put(`infra/etc/nginx/conf.d/${f}`, v);
        for (const m of inv.infra.members) {
            put(`${m.ip}/etc/dnsmasq.conf`, R.renderDnsmasqConf(inv.infra, m.ip));
            put(`infra/targets/infra/infra-${m.infra_seq}.yml`, R.renderInfraTargets(inv.infra, m.infra_seq));
        }
        put(`infra/etc/dnsmasq.d/pigsty/default`, R.renderDnsRecords(inv.infra, admin));
    }
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
