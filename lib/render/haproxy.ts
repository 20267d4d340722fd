// HAProxy: /etc/haproxy/haproxy.cfg (global, defaults, stats/metrics listener) and one
// /etc/haproxy/conf.d/<name>.cfg per service — node haproxy_services and PostgreSQL services.
import { NodeConfig, HaproxyService } from "../config/node";
import { PgClusterConfig } from "../config/pgsql";
import { ResolvedService, resolvePgServices, rtoPlan } from "../config/identity";
import { header, lines } from "./util";

/** /etc/haproxy/haproxy.cfg of a node. */
export function renderHaproxyCfg(node: NodeConfig): string {
    return header(`haproxy of ${node.nodename}`) + lines(
        "global",
        // no `daemon`/`pidfile`: Debian's unit runs haproxy -Ws (master-worker, systemd notify) with -p
        "    user haproxy",
        "    group haproxy",
        `    node ${node.nodename}`,
        // global maxconn is left to haproxy: it derives it from the file limit (LimitNOFILE=1048576
        // from our drop-in on real hosts). Pigsty's fixed 65535 needs >131k descriptors and makes
        // haproxy refuse to start where the hard limit is lower (containers, our lab: 20000).
        "    stats socket /run/haproxy/admin.sock mode 660 level admin expose-fd listeners",
        "    stats timeout 30s",
        "",
        "defaults",
        "    log global",
        "    mode tcp",
        "    retries 3",
        "    timeout queue 3s",
        "    timeout connect 3s",
        `    timeout client ${node.haproxy_client_timeout}`,
        `    timeout server ${node.haproxy_server_timeout}`,
        "    timeout check 3s",
        "",
        "# stats page /haproxy/<nodename>/ and prometheus metrics /metrics",
        "listen stats",
        `    bind *:${node.haproxy_exporter_port}`,
        "    mode http",
        "    stats enable",
        "    stats refresh 3s",
        `    stats uri /haproxy/${node.nodename}/`,
        node.haproxy_auth_enabled && `    stats auth ${node.haproxy_admin_username}:${node.haproxy_admin_password}`,
        "    stats admin if TRUE",
        "    http-request use-service prometheus-exporter if { path /metrics }",
    );
}

/**
 * /etc/systemd/system/haproxy.service.d/pigsty.conf: file limit for `maxconn 65535` (haproxy needs
 * about 2 descriptors per connection and refuses to start below that).
 */
export function renderHaproxyDropIn(): string {
    return header("haproxy.service limits") + lines("[Service]", "LimitNOFILE=1048576");
}

/** /etc/default/haproxy: makes Debian's haproxy.service load conf.d too (Pigsty passes `-f conf.d`). */
export function renderHaproxyDefault(): string {
    return header("haproxy service environment") + lines('CONFIG="/etc/haproxy/haproxy.cfg"', 'EXTRAOPTS="-f /etc/haproxy/conf.d"');
}

/** /etc/haproxy/conf.d/<name>.cfg for a node `haproxy_services` entry. */
export function renderHaproxyService(svc: HaproxyService): string {
    return header(`haproxy service ${svc.name}`) + lines(
        `listen ${svc.name}`,
        `    bind ${svc.ip}:${svc.port}`,
        `    mode ${svc.protocol}`,
        `    maxconn ${svc.maxconn}`,
        `    balance ${svc.balance}`,
        svc.options.map((o) => `    ${o}`),
        svc.default !== undefined && `    default-server ${svc.default}`,
        svc.servers.map((s) => `    server ${s.name} ${s.ip}:${s.port}${s.options ? ` ${s.options}` : ""}${s.weight !== undefined ? ` weight ${s.weight}` : ""}${s.backup ? " backup" : ""}`),
    );
}

/** HAProxy times take integers: `1.5s` (Pigsty's safe plan) → `1500ms`; other values unchanged. */
export function haproxyTime(t: string): string {
    const m = /^(\d+)\.(\d+)s$/.exec(t);
    return m ? `${Math.round(Number(`${m[1]}.${m[2]}`) * 1000)}ms` : t;
}

/** conf.d of one resolved PostgreSQL service (`<cls>-<name>.cfg`), health-checked via Patroni REST. */
export function renderPgServiceCfg(cluster: PgClusterConfig, svc: ResolvedService): string {
    const r = rtoPlan(cluster.pg_rto);
    const ssl = cluster.patroni_ssl_enabled ? " check-ssl ca-file /pg/cert/ca.crt" : "";
    return header(`postgres service ${svc.id}: port ${svc.port} -> ${svc.destPort}, check ${svc.check}`) + lines(
        `listen ${svc.id}`,
        `    bind ${svc.ip}:${svc.port}`,
        "    mode tcp",
        `    maxconn ${svc.maxconn}`,
        `    balance ${svc.balance}`,
        "    option httpchk",
        "    option http-keep-alive",
        `    http-check send meth OPTIONS uri ${svc.check}`,
        "    http-check expect status 200",
        svc.options.map((o) => `    ${o}`),
        `    default-server inter ${haproxyTime(r.inter)} fastinter ${haproxyTime(r.fastinter)} downinter ${haproxyTime(r.downinter)} rise ${r.rise} fall ${r.fall} on-marked-down shutdown-sessions slowstart 30s maxconn 3000 maxqueue 128 weight 100`,
        svc.servers.map((s) => `    server ${s.name} ${s.ip}:${s.port}${ssl} check port ${cluster.patroni_port} weight ${s.weight}${s.backup ? " backup" : ""}`),
    );
}

/** All conf.d files of a PG cluster's services: file name → content (same on every member). */
export function renderPgServices(cluster: PgClusterConfig): Record<string, string> {
    return Object.fromEntries(resolvePgServices(cluster).map((s) => [`${s.id}.cfg`, renderPgServiceCfg(cluster, s)]));
}
