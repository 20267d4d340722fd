import * as pulumi from "@pulumi/pulumi";
import { ConnectionInput, Packages, RemoteCommand, RemoteCommandArgs, RemoteFile, RemoteFileArgs, SystemdService, SystemdServiceArgs } from "../providers";

/**
 * The steps a component runs on one host, as child resources named `<prefix>-<step>` with
 * `parent` set to the component. Components call these instead of constructing providers directly,
 * so every child gets a derived name, its parent, and the host's connection the same way.
 */
export class HostSteps {
  constructor(
    private readonly parent: pulumi.Resource,
    /** Name prefix of this host's steps, e.g. "etcd-1" or "pg-test-2". */
    readonly prefix: string,
    readonly connection: ConnectionInput,
  ) {}

  private opts(dependsOn?: pulumi.Input<pulumi.Resource>[], extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
    return { ...extra, parent: this.parent, dependsOn: [...(dependsOn ?? []), ...((extra?.dependsOn as pulumi.Input<pulumi.Resource>[]) ?? [])] };
  }

  file(step: string, args: Omit<RemoteFileArgs, "connection">, dependsOn?: pulumi.Input<pulumi.Resource>[], extra?: pulumi.CustomResourceOptions): RemoteFile {
    return new RemoteFile(`${this.prefix}-${step}`, { ...args, connection: this.connection }, this.opts(dependsOn, extra));
  }

  command(step: string, args: Omit<RemoteCommandArgs, "connection">, dependsOn?: pulumi.Input<pulumi.Resource>[], extra?: pulumi.CustomResourceOptions): RemoteCommand {
    return new RemoteCommand(`${this.prefix}-${step}`, { ...args, connection: this.connection }, this.opts(dependsOn, extra));
  }

  service(step: string, args: Omit<SystemdServiceArgs, "connection">, dependsOn?: pulumi.Input<pulumi.Resource>[], extra?: pulumi.CustomResourceOptions): SystemdService {
    return new SystemdService(`${this.prefix}-${step}`, { ...args, connection: this.connection }, this.opts(dependsOn, extra));
  }

  packages(step: string, packages: pulumi.Input<string[]>, dependsOn?: pulumi.Input<pulumi.Resource>[]): Packages {
    return new Packages(`${this.prefix}-${step}`, { packages, connection: this.connection }, this.opts(dependsOn));
  }
}
