// NODE files: /etc/hosts block, resolv.conf, tuned profile, sysctl, chrony, limits, keepalived.
import { expandPlaceholders } from "../config/placeholders";
import { NodeConfig } from "../config/node";
import { header, lines } from "./util";

const TAG = "# pigsty dns";

/** Records of the node's /etc/hosts block (each line tagged so re-runs replace only our lines). */
export function renderEtcHostsBlock(node: NodeConfig): string {
    const records = [...node.node_default_etc_hosts, ...node.node_etc_hosts]
        .map((r, i) => expandPlaceholders(r, { admin_ip: node.admin_ip }, `${node.ip}: node_etc_hosts[${i}]`));
    return records.map((r) => `${r} ${TAG}`).join("\n") + (records.length ? "\n" : "");
}

/** Merges our block into an existing /etc/hosts: drops old tagged lines, appends the new block. */
export function mergeEtcHosts(existing: string, block: string): string {
    const kept = existing.split("\n").filter((l) => !l.endsWith(TAG)).join("\n").replace(/\n*$/, "\n");
    return kept + block;
}

/** /etc/resolv.conf for node_dns_method overwrite/add (`previous` = old nameservers kept in add mode). */
export function renderResolvConf(node: NodeConfig, previous: string[] = []): string {
    const servers = node.node_dns_servers.map((s, i) => expandPlaceholders(s, { admin_ip: node.admin_ip }, `${node.ip}: node_dns_servers[${i}]`));
    const old = node.node_dns_method === "add" ? previous.filter((p) => !servers.includes(p)).slice(0, 3) : [];
    return header("resolver") + lines(node.node_dns_options, [...servers, ...old].map((s) => `nameserver ${s}`));
}

interface TuneRow {
    include?: string; swappiness: number; dirtyBg: number; dirty: number; fileMax: number; rwmem: number;
    syncookies: number; twReuse: number; keepalive: [number, number, number]; finTimeout: number; somaxconn: number; conntrack: number;
}
/** Pigsty's tuned profile table (facts §3.3). */
export const TUNED_PROFILES: Record<"oltp" | "olap" | "crit" | "tiny", TuneRow> = {
    oltp: { include: "network-latency", swappiness: 1, dirtyBg: 3, dirty: 15, fileMax: 16777216, rwmem: 4194304, syncookies: 0, twReuse: 1, keepalive: [60, 20, 3], finTimeout: 15, somaxconn: 65535, conntrack: 524288 },
    olap: { include: "network-throughput", swappiness: 1, dirtyBg: 10, dirty: 80, fileMax: 134217728, rwmem: 16777216, syncookies: 1, twReuse: 0, keepalive: [300, 60, 5], finTimeout: 60, somaxconn: 65535, conntrack: 524288 },
    crit: { include: "network-latency", swappiness: 1, dirtyBg: 1, dirty: 5, fileMax: 16777216, rwmem: 4194304, syncookies: 1, twReuse: 1, keepalive: [60, 20, 3], finTimeout: 30, somaxconn: 65535, conntrack: 524288 },
    tiny: { swappiness: 10, dirtyBg: 5, dirty: 30, fileMax: 16777216, rwmem: 4194304, syncookies: 0, twReuse: 1, keepalive: [60, 20, 3], finTimeout: 30, somaxconn: 8192, conntrack: 65536 },
};

