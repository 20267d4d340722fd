import * as pulumi from "@pulumi/pulumi";
import { ConnectionInput, secretConnection } from "./connection";
import { thinProvider } from "./loader";

export interface SystemdServiceArgs {
  connection: ConnectionInput;
  /** Unit name, e.g. "etcd.service". Changing it replaces the resource. */
  unit: pulumi.Input<string>;
  /** Enabled at boot. Default true. */
  enabled?: pulumi.Input<boolean>;
  /** Running. Default true. */
  active?: pulumi.Input<boolean>;
  /** Restart the unit when any of these values change (e.g. `[conf.sha256, unitFile.sha256]`). */
  restartOn?: pulumi.Input<pulumi.Input<string>[]>;
  /** Reload the unit when any of these values change. */
  reloadOn?: pulumi.Input<pulumi.Input<string>[]>;
  /** Run `systemctl daemon-reload` first (set when the unit file itself is managed). */
  daemonReload?: pulumi.Input<boolean>;
  /** Shell test that must pass after a (re)start, e.g. `curl -sf http://127.0.0.1:8008/health`. */
  healthCheck?: pulumi.Input<string>;
  /** Seconds to wait for `healthCheck`. Default 60. */
  healthTimeout?: pulumi.Input<number>;
  /** On delete: stop and disable ("stop", default) or leave running ("keep"). */
  onDelete?: pulumi.Input<"stop" | "keep">;
}

/**
 * A systemd unit kept enabled and running; restarted only when a `restartOn` value changes and
 * reloaded only when a `reloadOn` value changes, so re-applying an unchanged stack restarts nothing.
 * `pulumi refresh` notices a unit that was stopped or disabled by hand.
 */
export class SystemdService extends pulumi.dynamic.Resource {
  public readonly observedActive!: pulumi.Output<boolean>;
  public readonly observedEnabled!: pulumi.Output<boolean>;

  constructor(name: string, args: SystemdServiceArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      thinProvider("SystemdService"),
      name,
      { ...args, connection: secretConnection(args.connection), observedActive: undefined, observedEnabled: undefined },
      opts,
      "pigsty",
      "SystemdService",
    );
  }
}
