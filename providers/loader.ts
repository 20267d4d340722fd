import * as pulumi from "@pulumi/pulumi";

/**
 * The provider object Pulumi serializes into every resource's state (`__provider`).
 *
 * It is deliberately tiny: each method `require()`s the real implementation at run time, first by
 * package name (so a user's installed pulumi-pigsty serves it, and deletes run current code rather
 * than code frozen in state), then by the absolute path captured when the program ran (our own
 * examples and tests, where the package is not installed under node_modules). Nothing else is
 * captured: no closures over secrets, no module graph (pulumi-anchors.md §3.3).
 */
const IMPL_PATH: string = require.resolve("./impl");
const IMPL_PACKAGE = "pulumi-pigsty/dist/providers/impl";

export type ProviderKind = "RemoteCommand" | "RemoteFile" | "SystemdService" | "Packages";

export function thinProvider(kind: ProviderKind): pulumi.dynamic.ResourceProvider {
  const packagePath = IMPL_PACKAGE;
  const localPath = IMPL_PATH;
  const impl = (): pulumi.dynamic.ResourceProvider => {
    let mod: { implementations: Record<string, pulumi.dynamic.ResourceProvider> };
    try {
      mod = require(packagePath);
    } catch {
      mod = require(localPath);
    }
    return mod.implementations[kind];
  };
  return {
    check: (olds, news) => impl().check!(olds, news),
    diff: (id, olds, news) => impl().diff!(id, olds, news),
    create: (inputs) => impl().create(inputs),
    read: (id, props) => impl().read!(id, props),
    update: (id, olds, news) => impl().update!(id, olds, news),
    delete: (id, props) => impl().delete!(id, props),
  };
}
