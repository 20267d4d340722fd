// Test helper: real systemd Debian hosts on this machine for end-to-end tests and the sandbox.
//
//   const lab = new Lab();
//   await lab.up(4);                       // reuses a running healthy lab
//   const conn = lab.connection(0);        // {host, port, user, privateKey, hostKey, knownHostsPath}
//   await lab.exec("node-11", "systemctl is-active patroni");
//   await lab.kill(1); await lab.start(1); // power-off / power-on (disk kept)
//   await lab.partition(2); await lab.heal(2);
//   await lab.reset(3);                    // fresh disk
//   await lab.down();
//
// See README.md in this directory.
export { Lab } from "./lab";
export type { Connection, NodeRef, NodeReport, NodeStatus, UpReport } from "./lab";
export { nodeSpec, resolveNode, GATEWAY_IP, BRIDGE, DEFAULT_NODES } from "./config";
export type { NodeSpec } from "./config";
export { problems as labProblems } from "./preflight";
export type { RunResult } from "./sh";
