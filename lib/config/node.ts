// NODE module parameters (Pigsty roles/node, roles/haproxy, roles/node_monitor defaults) plus META
// globals every module reads (admin_ip …). Defaults are Pigsty's unless a doc comment says otherwise.
import { z } from "zod";
import { bool, int, ipv4, ipv4Cidr, port, secret } from "./common";

/** Node tuning profile (tuned profile + sysctl family). */
export const NodeTuneSchema = z.enum(["none", "oltp", "olap", "crit", "tiny"]);
export type NodeTune = z.infer<typeof NodeTuneSchema>;

/** One HAProxy service (`haproxy_services` item) rendered to /etc/haproxy/conf.d/<name>.cfg. */
export const HaproxyServiceSchema = z.object({
    /** Service name, also the conf.d file name and the haproxy `listen` section name. */
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, "must match ^[A-Za-z0-9_.-]+$"),
    /** Port HAProxy binds. */
    port,
    /** Bind address, `*` for all. */
    ip: z.string().default("*"),
    /** `tcp` or `http`. */
    protocol: z.enum(["tcp", "http"]).default("tcp"),
    maxconn: int().default(10000),
    balance: z.enum(["roundrobin", "leastconn", "source", "first"]).default("roundrobin"),
    /** Extra raw haproxy lines inside the listen section (e.g. `option httpchk`). */
    options: z.array(z.string()).default([]),
    /** `default-server` options line. */
    default: z.string().optional(),
    servers: z.array(z.object({
        name: z.string().min(1),
        ip: z.string().min(1),
        port,
        backup: bool.default(false),
        weight: int().optional(),
        options: z.string().default(""),
    })).default([]),
});
export type HaproxyService = z.infer<typeof HaproxyServiceSchema>;

/** Parameters every module shares (Pigsty's META group in roles/infra/defaults). */
export const MetaVarsSchema = z.object({
    /** Pigsty version string (informational). */
    version: z.string().default("v4.5.0"),
    /** IPv4 of the admin node: `${admin_ip}` in hosts records, DNS servers, HBA `admin` alias. */
    admin_ip: ipv4.default("10.10.10.10"),
    /** Mirror region: default | china | europe. */
    region: z.enum(["default", "china", "europe"]).default("default"),
    /** Language of the generated portal (informational). */
    language: z.string().default("en"),
});

/**
 * NODE parameters (per host). Sizing inputs `node_cpu`, `node_mem_mb`, `pg_fs_main_gb` are explicit
 * here: Pigsty probes them with shell facts; we want the tuned values visible in `pulumi preview`.
 */
