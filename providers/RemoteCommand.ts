import * as pulumi from "@pulumi/pulumi";
import { ConnectionInput, secretConnection, secretInputNames } from "./connection";
import { thinProvider } from "./loader";

export interface RemoteCommandArgs {
  /** How to reach the host. */
  connection: ConnectionInput;
  /** Script run (POSIX sh) when the resource is created, and on updates when `update` is unset. */
  create?: pulumi.Input<string>;
  /** Script run when `create`, `update`, `stdin` or `environment` change. Default: `create` again. */
  update?: pulumi.Input<string>;
  /** Script run when the resource is deleted (the text stored at the last successful run). */
  delete?: pulumi.Input<string>;
  /** Any change to these values replaces the resource (delete, then create again). */
  triggers?: pulumi.Input<unknown[]>;
  /** Standard input of the script: the place for passwords (never on a command line). */
  stdin?: pulumi.Input<string>;
  /** Environment of the script; delivered inside the script stream, not through sshd AcceptEnv. */
  environment?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Which output streams are echoed to the Pulumi log. Default `stdoutAndStderr`; forced to `none` when an input is secret. */
  logging?: pulumi.Input<"stdout" | "stderr" | "stdoutAndStderr" | "none">;
  /** Seconds before the remote process group is killed. Default 900; 0 = no limit. */
  timeout?: pulumi.Input<number>;
  /**
   * Store stdout/stderr as secrets. Default true: command output may reveal what the command did
   * with a secret. Known secret input values are masked in the output either way.
   */
  secretOutputs?: boolean;
}

/**
 * Run scripts on a host over SSH on create, update and delete.
 *
 * Like `@pulumi/command`'s `remote.Command`, but connections are pooled and host keys verified,
 * commands time out and kill their process group, a failed create is recorded so the next `up`
 * resumes it, and changing only `delete`, `logging`, `timeout` or credentials re-runs nothing.
 */
export class RemoteCommand extends pulumi.dynamic.Resource {
  /** Standard output of the last run (trailing newline trimmed). */
  public readonly stdout!: pulumi.Output<string>;
  /** Standard error of the last run (trailing newline trimmed). */
  public readonly stderr!: pulumi.Output<string>;

  constructor(name: string, args: RemoteCommandArgs, opts?: pulumi.CustomResourceOptions) {
    const secretOutputs = args.secretOutputs ?? true;
    super(
      thinProvider("RemoteCommand"),
      name,
      {
        connection: secretConnection(args.connection),
        create: args.create,
        update: args.update,
        delete: args.delete,
        triggers: args.triggers,
        stdin: args.stdin,
        environment: args.environment,
        logging: args.logging,
        timeout: args.timeout,
        secretInputs: secretInputNames({ create: args.create, update: args.update, delete: args.delete, stdin: args.stdin, environment: args.environment }),
        stdout: undefined,
        stderr: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: secretOutputs ? ["stdout", "stderr"] : [] }),
      "pigsty",
      "RemoteCommand",
    );
  }
}
