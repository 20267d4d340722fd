// Entry point for `pulumi up` with an official Pulumi CLI (see Pulumi.yaml): the lab's hosts,
// credentials from stack config (pulumi config set --secret pigsty-sandbox:<name> …).
import * as pulumi from "@pulumi/pulumi";
import { Lab } from "../../test/lab";
import { sandbox } from "./program";

const cfg = new pulumi.Config();
const lab = new Lab();
const hosts = lab.nodes.map((n) => {
  const c = lab.connection(n);
  return { ip: c.host, connection: { host: c.host, port: c.port, user: c.user, privateKey: c.privateKey, knownHostsFile: c.knownHostsPath } };
});
const names = ["pg_admin_password", "pg_monitor_password", "pg_replication_password", "patroni_password", "etcd_root_password", "haproxy_admin_password", "app_password"] as const;
const cred = Object.fromEntries(names.map((n) => [n, cfg.requireSecret(n)])) as Record<(typeof names)[number], pulumi.Output<string>>;
const { test, meta } = sandbox(hosts, cred);
export const pgTest = test.services;
export const pgMeta = meta?.services;
