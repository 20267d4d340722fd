import * as pulumi from "@pulumi/pulumi";
import { describeTarget, exec, sharedPool } from "../../lib/ssh";
import { asConnection, changed, CheckFailure, checkConnection, connectionSecrets, containsUnknown, identityChanged, newId, partialFailure } from "./common";

export type Logging = "stdout" | "stderr" | "stdoutAndStderr" | "none";
const LOGGING: readonly Logging[] = ["stdout", "stderr", "stdoutAndStderr", "none"];

/** The inputs as stored (after check): every default filled in, so a new default never shows as a diff. */
export interface CommandInputs {
  connection: Record<string, unknown>;
  create?: string;
  update?: string;
  delete?: string;
  triggers?: unknown[];
  stdin?: string;
  environment?: Record<string, string>;
  logging: Logging;
  /** Seconds before the remote process group is killed (0 = none). */
  timeout: number;
  /** Names of inputs that were secrets: their values are masked in output and messages. */
  secretInputs: string[];
  __provider?: string;
}

export interface CommandOutputs extends CommandInputs {
  stdout: string;
  stderr: string;
  /** The last run of the command failed: the next update runs it again even if nothing changed. */
  failed?: boolean;
}

const DEFAULT_TIMEOUT = 900;

/** The inputs whose change means the command must run again. Connection credentials are not among them. */
const RERUN_KEYS = ["create", "update", "stdin", "environment"] as const;

function secretsOf(p: CommandInputs): string[] {
  const values: string[] = connectionSecrets(p.connection);
  for (const name of p.secretInputs ?? []) {
    const v = (p as unknown as Record<string, unknown>)[name];
    if (typeof v === "string") values.push(v, ...v.split("\n").filter((l) => l.length >= 6));
    else if (v && typeof v === "object") values.push(...Object.values(v).filter((x): x is string => typeof x === "string"));
  }
  return values;
}

async function run(p: CommandInputs, command: string, step: string): Promise<{ stdout: string; stderr: string }> {
  const c = asConnection(p.connection);
  const target = describeTarget(c);
  const mustMask = (p.secretInputs ?? []).length > 0;
  const streams = mustMask ? "none" : p.logging;
  const { stdout, stderr } = await exec(sharedPool(), c, {
    command,
    stdin: p.stdin,
    environment: p.environment,
    timeoutSeconds: p.timeout,
    step,
    secrets: secretsOf(p),
    onOutput: (s, text) => {
      if (streams === "stdoutAndStderr" || streams === s) process.stderr.write(`[${target}] ${text}`);
    },
  });
  return { stdout: stdout.replace(/\n$/, ""), stderr: stderr.replace(/\n$/, "") };
}

export const remoteCommand: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    const failures: CheckFailure[] = [];
    checkConnection(news.connection, failures);
    for (const k of ["create", "update", "delete", "stdin"]) {
      if (news[k] !== undefined && typeof news[k] !== "string") failures.push({ property: k, reason: `${k} must be a string` });
    }
    const logging = news.logging ?? "stdoutAndStderr";
    if (!containsUnknown(logging) && !LOGGING.includes(logging)) {
      failures.push({ property: "logging", reason: `logging must be one of ${LOGGING.join(", ")} (got "${logging}")` });
    }
    const timeout = news.timeout ?? DEFAULT_TIMEOUT;
    if (!containsUnknown(timeout) && (!Number.isInteger(timeout) || timeout < 0)) {
      failures.push({ property: "timeout", reason: `timeout must be a whole number of seconds ≥ 0 (got ${JSON.stringify(timeout)})` });
    }
    if (news.environment !== undefined && !containsUnknown(news.environment)) {
      for (const [k, v] of Object.entries(news.environment ?? {})) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) failures.push({ property: `environment.${k}`, reason: `"${k}" is not a valid environment variable name` });
        if (typeof v !== "string") failures.push({ property: `environment.${k}`, reason: `environment.${k} must be a string` });
      }
    }
    if (news.triggers !== undefined && !Array.isArray(news.triggers)) failures.push({ property: "triggers", reason: "triggers must be a list" });
    return { inputs: { ...news, logging, timeout, secretInputs: news.secretInputs ?? [] }, failures };
  },

  async diff(_id, olds: CommandOutputs, news: CommandInputs) {
    const replaces: string[] = [];
    if (changed(olds.triggers ?? [], news.triggers ?? [])) replaces.push("triggers");
    if (identityChanged(olds.connection, news.connection)) replaces.push("connection");
    const keys = [...RERUN_KEYS, "delete", "logging", "timeout", "connection", "secretInputs"] as const;
    const changes = replaces.length > 0 || keys.some((k) => changed(olds[k], news[k]));
    return { changes, replaces };
  },

  async create(inputs: CommandInputs) {
    const id = newId("cmd");
    if (!inputs.create) return { id, outs: { ...inputs, stdout: "", stderr: "" } };
    try {
      const r = await run(inputs, inputs.create, "create");
      return { id, outs: { ...inputs, ...r } };
    } catch (e) {
      throw partialFailure(e, id, { ...inputs, stdout: "", stderr: "", failed: true });
    }
  },

  async read(id, props: CommandOutputs) {
    // A command's effect cannot be observed in general: refresh keeps what the last run recorded.
    return { id, props };
  },

  async update(id, olds: CommandOutputs, news: CommandInputs) {
    const rerun = olds.failed || RERUN_KEYS.some((k) => changed(olds[k], news[k]));
    if (!rerun) return { outs: { ...news, stdout: olds.stdout, stderr: olds.stderr } };
    const command = news.update ?? news.create;
    if (!command) return { outs: { ...news, stdout: "", stderr: "" } };
    try {
      const r = await run(news, command, news.update ? "update" : "create");
      return { outs: { ...news, ...r } };
    } catch (e) {
      throw partialFailure(e, id, { ...news, stdout: olds.stdout ?? "", stderr: olds.stderr ?? "", failed: true });
    }
  },

  async delete(_id, props: CommandOutputs) {
    if (!props.delete) return;
    await run(props, props.delete, "delete");
  },
};
