import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../lib/config/common";
import { NodeConfig, NodeVarsInput } from "../lib/config/node";
import { checkNode } from "../lib/config/validate";
import {
  renderAdminSudoers,
  renderChronyConf,
  renderEtcHostsBlock,
  renderHaproxyCfg,
  renderHaproxyDefault,
  renderHaproxyDropIn,
  renderHaproxyService,
  renderKeepalivedConf,
  renderLimitsConf,
  renderNodeExporterDefault,
  renderResolvConf,
  renderSysctlConf,
} from "../lib/render";
import { shellQuote } from "../lib/ssh/exec";
import { ConnectionInput } from "../providers";
import { HostSteps } from "./host";
import { renderSecretFile, splitSecrets, WithSecretInputs } from "./secrets";

/** NODE parameters that hold credentials: accepted as `pulumi.Input<string>` secrets. */
export const NODE_SECRETS = ["haproxy_admin_password", "vip_auth_pass"] as const;

export interface NodeArgs {
  /** How to reach the host over SSH. */
  connection: ConnectionInput;
  /** The node's IPv4 address (Pigsty keys hosts by IP). */
  ip: string;
  /**
   * NODE parameters with Pigsty's names and defaults (`nodename`, `node_etc_hosts`, `node_tune`,
   * `haproxy_services`, `vip_enabled` …). Credentials may be Pulumi secrets.
   */
  vars?: WithSecretInputs<NodeVarsInput, (typeof NODE_SECRETS)[number]>;
  /** For `vip_enabled`: the IPs of the other nodes sharing this node's `vip_address` (unicast peers). */
  vipPeers?: string[];
}

/** Debian packages of the NODE module's own steps (checked, installed only when missing). */
export const NODE_DEBIAN_PACKAGES = ["sudo", "chrony", "haproxy", "prometheus-node-exporter", "keepalived"];

/**
 * Pigsty's NODE module on one host: identity, /etc/hosts, packages, admin user, limits, kernel
 * parameters, time, HAProxy (stats on 9101), node_exporter and an optional keepalived VIP.
 *
 * Every step is its own resource, idempotent, ordered by explicit dependencies; services restart
 * only when their own files change, so an unchanged `up` touches nothing.
 */
export class Node extends pulumi.ComponentResource {
  /** The validated, defaulted configuration (secrets stood in by `********`). */
  public readonly config: NodeConfig;
  public readonly nodename: pulumi.Output<string>;
  public readonly ip: pulumi.Output<string>;
  /** The steps on this host (for components that build on the node, e.g. HAProxy reloads). */
  public readonly host: HostSteps;
  /** Resolves when the node is ready for the modules on top of it. */
  public readonly ready: pulumi.Resource[];
  /** The HAProxy service (PgCluster adds conf.d files and reloads it). */
  public readonly haproxy?: pulumi.Resource;