/** Kernel parameters of a node: tuned profile + shm from memory + overcommit + node_sysctl_params (wins). */
export function nodeSysctl(node: NodeConfig): Record<string, string | number> {
    const kind = node.node_tune === "none" ? "oltp" : node.node_tune;
    const t = TUNED_PROFILES[kind];
    const memBytes = node.node_mem_mb * 1024 * 1024;
    const shmmax = Math.floor(memBytes * 0.75);
    const over = node.node_overcommit_ratio > 0 ? { mode: 2, ratio: node.node_overcommit_ratio } : { mode: 0, ratio: kind === "tiny" ? 200 : 100 };
    const out: Record<string, string | number> = {
        "fs.file-max": t.fileMax,
        "fs.nr_open": 8388608,
        "kernel.numa_balancing": 0,
        "kernel.shmall": Math.floor(shmmax / 4096),
        "kernel.shmmax": shmmax,
        "net.core.rmem_max": t.rwmem,
        "net.core.somaxconn": t.somaxconn,
        "net.core.wmem_max": t.rwmem,
        "net.ipv4.ip_forward": 1,
        "net.ipv4.ip_nonlocal_bind": 1,
        "net.ipv4.tcp_fin_timeout": t.finTimeout,
        "net.ipv4.tcp_keepalive_intvl": t.keepalive[1],
        "net.ipv4.tcp_keepalive_probes": t.keepalive[2],
        "net.ipv4.tcp_keepalive_time": t.keepalive[0],
        "net.ipv4.tcp_syncookies": t.syncookies,
        "net.ipv4.tcp_tw_reuse": t.twReuse,
        "net.netfilter.nf_conntrack_max": t.conntrack,
        "vm.dirty_background_ratio": t.dirtyBg,
        "vm.dirty_ratio": t.dirty,
        "vm.overcommit_memory": over.mode,
        "vm.overcommit_ratio": over.ratio,
        "vm.swappiness": t.swappiness,
    };
    if (node.node_hugepage_count > 0) out["vm.nr_hugepages"] = node.node_hugepage_count;
    else if (node.node_hugepage_ratio > 0) out["vm.nr_hugepages"] = Math.floor((memBytes * node.node_hugepage_ratio) / (2 * 1024 * 1024));
    Object.assign(out, node.node_sysctl_params);
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** /etc/tuned/<node_tune>/tuned.conf. */
export function renderTunedProfile(node: NodeConfig): string {
    const kind = node.node_tune === "none" ? "oltp" : node.node_tune;
    const t = TUNED_PROFILES[kind];
    return header(`tuned profile ${kind}`) + lines(
        "[main]",
        `summary=pigsty ${kind} profile`,
        t.include && `include=${t.include}`,
        "",
        kind !== "tiny" && "[cpu]",
        kind !== "tiny" && "force_latency=1",
        kind !== "tiny" && "governor=performance",
        kind !== "tiny" && "energy_perf_bias=performance",
        kind !== "tiny" && "min_perf_pct=100",
        kind !== "tiny" && "",
        "[vm]",
        "transparent_hugepages=never",
        "",
        "[disk]",
        "devices=!dm-*, !sr*, !loop*",
        "elevator=none",
        "",
        "[sysctl]",
        Object.entries(nodeSysctl(node)).map(([k, v]) => `${k}=${v}`),
    );
}

/** /etc/sysctl.d/99-pigsty.conf: the same kernel parameters for hosts without tuned. */
export function renderSysctlConf(node: NodeConfig): string {
    return header(`kernel parameters (node_tune ${node.node_tune})`) + lines(Object.entries(nodeSysctl(node)).map(([k, v]) => `${k} = ${v}`));
}

/** /etc/chrony/chrony.conf (Debian path). */
export function renderChronyConf(node: NodeConfig): string {
    const servers = node.node_ntp_servers.map((s, i) => expandPlaceholders(s, { admin_ip: node.admin_ip }, `${node.ip}: node_ntp_servers[${i}]`));
    return header("chrony") + lines(
        servers,
        "driftfile /var/lib/chrony/chrony.drift",
        "makestep 1.0 3",
        "rtcsync",
        "logdir /var/log/chrony",
        ...node.node_firewall_intranet.map((c) => `allow ${c}`),
    );
}

/** /etc/security/limits.d/limits.conf (nofile/nproc 1048576). */
export function renderLimitsConf(): string {
    return header("resource limits") + lines(
        "*        soft    nofile    1048576", "*        hard    nofile    1048576",
        "*        soft    nproc     1048576", "*        hard    nproc     1048576",
        "*        soft    memlock   unlimited", "*        hard    memlock   unlimited",
    );
}

/**
 * /etc/keepalived/keepalived.conf for a node VIP: vrrp_instance `<node_cluster>`, priority 128
 * (master) / 100 (backup), nopreempt unless vip_preempt, unicast peers = the other nodes with the
 * same vip_address (`peers`). `iface` is the NIC holding the node IP (components detect it).
 */
export function renderKeepalivedConf(node: NodeConfig, peers: string[], iface: string): string {
    // VRRP PASS authentication uses at most 8 characters; keepalived truncates (and fails its config test).
    const pass = node.vip_auth_pass || `${node.node_cluster}-${node.vip_vrid}`.slice(0, 8);
    return header(`keepalived VIP ${node.vip_address} of ${node.node_cluster}`) + lines(
        "global_defs {",
        `    router_id ${node.nodename}`,
        "    script_user root",
        "    enable_script_security",
        "}",
        `vrrp_instance ${node.node_cluster} {`,
        `    state ${node.vip_role === "master" ? "MASTER" : "BACKUP"}`,
        `    interface ${iface}`,
        `    virtual_router_id ${node.vip_vrid}`,
        `    priority ${node.vip_role === "master" ? 128 : 100}`,
        !node.vip_preempt && "    nopreempt",
        "    advert_int 1",
        "    authentication {",
        "        auth_type PASS",
        `        auth_pass ${pass}`,
        "    }",
        `    unicast_src_ip ${node.ip}`,
        "    unicast_peer {",
        [...peers].filter((p) => p !== node.ip).sort().map((p) => `        ${p}`),
        "    }",
        "    virtual_ipaddress {",
        `        ${node.vip_address}`,
        "    }",
        "}",
    );
}
