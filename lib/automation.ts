import { execFileSync } from "child_process";
import { existsSync, mkdirSync, symlinkSync } from "fs";
import * as path from "path";
import { LocalWorkspace, PulumiCommand, PulumiFn, Stack } from "@pulumi/pulumi/automation";

/**
 * Run Pulumi programs offline through the Automation API: our pinned CLI, a file backend, a
 * passphrase from the environment, no update checks, no plugin downloads.
 *
 * Programs run inline (in this Node process; the CLI connects back to it), which is why no
 * `pulumi-language-nodejs` is needed (see scripts/pulumi-cli.sh).
 */
export interface OfflineStackOptions {
  projectName: string;
  stackName: string;
  program: PulumiFn;
  /** Directory for the file backend, workspace files and PULUMI_HOME. Created if missing. */
  stateDir: string;
  /** Secrets passphrase. Default: $PULUMI_CONFIG_PASSPHRASE, else "" (fine for throw-away stacks only). */
  passphrase?: string;
  /** Extra environment for the CLI and providers. */
  env?: Record<string, string>;
}

const repoRoot = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../.." : "..");

let cliDir: string | undefined;
/** The directory holding our pinned `pulumi` (built once into a cache outside the repo). */
export function pulumiBinDir(): string {
  if (!cliDir) {
    const out = execFileSync("bash", [path.join(repoRoot, "scripts/pulumi-cli.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    cliDir = out.trim().split("\n").pop()!;
  }
  return cliDir;
}

export function offlineEnv(stateDir: string, passphrase?: string): Record<string, string> {
  return {
    PULUMI_BACKEND_URL: `file://${path.join(stateDir, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE: passphrase ?? process.env.PULUMI_CONFIG_PASSPHRASE ?? "",
    PULUMI_HOME: path.join(stateDir, "home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "false",
  };
}

/**
 * The workspace directory. The dynamic-provider plugin resolves `@pulumi/pulumi` from it, so it
 * gets a `node_modules` link to ours; it is not the repo root, so the workspace's generated
 * Pulumi.yaml / Pulumi.<stack>.yaml never overwrite the project's own files.
 */
function workDir(stateDir: string, projectName: string): string {
  const dir = path.join(stateDir, "work", projectName);
  mkdirSync(dir, { recursive: true });
  const link = path.join(dir, "node_modules");
  if (!existsSync(link)) symlinkSync(path.join(repoRoot, "node_modules"), link, "dir");
  return dir;
}

export async function offlineStack(o: OfflineStackOptions): Promise<Stack> {
  const stateDir = path.resolve(o.stateDir);
  mkdirSync(path.join(stateDir, "backend"), { recursive: true });
  mkdirSync(path.join(stateDir, "home"), { recursive: true });
  const bin = pulumiBinDir();
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(bin), skipVersionCheck: false });
  const envVars: Record<string, string> = { ...offlineEnv(stateDir, o.passphrase), PATH: `${bin}:${process.env.PATH ?? ""}`, ...(o.env ?? {}) };
  return LocalWorkspace.createOrSelectStack(
    { projectName: o.projectName, stackName: o.stackName, program: o.program },
    {
      workDir: workDir(stateDir, o.projectName),
      pulumiCommand,
      envVars,
      projectSettings: { name: o.projectName, runtime: "nodejs", backend: { url: envVars.PULUMI_BACKEND_URL } },
    },
  );
}
