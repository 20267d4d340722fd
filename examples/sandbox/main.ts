// Entry point for `pulumi up` with an official Pulumi CLI (see Pulumi.yaml): the lab's hosts.
import { Lab } from "../../test/lab";
import { sandbox } from "./program";

const lab = new Lab();
export = sandbox(
  lab.nodes.map((n) => {
    const c = lab.connection(n);
    return { name: n.hostname, connection: { host: c.host, port: c.port, user: c.user, privateKey: c.privateKey, knownHostsFile: c.knownHostsPath } };
  }),
);
