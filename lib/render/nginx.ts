// nginx portal on infra nodes (facts §4.1, §11.4): nginx.conf + one server per infra_portal entry.
import { InfraConfig, PortalEntry } from "../config/infra";
import { expandPlaceholders } from "../config/placeholders";
import { header, lines } from "./util";

export interface NginxPaths {
    /** Directory of the per-portal server files (default /etc/nginx/conf.d). */
    confDir?: string;
    /** Directory holding `<name>.crt/.key` (default /etc/nginx/conf.d/cert). */
    certDir?: string;
    /** Directory of the default server's web root (default nginx_home). */
    home?: string;
}

/** /etc/nginx/nginx.conf (Debian user www-data). */
export function renderNginxConf(infra: InfraConfig, paths: NginxPaths = {}): string {
    return header("nginx") + lines(
        "user www-data;",
        "worker_processes auto;",
        "pid /run/nginx.pid;",
        "error_log /var/log/nginx/error.log;",
        "events { worker_connections 4096; }",
        "http {",
        "    include /etc/nginx/mime.types;",
        "    default_type application/octet-stream;",
        "    sendfile on;",
        "    tcp_nopush on;",
        "    keepalive_timeout 65;",
        "    server_tokens off;",
        "    client_max_body_size 0;",
        "    access_log /var/log/nginx/access.log;",
        "    map $http_upgrade $connection_upgrade { default upgrade; '' close; }",
        `    include ${paths.confDir ?? "/etc/nginx/conf.d"}/*.conf;`,
        "}",
    );
}

/** One server block (conf.d/<key>.conf). `home` is the default server. */
export function renderNginxServer(infra: InfraConfig, key: string, entry: PortalEntry, adminIp: string, paths: NginxPaths = {}): string {
    const certDir = paths.certDir ?? "/etc/nginx/conf.d/cert";
    const isHome = key === "home";
    const ssl = infra.nginx_sslmode !== "disable";
    const enforce = infra.nginx_sslmode === "enforce" || entry.enforce_https;
    const names = [entry.domain, ...(entry.domains ?? [])].join(" ");
    const cert = entry.cert ?? `${certDir}/pigsty.crt`, certKey = entry.key ?? `${certDir}/pigsty.key`;
    const body = (): (string | false)[] => {
        if (entry.endpoint) {
            const ep = expandPlaceholders(entry.endpoint, { admin_ip: adminIp }, `infra: infra_portal.${key}.endpoint`);
            return [
                "    location / {",
                `        proxy_pass ${entry.scheme}://${ep}/;`,
                "        proxy_set_header Host $host;",
                "        proxy_set_header X-Real-IP $remote_addr;",
                "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
                "        proxy_set_header X-Forwarded-Proto $scheme;",
                entry.websocket && "        proxy_http_version 1.1;",
                entry.websocket && "        proxy_set_header Upgrade $http_upgrade;",
                entry.websocket && "        proxy_set_header Connection $connection_upgrade;",
                entry.scheme === "https" && "        proxy_ssl_verify off;",
                "    }",
            ];
        }
        return [
            `    root ${entry.path ?? paths.home ?? infra.nginx_home};`,
            "    location / {",
            entry.index ? "        autoindex on;" : "        try_files $uri $uri/ =404;",
            "    }",
        ];
    };
    const server = (https: boolean) => [
        "server {",
        https ? `    listen ${infra.nginx_ssl_port} ssl${isHome ? " default_server" : ""};` : `    listen ${infra.nginx_port}${isHome ? " default_server" : ""};`,
        `    server_name ${names};`,
        entry.log && `    access_log /var/log/nginx/${entry.log};`,
        https && `    ssl_certificate ${cert};`,
        https && `    ssl_certificate_key ${certKey};`,
        https && "    ssl_protocols TLSv1.2 TLSv1.3;",
        ...(https || !enforce ? body() : ["    return 301 https://$host$request_uri;"]),
        entry.config && entry.config.split("\n").map((l) => `    ${l}`).join("\n"),
        "}",
    ];
    return header(`nginx server ${key}: ${entry.domain}`) + lines(server(false), ssl ? [""].concat(server(true).filter((x): x is string => typeof x === "string")) : []);
}

/** Every server file: `<key>.conf` → content, keys sorted. */
export function renderNginxServers(infra: InfraConfig, adminIp: string, paths: NginxPaths = {}): Record<string, string> {
    return Object.fromEntries(Object.keys(infra.infra_portal).sort().map((k) => [`${k}.conf`, renderNginxServer(infra, k, infra.infra_portal[k], adminIp, paths)]));
}
