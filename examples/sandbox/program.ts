import * as pulumi from "@pulumi/pulumi";
import { ConnectionInput, RemoteCommand, RemoteFile } from "../../providers";

/**
 * The sandbox: Pigsty's 4-node layout on the lab hosts (10.10.10.10-13).
 *
 * PLACEHOLDER until the PGSQL module lands: for now it only proves the whole path — lab hosts,
 * pooled SSH, the two providers, the offline Pulumi CLI — by managing a marker file and reading
 * each host's systemd state. The real sandbox (pg-meta + etcd on .10, pg-test on .11-.13) replaces
 * this body, with the same entry points.
 */
export interface SandboxHost {
  name: string;
  connection: ConnectionInput;
}

export function sandbox(hosts: SandboxHost[]): Record<string, pulumi.Output<unknown>> {
  const outputs: Record<string, pulumi.Output<unknown>> = {};
  for (const h of hosts) {
    const motd = new RemoteFile(`${h.name}-motd`, {
      connection: h.connection,
      path: "/etc/motd",
      content: `${h.name}: managed by pulumi-pigsty (sandbox placeholder)\n`,
      mode: "0644",
    });
    const probe = new RemoteCommand(
      `${h.name}-probe`,
      { connection: h.connection, create: "hostname; systemctl is-system-running || true", secretOutputs: false },
      { dependsOn: [motd] },
    );
    outputs[h.name] = probe.stdout;
  }
  return outputs;
}
