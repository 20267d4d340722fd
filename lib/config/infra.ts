// INFRA module parameters (Pigsty roles/infra defaults). Pigsty 4 uses the Victoria stack; Debian 12
// ships Prometheus/Alertmanager/blackbox, which is what our renderers target (see render/monitor.ts).
import { z } from "zod";
import { bool, int, port, secret } from "./common";

/** One `infra_portal` entry (nginx server). */
export const PortalEntrySchema = z.object({
    /** Server name (required). */
    domain: z.string().min(1),
    /** `host:port` upstream (reverse proxy). May contain `${admin_ip}`. */
    endpoint: z.string().optional(),
    /** Static directory served at `/`. */
    path: z.string().optional(),
    /** Upstream scheme. */
    scheme: z.enum(["http", "https"]).default("http"),
    websocket: bool.default(false),
    certbot: z.string().optional(),
    cert: z.string().optional(),
    key: z.string().optional(),
    /** Extra raw nginx lines inside the server block. */
    config: z.string().optional(),
    enforce_https: bool.default(false),
    domains: z.array(z.string()).optional(),
    log: z.string().optional(),
    index: bool.default(false),
    auth: bool.default(false),
    realm: z.string().optional(),
});
export type PortalEntry = z.infer<typeof PortalEntrySchema>;

export const InfraVarsSchema = z.object({
    /** nginx servers `{key: {domain, endpoint | path, ...}}`; `home` is the default server. */
    infra_portal: z.record(z.string(), PortalEntrySchema).prefault({ home: { domain: "i.pigsty" } }),
    /** Infra data directory (/infra links here). */
    infra_data: z.string().default("/data/infra"),
    /** Run the nginx portal. */
    nginx_enabled: bool.default(true),
    /** Remove existing nginx config first. */
    nginx_clean: bool.default(false),
    /** Run nginx_exporter. */
    nginx_exporter_enabled: bool.default(true),
    /** nginx_exporter port. */
    nginx_exporter_port: port.default(9113),
    /** disable (http), enable (http + https), enforce (redirect to https). */
    nginx_sslmode: z.enum(["disable", "enable", "enforce"]).default("enable"),
    /** Validity of the self-signed portal certificate. */
    nginx_cert_validity: z.string().default("397d"),
    /** Web root of the home server. */
    nginx_home: z.string().default("/www"),
    /** nginx data dir. */
    nginx_data: z.string().default("/data/nginx"),
    /** Basic-auth users for the portal (`{user: password}`). Secret values. */
    nginx_users: z.record(z.string(), secret).default({}),
    /** HTTP port. */
    nginx_port: port.default(80),
    /** HTTPS port. */
    nginx_ssl_port: port.default(443),
    /** Request Let's Encrypt certificates with certbot. */
    certbot_sign: bool.default(false),
    /** certbot account email. */
    certbot_email: z.string().default("your@email.com"),
    /** Extra certbot options. */
    certbot_options: z.string().default(""),
    /** Run dnsmasq on infra nodes. */
    dns_enabled: bool.default(true),
    /** dnsmasq port. */
    dns_port: port.default(53),
    /** Static DNS records `<ip> <names>` (`${admin_ip}` expands). */
    dns_records: z.array(z.string()).default([
        "${admin_ip} i.pigsty",
        "${admin_ip} m.pigsty supa.pigsty api.pigsty adm.pigsty cli.pigsty ddl.pigsty",
    ]),
    /** Run the metrics store (Pigsty: VictoriaMetrics; Debian: Prometheus). */
    vmetrics_enabled: bool.default(true),
    /** Metrics store port. */
    vmetrics_port: port.default(8428),
    /** Scrape interval. */
    vmetrics_scrape_interval: z.string().default("10s"),
    /** Scrape timeout. */
    vmetrics_scrape_timeout: z.string().default("8s"),
    /** Run VictoriaLogs (not in Debian; not rendered). */
    vlogs_enabled: bool.default(true),
    /** VictoriaLogs port. */
    vlogs_port: port.default(9428),
    /** Run VictoriaTraces (not in Debian; not rendered). */
    vtraces_enabled: bool.default(true),
    /** VictoriaTraces port. */
    vtraces_port: port.default(10428),
    /** Run vmalert (Debian: Prometheus evaluates rules itself). */
    vmalert_enabled: bool.default(true),
    /** vmalert port. */
    vmalert_port: port.default(8880),
    /** Run blackbox_exporter (ICMP ping of nodes). */
    blackbox_enabled: bool.default(true),
    /** blackbox_exporter port. */
    blackbox_port: port.default(9115),
    /** Run Alertmanager. */
    alertmanager_enabled: bool.default(true),
    /** Alertmanager port. */
    alertmanager_port: port.default(9059),
    /** Metrics path of exporters. */
    exporter_metrics_path: z.string().default("/metrics"),
    /** Run Grafana (not in Debian 12; not rendered). */
    grafana_enabled: bool.default(true),
    /** Grafana port. */
    grafana_port: port.default(3000),
    /** Remove Grafana data first. */
    grafana_clean: bool.default(false),
    /** Grafana admin user. */
    grafana_admin_username: z.string().default("admin"),
    /** Grafana admin password. Secret. */
    grafana_admin_password: secret.default("pigsty"),
    /** Trust X-WEBAUTH-USER from nginx. */
    grafana_auth_proxy: bool.default(false),
    /** External PostgreSQL backend URL for Grafana; empty = sqlite. */
    grafana_pgurl: z.string().default(""),
    /** Password of the read-only Meta datasource user. Secret. */
    grafana_view_password: secret.default("DBUser.Viewer"),
});
export type InfraVars = z.infer<typeof InfraVarsSchema>;
export type InfraVarsInput = z.input<typeof InfraVarsSchema>;

export const InfraMemberSchema = z.object({
    ip: z.string(),
    /** Required integer ≥ 0. */
    infra_seq: int((n) => n.min(0, "must be an integer >= 0")),
});
export type InfraMember = z.infer<typeof InfraMemberSchema>;

export interface InfraConfig extends InfraVars {
    /** Infra nodes sorted by infra_seq. */
    members: InfraMember[];
}