  constructor(name: string, args: NodeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pigsty:node:Node", name, {}, opts);
    const { plain, secrets } = splitSecrets({ ...(args.vars ?? {}) }, NODE_SECRETS);
    const checked = checkNode(args.ip, plain, `node ${args.ip}`);
    if (!checked.value) throw new ConfigError(checked.issues);
    if (checked.issues.length) throw new ConfigError(checked.issues);
    const node = checked.value;
    this.config = node;
    const h = new HostSteps(this, name, args.connection);
    this.host = h;
    const ready: pulumi.Resource[] = [];

    // 1. identity: only a nodename the user gave replaces the hostname (a derived one is the IP)
    if (node.nodename_overwrite && args.vars?.nodename) {
      const n = shellQuote(node.nodename);
      ready.push(
        h.command("hostname", {
          create: `hostnamectl set-hostname ${n} 2>/dev/null || { echo ${n} > /etc/hostname; hostname ${n}; }`,
          secretOutputs: false,
        }),
      );
    }

    // 2. /etc/hosts: our tagged lines replaced in place (the file may be a bind mount: keep its inode)
    if (node.node_write_etc_hosts) {
      const block = renderEtcHostsBlock(node);
      ready.push(
        h.command("etc-hosts", {
          create: [
            "set -e",
            "tmp=$(mktemp)",
            "grep -v '# pigsty dns$' /etc/hosts > \"$tmp\" || true",
            `cat >> "$tmp" <<'PIGSTY_EOF'\n${block}PIGSTY_EOF`,
            'cat "$tmp" > /etc/hosts && rm -f "$tmp"',
          ].join("\n"),
          delete: "sed -i '/# pigsty dns$/d' /etc/hosts",
          secretOutputs: false,
        }),
      );
    }
    if (node.node_dns_method !== "none") {
      ready.push(
        h.command("resolv-conf", {
          create: [
            "set -e",
            // add mode keeps up to 3 of the existing nameservers (renderer filters and limits them)
            `cat > /etc/resolv.conf.pigsty <<'PIGSTY_EOF'\n${renderResolvConf(node)}PIGSTY_EOF`,
            node.node_dns_method === "add"
              ? "grep '^nameserver' /etc/resolv.conf | while read -r l; do grep -qxF \"$l\" /etc/resolv.conf.pigsty || echo \"$l\"; done | head -3 >> /etc/resolv.conf.pigsty || true"
              : ":",
            "cat /etc/resolv.conf.pigsty > /etc/resolv.conf && rm -f /etc/resolv.conf.pigsty",
          ].join("\n"),
          secretOutputs: false,
        }),
      );
    }

    // 3. packages (checked first: offline hosts work when they are already there)
    const wanted = [...new Set([...node.node_packages, ...NODE_DEBIAN_PACKAGES.filter((p) => p !== "keepalived" || node.vip_enabled)])];
    const pkgs = h.packages("packages", wanted);
    ready.push(pkgs);

    // 4. admin user, sudo, limits
    if (node.node_admin_enabled) {
      const u = shellQuote(node.node_admin_username);
      const admin = h.command(
        "admin-user",
        {
          create: [
            `getent group ${u} >/dev/null || groupadd -g ${node.node_admin_uid} ${u} 2>/dev/null || groupadd ${u}`,
            `id -u ${u} >/dev/null 2>&1 || useradd -m -s /bin/bash -u ${node.node_admin_uid} -g ${u} ${u} 2>/dev/null || useradd -m -s /bin/bash -g ${u} ${u}`,
          ].join("\n"),
          secretOutputs: false,
        },
        [pkgs],
      );
      ready.push(h.file("sudoers", { path: `/etc/sudoers.d/${node.node_admin_username}`, content: renderAdminSudoers(node), mode: "0440" }, [admin]));
    }
    ready.push(h.file("limits", { path: "/etc/security/limits.d/limits.conf", content: renderLimitsConf(), mode: "0644" }));

    // 5. kernel parameters: sysctl.d (tuned is not on Debian hosts by default); applied best effort,
    //    since containers and some VMs refuse parts of /proc/sys — those are reported, not fatal.
    const sysctl = h.file("sysctl", { path: "/etc/sysctl.d/99-pigsty.conf", content: renderSysctlConf(node), mode: "0644" });
    ready.push(
      h.command(
        "sysctl-apply",
        {
          create: pulumi.interpolate`# config ${sysctl.sha256}\nout=$(sysctl -p /etc/sysctl.d/99-pigsty.conf 2>&1 >/dev/null) || echo "warning: some kernel parameters were not applied: $out" >&2\ntrue`,
          secretOutputs: false,
        },
        [sysctl],
      ),
    );

    // 6. time
    if (node.node_timezone) {
      const tz = shellQuote(node.node_timezone);
      ready.push(
        h.command("timezone", {
          create: `test -e /usr/share/zoneinfo/${node.node_timezone.replace(/'/g, "")} || { echo "unknown node_timezone ${tz}" >&2; exit 1; }\ntimedatectl set-timezone ${tz} 2>/dev/null || ln -sf /usr/share/zoneinfo/${tz} /etc/localtime`,
          secretOutputs: false,
        }),
      );
    }
    if (node.node_ntp_enabled) {
      const chrony = h.file("chrony-conf", { path: "/etc/chrony/chrony.conf", content: renderChronyConf(node), mode: "0644" }, [pkgs]);
      ready.push(h.service("chrony", { unit: "chrony.service", restartOn: [chrony.sha256] }, [chrony]));
    }

    // 7. HAProxy: base config (with stats credentials: secret), conf.d services, checked before any reload
    if (node.haproxy_enabled) {
      const cfg = h.file(
        "haproxy-cfg",
        { path: "/etc/haproxy/haproxy.cfg", content: renderSecretFile(node, secrets, renderHaproxyCfg), mode: "0600" },
        [pkgs],
      );
      const env = h.file("haproxy-default", { path: "/etc/default/haproxy", content: renderHaproxyDefault(), mode: "0644" }, [pkgs]);
      const dropIn = h.file("haproxy-dropin", { path: "/etc/systemd/system/haproxy.service.d/pigsty.conf", content: renderHaproxyDropIn(), mode: "0644" }, [pkgs]);
      const confd = h.command("haproxy-confd", { create: "install -d -m 0755 /etc/haproxy/conf.d", secretOutputs: false }, [pkgs]);
      const services = node.haproxy_services.map((s) =>
        h.file(`haproxy-svc-${s.name}`, { path: `/etc/haproxy/conf.d/${s.name}.cfg`, content: renderHaproxyService(s), mode: "0644" }, [confd]),
      );
      const shas = [cfg.sha256, ...services.map((s) => s.sha256)];
      const check = h.command(
        "haproxy-check",
        {
          // re-runs whenever a config file changes; a bad config fails here, before any reload
          create: pulumi.interpolate`# ${pulumi.all(shas).apply((s) => s.join(" "))}\nhaproxy -c -q -f /etc/haproxy/haproxy.cfg -f /etc/haproxy/conf.d`,
          secretOutputs: false,
        },
        [cfg, env, dropIn, confd, ...services],
      );
      const svc = h.service(
        "haproxy",
        {
          unit: "haproxy.service",
          daemonReload: true,
          restartOn: [env.sha256, dropIn.sha256],
          reloadOn: node.haproxy_reload ? shas : [],
          healthCheck: `ss -ltn | grep -q ':${node.haproxy_exporter_port} '`,
        },
        [check],
      );
      this.haproxy = svc;
      ready.push(svc);
    }

    // 8. node_exporter (Debian's prometheus-node-exporter reads its flags from /etc/default)
    if (node.node_exporter_enabled) {
      const env = h.file(
        "node-exporter-default",
        {
          path: "/etc/default/prometheus-node-exporter",
          content: renderNodeExporterDefault(node),
          mode: "0644",
        },
        [pkgs],
      );
      ready.push(
        h.service(
          "node-exporter",
          { unit: "prometheus-node-exporter.service", restartOn: [env.sha256], healthCheck: `curl -sf http://127.0.0.1:${node.node_exporter_port}/metrics >/dev/null` },
          [env],
        ),
      );
    }

    // 9. keepalived node VIP
    if (node.vip_enabled) {
      const iface =
        node.vip_interface !== "auto"
          ? pulumi.output(node.vip_interface)
          : h.command("vip-interface", {
              create: `ip -o -4 addr show | awk '$4 ~ /^${node.ip.replace(/\./g, "\\.")}\\// {print $2; exit}'`,
              secretOutputs: false,
            }).stdout;
      const conf = h.file(
        "keepalived-conf",
        {
          path: "/etc/keepalived/keepalived.conf",
          content: pulumi.secret(pulumi.all([iface, secrets]).apply(([i, s]) => renderKeepalivedConf({ ...node, ...s }, args.vipPeers ?? [], i))),
          mode: "0600",
        },
        [pkgs],
      );
      ready.push(h.service("keepalived", { unit: "keepalived.service", restartOn: [conf.sha256] }, [conf]));
    }

    this.ready = ready;
    this.nodename = pulumi.output(node.nodename);
    this.ip = pulumi.output(node.ip);
    this.registerOutputs({ nodename: this.nodename, ip: this.ip });
  }
}
