import * as pulumi from "@pulumi/pulumi";

/**
 * How to reach a host over SSH, as resource arguments. Field names and defaults mirror
 * `@pulumi/command`'s `remote.ConnectionArgs`; see lib/ssh/connection.ts for each field's meaning.
 * Every field may be a `pulumi.Input`, so addresses of VMs created in the same stack flow in.
 */
export interface ConnectionInput {
  /** Address of the host. */
  host: pulumi.Input<string>;
  /** SSH port. Default 22. */
  port?: pulumi.Input<number>;
  /** Login user. Default `root`. */
  user?: pulumi.Input<string>;
  /** Password (stored as a secret). */
  password?: pulumi.Input<string>;
  /** Private key text (stored as a secret). */
  privateKey?: pulumi.Input<string>;
  /** Passphrase of the private key (stored as a secret). */
  privateKeyPassword?: pulumi.Input<string>;
  /** ssh-agent socket. Default `$SSH_AUTH_SOCK`. */
  agentSocketPath?: pulumi.Input<string>;
  /** Pinned host key, authorized_keys format (`ssh-ed25519 AAAA…`). */
  hostKey?: pulumi.Input<string>;
  /** known_hosts file to verify the host key against. */
  knownHostsFile?: pulumi.Input<string>;
  /** Accept any host key (off by default; never silent). */
  insecureIgnoreHostKey?: pulumi.Input<boolean>;
  /** Bastion host. */
  proxy?: ConnectionInput;
  /** Dial attempts before failing (-1 unlimited). Default 10. */
  dialErrorLimit?: pulumi.Input<number>;
  /** Seconds per dial attempt. Default 15. */
  perDialTimeout?: pulumi.Input<number>;
  /** Run through `sudo -n` (for a non-root user). */
  sudo?: pulumi.Input<boolean>;
}

const CREDENTIALS = ["password", "privateKey", "privateKeyPassword"] as const;

/**
 * The connection as it goes into a resource: credentials wrapped as secrets, so they are encrypted
 * in state and masked in output even when the caller passed plain strings.
 */
export function secretConnection(c: ConnectionInput): ConnectionInput {
  const out: ConnectionInput = { ...c };
  for (const k of CREDENTIALS) {
    if (c[k] !== undefined) out[k] = pulumi.secret(c[k]!);
  }
  if (c.proxy) out.proxy = secretConnection(c.proxy);
  return out;
}

/** The names of the given inputs whose values are secrets, resolved asynchronously. */
export function secretInputNames(inputs: Record<string, pulumi.Input<unknown> | undefined>): pulumi.Output<string[]> {
  const checks = Object.entries(inputs)
    .filter(([, v]) => v !== undefined)
    .map(async ([k, v]) => ((await pulumi.isSecret(pulumi.output(v))) ? k : undefined));
  return pulumi.output(Promise.all(checks).then((names) => names.filter((n): n is string => !!n).sort()));
}
