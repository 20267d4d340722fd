/**
 * pulumi-pigsty: Pigsty's PostgreSQL platform as Pulumi components.
 *
 * - providers: RemoteCommand and RemoteFile, the only code that touches hosts.
 */
export * from "./providers";