export const NodeVarsSchema = MetaVarsSchema.extend({
    // ---- identity
    /** Node name (hostname). Derived `<pg_cluster>-<pg_seq>` for PG members when `node_id_from_pg`. */
    nodename: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, "must be a valid hostname").optional(),
    /** Node cluster name; `nodes` means "not set" (derived from pg_cluster when node_id_from_pg). */
    node_cluster: z.string().regex(/^[A-Za-z0-9-]+$/, "must match ^[A-Za-z0-9-]+$").default("nodes"),
    /** Overwrite the hostname with nodename. */
    nodename_overwrite: bool.default(true),
    /** Add nodename to /etc/hosts of other nodes (Pigsty's exchange). */
    nodename_exchange: bool.default(false),
    /** Derive nodename/node_cluster from the PG identity. */
    node_id_from_pg: bool.default(true),

    // ---- sizing inputs (ours; Pigsty probes them)
    /** CPU cores of the node (Pigsty: probed `ansible_processor_vcpus`). Ours: explicit, default 2 (sandbox meta spec). */
    node_cpu: int((n) => n.min(1, "must be >= 1")).default(2),
    /** Memory in MiB (Pigsty: probed). Ours: explicit, default 4096 (sandbox meta spec 2c4g). */
    node_mem_mb: int((n) => n.min(256, "must be >= 256")).default(4096),

    // ---- DNS
    /** Write the static DNS records below into /etc/hosts. */
    node_write_etc_hosts: bool.default(true),
    /** Default /etc/hosts records (`${admin_ip}` expands). */
    node_default_etc_hosts: z.array(z.string()).default(["${admin_ip} i.pigsty"]),
    /** Extra /etc/hosts records, `<ip> <name> ...`. */
    node_etc_hosts: z.array(z.string()).default([]),
    /** How /etc/resolv.conf is handled: add (prepend ours), none (leave it), overwrite. */
    node_dns_method: z.enum(["add", "none", "overwrite"]).default("add"),
    /** Name servers written to resolv.conf (`${admin_ip}` = the infra dnsmasq). */
    node_dns_servers: z.array(z.string()).default(["${admin_ip}"]),
    /** resolv.conf option lines. */
    node_dns_options: z.array(z.string()).default(["options single-request-reopen timeout:1"]),

    // ---- PACKAGE
    /** Repository modules to configure on the node (comma separated). */
    node_repo_modules: z.string().default("local"),
    /** Remove (back up) existing repo files first. */
    node_repo_remove: bool.default(true),
    /** Extra packages to install on every node. */
    node_packages: z.array(z.string()).default(["openssh-server"]),
    /** Default package list (Pigsty: per-distro default). */
    node_default_packages: z.array(z.string()).optional(),
    /** Python venv path created with uv. */
    node_uv_env: z.string().default("/data/venv"),
    /** pip packages installed into node_uv_env. */
    node_pip_packages: z.string().default(""),

    // ---- SEC
    /** SELinux mode (EL only; ignored on Debian). */
    node_selinux_mode: z.enum(["enforcing", "permissive", "disabled"]).default("permissive"),
    /** Firewall: zone (intranet trusted, public ports open), off (disable), none (untouched). */
    node_firewall_mode: z.enum(["zone", "off", "none"]).default("zone"),
    /** Intranet CIDRs: the HBA alias `intra`/`intranet`, and the trusted firewall zone. */
    node_firewall_intranet: z.array(ipv4Cidr).default(["10.0.0.0/8", "192.168.0.0/16", "172.16.0.0/12"]),
    /** Ports opened to the world in zone mode. */
    node_firewall_public_port: z.array(port).default([22, 80, 443]),

    // ---- TUNE
    /** Disable NUMA (kernel cmdline; reboot needed). */
    node_disable_numa: bool.default(false),
    /** Turn swap off. */
    node_disable_swap: bool.default(false),
    /** Keep DNS settings across reboots. */
    node_static_network: bool.default(true),
    /** Enable disk read-ahead tuning for HDD. */
    node_disk_prefetch: bool.default(false),
    /** Kernel modules loaded now and at boot (/etc/modules-load.d). */
    node_kernel_modules: z.array(z.string()).default(["softdog", "ip_vs", "ip_vs_rr", "ip_vs_wrr", "ip_vs_sh"]),
    /** 2MiB huge pages to reserve (wins over ratio); 0 = none. */
    node_hugepage_count: int((n) => n.min(0)).default(0),
    /** Fraction of memory for huge pages (0-0.4); 0 = none. */
    node_hugepage_ratio: z.number().min(0).max(0.4, "must be <= 0.4").default(0),
    /** > 0 sets vm.overcommit_memory=2 with this ratio. */
    node_overcommit_ratio: int((n) => n.min(0)).default(0),
    /** Tuned profile: none | oltp | olap | crit | tiny. */
    node_tune: NodeTuneSchema.default("oltp"),
    /** Directory of tuned profiles. */
    node_tuned_profile_dir: z.string().default("/etc/tuned"),
    /** Extra kernel parameters (win over the profile's). */
    node_sysctl_params: z.record(z.string(), z.union([z.string(), z.number()])).default({ "fs.nr_open": 8388608 }),

    // ---- ADMIN
    /** Main data directory of the node. */
    node_data: z.string().default("/data"),
    /** Create the admin user (node_admin_username). */
    node_admin_enabled: bool.default(true),
    /** uid/gid of the admin user. */
    node_admin_uid: int().default(88),
    /** Admin OS user with sudo. */
    node_admin_username: z.string().default("dba"),
    /** Admin sudo: all (password), nopass, limit. */
    node_admin_sudo: z.enum(["all", "nopass", "limit"]).default("nopass"),
    /** Exchange the admin's ssh keys between nodes. */
    node_admin_ssh_exchange: bool.default(true),
    /** Add the current user's public key to the admin user. */
    node_admin_pk_current: bool.default(true),
    /** Extra public keys for the admin user. */
    node_admin_pk_list: z.array(z.string()).default([]),
    /** Shell aliases `{name: command}` in /etc/profile.d. */
    node_aliases: z.record(z.string(), z.string()).default({}),

    // ---- TIME
    /** Timezone; empty = unchanged. */
    node_timezone: z.string().default(""),
    /** Configure chrony. */
    node_ntp_enabled: bool.default(true),
    /** chrony server/pool lines (`${admin_ip}` expands). */
    node_ntp_servers: z.array(z.string()).default(["pool pool.ntp.org iburst"]),
    /** Overwrite /etc/crontab (else append). */
    node_crontab_overwrite: bool.default(true),
    /** Lines for /etc/crontab (`m h dom mon dow user command`). */
    node_crontab: z.array(z.string()).default([]),

    // ---- VIP (keepalived)
    /** Bind a keepalived L2 VIP on this node cluster. */
    vip_enabled: bool.default(false),
    /** The node VIP (IPv4, no mask). Required when vip_enabled. */
    vip_address: ipv4.optional(),
    /** VRRP router id, 1-254, unique in the L2 segment. Required when vip_enabled. */
    vip_vrid: int().optional(),
    /** Initial VRRP state: master or backup. */
    vip_role: z.preprocess((v) => (typeof v === "string" ? v.toLowerCase() : v), z.enum(["master", "backup"])).default("backup"),
    /** Let a higher-priority node take the VIP back. */
    vip_preempt: bool.default(false),
    /** NIC for the VIP; `auto` = the one holding the node IP. */
    vip_interface: z.string().default("auto"),
    /** Suffix of the node-cluster VIP DNS name. */
    vip_dns_suffix: z.string().default(""),
    /** keepalived auth (VRRP PASS: at most 8 characters); `''` means `<node_cluster>-<vip_vrid>` cut to 8 (Pigsty, cut by keepalived). */
    vip_auth_pass: secret.max(8, "VRRP passwords are at most 8 characters").default(""),
    /** keepalived exporter port. */
    vip_exporter_port: port.default(9650),

    // ---- HAPROXY
    /** Run HAProxy on the node. */
    haproxy_enabled: bool.default(true),
    /** Remove existing conf.d files first. */
    haproxy_clean: bool.default(false),
    /** Reload HAProxy after config changes. */
    haproxy_reload: bool.default(true),
    /** Basic auth on the stats page. */
    haproxy_auth_enabled: bool.default(true),
    /** Stats page user. */
    haproxy_admin_username: z.string().default("admin"),
    /** Stats page password. Secret. */
    haproxy_admin_password: secret.default("pigsty"),
    /** Stats page and Prometheus /metrics port. */
    haproxy_exporter_port: port.default(9101),
    /** Client-side timeout (long, for pooled DB connections). */
    haproxy_client_timeout: z.string().default("24h"),
    /** Server-side timeout. */
    haproxy_server_timeout: z.string().default("24h"),
    /** Extra HAProxy services of this node (conf.d/<name>.cfg). */
    haproxy_services: z.array(HaproxyServiceSchema).default([]),

    // ---- EXPORTER / VECTOR
    /** Run node_exporter. */
    node_exporter_enabled: bool.default(true),
    /** node_exporter port. */
    node_exporter_port: port.default(9100),
    /** node_exporter flags. */
    node_exporter_options: z.string().default("--no-collector.softnet --no-collector.nvme --collector.tcpstat --collector.processes"),
    /** Run the Vector log agent (not packaged in Debian; not rendered yet). */
    vector_enabled: bool.default(true),
    /** Remove Vector data first. */
    vector_clean: bool.default(false),
    /** Vector data dir. */
    vector_data: z.string().default("/data/vector"),
    /** Vector metrics port. */
    vector_port: port.default(9598),
    /** Where Vector starts reading logs: beginning or end. */
    vector_read_from: z.enum(["beginning", "end"]).default("beginning"),
    /** Log sink groups (infra). */
    vector_log_endpoint: z.array(z.string()).default(["infra"]),
});
export type NodeVars = z.infer<typeof NodeVarsSchema>;
/** Input shape (what a user writes; every defaulted field optional). */
export type NodeVarsInput = z.input<typeof NodeVarsSchema>;

/** A validated node: its address plus its merged, defaulted parameters and derived identity. */
export interface NodeConfig extends NodeVars {
    /** Inventory hostname = node IPv4 (Pigsty keys hosts by IP). */
    ip: string;
    /** Resolved nodename (explicit, else `<pg_cluster>-<pg_seq>`, else the IP with dots → dashes). */
    nodename: string;
}
