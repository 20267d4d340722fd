/**
 * pulumi-pigsty: Pigsty's PostgreSQL platform as Pulumi components.
 *
 * - components: Node (NODE module), EtcdCluster (ETCD) — `pigsty:<module>:<Type>`
 * - providers: RemoteCommand, RemoteFile, SystemdService, Packages — the only code that touches hosts
 * - config: Pigsty's parameters as zod schemas, the pigsty.yml inventory loader, pure renderers
 */
export * from "./providers";
export * from "./components";
export * as config from "./lib/config";
export * as render from "./lib/render";
export { loadInventory } from "./lib/inventory";
