import * as pulumi from "@pulumi/pulumi";
import { exec, shellQuote, sharedPool } from "../../lib/ssh";
import { asConnection, changed, CheckFailure, checkConnection, connectionSecrets, containsUnknown, identityChanged, newId } from "./common";

/**
 * A systemd unit kept enabled/active, restarted or reloaded only when what it depends on changed.
 *
 * This is what makes a re-applied stack touch nothing: the unit restarts when (and only when) one
 * of the `restartOn` values changes — typically the hashes of its config files — and reloads when
 * one of the `reloadOn` values changes.
 */
export interface ServiceInputs {
  connection: Record<string, unknown>;
  /** Unit name, e.g. "etcd.service". */
  unit: string;
  enabled: boolean;
  active: boolean;
  /** Values whose change restarts the unit (config hashes, versions). */
  restartOn: string[];
  /** Values whose change reloads the unit (`systemctl reload`). */
  reloadOn: string[];
  /** Run `systemctl daemon-reload` before starting/restarting (the unit file is managed). */
  daemonReload: boolean;
  /** A shell test that must succeed after a (re)start, retried until `healthTimeout` seconds. */
  healthCheck?: string;
  healthTimeout: number;
  /** On delete: "stop" (stop + disable) or "keep" (leave it running). */
  onDelete: "stop" | "keep";
  __provider?: string;
}

export interface ServiceOutputs extends ServiceInputs {
  /** Observed on the host at the last create/update/refresh. */
  observedEnabled: boolean;
  observedActive: boolean;
}

const UNIT = /^[A-Za-z0-9@._:-]+$/;

function checkScript(p: ServiceInputs): string {
  if (!p.healthCheck) return "";
  return [
    `deadline=$(( $(date +%s) + ${p.healthTimeout} ))`,
    `until ( ${p.healthCheck} ) >/dev/null 2>&1; do`,
    `  if [ "$(date +%s)" -ge "$deadline" ]; then echo "${p.unit} not healthy after ${p.healthTimeout}s: ${p.healthCheck.replace(/["$`\\]/g, "")}" >&2; systemctl --no-pager status ${p.unit} >&2 || true; journalctl -u ${p.unit} -n 30 --no-pager >&2 || true; exit 1; fi`,
    "  sleep 1",
    "done",
  ].join("\n");
}

/** The script that converges the unit. `action`: what must happen to the running process. */
export function convergeScript(p: ServiceInputs, action: "start" | "restart" | "reload" | "none"): string {
  const u = shellQuote(p.unit);
  const lines = ["set -e"];
  if (p.daemonReload) lines.push("systemctl daemon-reload");
  lines.push(p.enabled ? `systemctl enable ${u} >/dev/null 2>&1 || systemctl enable ${u}` : `systemctl disable ${u} >/dev/null 2>&1 || true`);
  if (!p.active) {
    lines.push(`systemctl stop ${u}`);
  } else {
    // on failure, show why: the unit's status and its last journal lines end up in the error
    const why = `{ systemctl --no-pager status ${u} >&2 || true; journalctl -u ${u} -n 20 --no-pager >&2 || true; exit 1; }`;
    if (action === "restart") lines.push(`systemctl restart ${u} || ${why}`);
    else if (action === "reload") lines.push(`if systemctl is-active --quiet ${u}; then systemctl reload ${u} || ${why}; else systemctl start ${u} || ${why}; fi`);
    else lines.push(`systemctl is-active --quiet ${u} || systemctl start ${u} || ${why}`);
    lines.push(checkScript(p));
  }
  return lines.filter(Boolean).join("\n");
}

async function observe(p: ServiceInputs): Promise<{ observedEnabled: boolean; observedActive: boolean }> {
  const u = shellQuote(p.unit);
  const { stdout } = await exec(sharedPool(), asConnection(p.connection), {
    command: `echo "$(systemctl is-enabled ${u} 2>/dev/null || true) $(systemctl is-active ${u} 2>/dev/null || true)"`,
    step: `observe ${p.unit}`,
    timeoutSeconds: 60,
  });
  const [enabled, active] = stdout.trim().split(" ");
  return { observedEnabled: enabled === "enabled" || enabled === "static" || enabled === "alias", observedActive: active === "active" };
}

async function converge(p: ServiceInputs, action: "start" | "restart" | "reload" | "none"): Promise<ServiceOutputs> {
  await exec(sharedPool(), asConnection(p.connection), {
    command: convergeScript(p, action),
    step: `${action === "none" ? "ensure" : action} ${p.unit}`,
    timeoutSeconds: p.healthTimeout + 120,
    secrets: connectionSecrets(p.connection),
  });
  return { ...p, ...(await observe(p)) };
}

export const systemdService: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    const failures: CheckFailure[] = [];
    checkConnection(news.connection, failures);
    if (!containsUnknown(news.unit) && (typeof news.unit !== "string" || !UNIT.test(news.unit))) {
      failures.push({ property: "unit", reason: `unit must be a systemd unit name like "etcd.service" (got ${JSON.stringify(news.unit)})` });
    }
    const onDelete = news.onDelete ?? "stop";
    if (!["stop", "keep"].includes(onDelete)) failures.push({ property: "onDelete", reason: `onDelete must be "stop" or "keep"` });
    const healthTimeout = news.healthTimeout ?? 60;
    if (!containsUnknown(healthTimeout) && (!Number.isInteger(healthTimeout) || healthTimeout < 1)) {
      failures.push({ property: "healthTimeout", reason: "healthTimeout must be a whole number of seconds ≥ 1" });
    }
    return {
      inputs: {
        ...news,
        enabled: news.enabled ?? true,
        active: news.active ?? true,
        restartOn: news.restartOn ?? [],
        reloadOn: news.reloadOn ?? [],
        daemonReload: news.daemonReload ?? false,
        healthTimeout,
        onDelete,
      },
      failures,
    };
  },

  async diff(_id, olds: ServiceOutputs, news: ServiceInputs) {
    const replaces: string[] = [];
    if (identityChanged(olds.connection, news.connection)) replaces.push("connection");
    if (changed(olds.unit, news.unit)) replaces.push("unit");
    const drifted = olds.observedEnabled !== news.enabled || olds.observedActive !== news.active;
    const keys = ["enabled", "active", "restartOn", "reloadOn", "daemonReload", "healthCheck", "healthTimeout", "onDelete", "connection"] as const;
    return { changes: replaces.length > 0 || drifted || keys.some((k) => changed(olds[k], news[k])), replaces, deleteBeforeReplace: true };
  },

  async create(inputs: ServiceInputs) {
    // A package may have started the unit with its own default config before ours was written:
    // restart on create so the running process is the one we configured.
    return { id: newId("svc"), outs: await converge(inputs, "restart") };
  },

  async read(id, props: ServiceOutputs) {
    return { id, props: { ...props, ...(await observe(props)) } };
  },

  async update(_id, olds: ServiceOutputs, news: ServiceInputs) {
    const action = changed(olds.restartOn, news.restartOn) ? "restart" : changed(olds.reloadOn, news.reloadOn) ? "reload" : "none";
    return { outs: await converge(news, action) };
  },

  async delete(_id, props: ServiceOutputs) {
    if (props.onDelete === "keep") return;
    const u = shellQuote(props.unit);
    await exec(sharedPool(), asConnection(props.connection), {
      command: `systemctl disable --now ${u} >/dev/null 2>&1 || systemctl stop ${u} >/dev/null 2>&1 || true`,
      step: `stop ${props.unit}`,
      timeoutSeconds: 180,
    });
  },
};
