import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { ConnectionInput, secretConnection, secretInputNames } from "./connection";
import { thinProvider } from "./loader";

export interface RemoteFileArgs {
  /** How to reach the host. */
  connection: ConnectionInput;
  /** Absolute path of the file on the host. Changing it replaces the file (old one removed first). */
  path: pulumi.Input<string>;
  /** Content to write. Exactly one of `content` and `source`. A secret content stays secret in state. */
  content?: pulumi.Input<string>;
  /** A local file to upload instead of `content` (its hash drives updates). */
  source?: pulumi.Input<string>;
  /** Octal mode. Default "0644". */
  mode?: pulumi.Input<string>;
  /** Owner of the file (user name). Default: the writing user (root). */
  owner?: pulumi.Input<string>;
  /** Group of the file. */
  group?: pulumi.Input<string>;
}

/**
 * A file on a host, written atomically over SFTP with its mode, owner and group.
 *
 * `pulumi refresh` reads the file's hash back, so edits made on the host show up as drift and the
 * next `up` restores the file. Delete removes the file; use the `retainOnDelete` resource option to
 * keep it.
 */
export class RemoteFile extends pulumi.dynamic.Resource {
  /** sha256 of the file on the host as last written or observed. */
  public readonly sha256!: pulumi.Output<string>;
  /** Size in bytes of the content written. */
  public readonly size!: pulumi.Output<number>;
  public readonly path!: pulumi.Output<string>;

  constructor(name: string, args: RemoteFileArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      thinProvider("RemoteFile"),
      name,
      {
        connection: secretConnection(args.connection),
        path: args.path,
        content: args.content,
        source: args.source === undefined ? undefined : pulumi.output(args.source).apply((s) => path.resolve(s)),
        mode: args.mode,
        owner: args.owner,
        group: args.group,
        contentHash: undefined,
        secretInputs: secretInputNames({ content: args.content }),
        sha256: undefined,
        size: undefined,
      },
      opts,
      "pigsty",
      "RemoteFile",
    );
  }
}
