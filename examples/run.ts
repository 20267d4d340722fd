/**
 * Run an example program with our offline Pulumi toolchain:
 *
 *   node dist/examples/run.js sandbox [preview|up|refresh|destroy|outputs]
 *
 * State lives in `<repo>/.pulumi` (file backend, git-ignored). The secrets passphrase comes from
 * $PULUMI_CONFIG_PASSPHRASE, else from `.pulumi/passphrase`, generated on first use (mode 0600).
 */
import { randomBytes } from "crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { offlineStack } from "../lib/automation";
import { Lab } from "../test/lab";
import * as pulumi from "@pulumi/pulumi";
import { sandbox, SandboxCredentials } from "./sandbox/program";

const repo = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../.." : "..");
const stateDir = path.join(repo, ".pulumi");

function passphrase(): string {
  if (process.env.PULUMI_CONFIG_PASSPHRASE !== undefined) return process.env.PULUMI_CONFIG_PASSPHRASE;
  const file = path.join(stateDir, "passphrase");
  if (!existsSync(file)) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(file, randomBytes(24).toString("base64"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

/**
 * The sandbox's credentials: random, generated on first use into `.pulumi/sandbox-credentials.json`
 * (0600, git-ignored) and handed to the program as Pulumi secrets — never Pigsty's public defaults.
 */
function credentials(): Record<string, string> {
  const file = path.join(stateDir, "sandbox-credentials.json");
  const names = ["pg_admin_password", "pg_monitor_password", "pg_replication_password", "patroni_password", "etcd_root_password", "haproxy_admin_password", "app_password"];
  let cred: Record<string, string> = {};
  if (existsSync(file)) cred = JSON.parse(readFileSync(file, "utf8"));
  if (names.some((n) => !cred[n])) {
    for (const n of names) cred[n] ??= randomBytes(12).toString("base64url");
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(file, JSON.stringify(cred, null, 2) + "\n", { mode: 0o600 });
  }
  return cred;
}

function sandboxProgram() {
  const lab = new Lab();
  if (lab.nodes.length < 4) throw new Error("the lab is not up with 4 nodes: run `npm run lab -- up 4` (npm run sandbox does it for you)");
  const hosts = lab.nodes.slice(0, 4).map((n) => {
    const c = lab.connection(n);
    return { ip: c.host, connection: { host: c.host, port: c.port, user: c.user, privateKey: c.privateKey, knownHostsFile: c.knownHostsPath } };
  });
  const cred = Object.fromEntries(Object.entries(credentials()).map(([k, v]) => [k, pulumi.secret(v)])) as unknown as SandboxCredentials;
  return async () => {
    const { test, meta } = sandbox(hosts, cred);
    return { pgTest: test.services, pgMeta: meta?.services };
  };
}

const EXAMPLES: Record<string, () => () => Promise<Record<string, unknown>>> = { sandbox: sandboxProgram };
const COMMANDS = ["preview", "up", "refresh", "destroy", "outputs"] as const;

async function main(): Promise<void> {
  const [example = "sandbox", command = "up"] = process.argv.slice(2);
  if (!EXAMPLES[example]) throw new Error(`unknown example "${example}" (have: ${Object.keys(EXAMPLES).join(", ")})`);
  if (!(COMMANDS as readonly string[]).includes(command)) throw new Error(`unknown command "${command}" (have: ${COMMANDS.join(", ")})`);
  const stack = await offlineStack({ projectName: `pigsty-${example}`, stackName: "dev", program: EXAMPLES[example](), stateDir, passphrase: passphrase() });
  const onOutput = (s: string) => process.stdout.write(s);
  const t0 = Date.now();
  switch (command) {
    case "preview":
      await stack.preview({ onOutput, diff: true });
      break;
    case "up":
      await stack.up({ onOutput });
      break;
    case "refresh":
      await stack.refresh({ onOutput });
      break;
    case "destroy":
      await stack.destroy({ onOutput });
      break;
    case "outputs": {
      // the sandbox is yours: show the connection strings in clear (they are secrets in state)
      const out = await stack.outputs();
      console.log(JSON.stringify(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.value])), null, 2));
      break;
    }
  }
  console.error(`[${example}] ${command} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
