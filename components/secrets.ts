import * as pulumi from "@pulumi/pulumi";
import { sha256 } from "../lib/ssh/files";

/**
 * Pigsty parameters may carry secrets as `pulumi.Input<string>` (e.g. `cfg.requireSecret(...)`).
 * Validation needs plain values now; renderers need the real values later. This splits them:
 * secret keys get a stand-in for validation, and their real values travel as one Output.
 */
export type WithSecretInputs<T, K extends keyof T> = Omit<T, K> & { [P in K]?: pulumi.Input<string> };

const STAND_IN = "********";

export function splitSecrets(vars: Record<string, unknown>, keys: readonly string[]): { plain: Record<string, unknown>; secrets: pulumi.Output<Record<string, string>> } {
  const plain: Record<string, unknown> = { ...vars };
  const given: Record<string, pulumi.Input<string>> = {};
  for (const k of keys) {
    if (vars[k] === undefined) continue;
    given[k] = vars[k] as pulumi.Input<string>;
    plain[k] = typeof vars[k] === "string" ? vars[k] : STAND_IN;
  }
  return { plain, secrets: pulumi.output(given) as pulumi.Output<Record<string, string>> };
}

/**
 * Render a file that contains credentials: the renderer sees the real secret values, and the
 * result is a secret (encrypted in state, masked in previews) even when the values were plain.
 */
export function renderSecretFile<C>(config: C, secrets: pulumi.Output<Record<string, string>>, render: (c: C) => string): pulumi.Output<string> {
  return pulumi.secret(secrets.apply((s) => render({ ...config, ...s })));
}

/** A short stable digest of rendered content, for restart/reload keys that must not reveal it. */
export function digest(content: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(content).apply((c) => sha256(c).slice(0, 16));
}
