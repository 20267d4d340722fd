import * as pulumi from "@pulumi/pulumi";
import { ConnectionInput, secretConnection } from "./connection";
import { thinProvider } from "./loader";

export interface PackagesArgs {
  connection: ConnectionInput;
  /** Package names (Debian or EL). Checked first; only missing ones are installed. */
  packages: pulumi.Input<pulumi.Input<string>[]>;
}

/** Packages present on a host (installed only when missing; never removed on delete). */
export class Packages extends pulumi.dynamic.Resource {
  /** Packages found missing at the last refresh. */
  public readonly missing!: pulumi.Output<string[]>;

  constructor(name: string, args: PackagesArgs, opts?: pulumi.CustomResourceOptions) {
    super(thinProvider("Packages"), name, { ...args, connection: secretConnection(args.connection), missing: undefined }, opts, "pigsty", "Packages");
  }
}
