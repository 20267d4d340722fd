// `npm run lab -- <command>`: the lab from a shell (the sandbox, debugging a failing e2e test).
import { spawnSync } from "child_process";
import { DEFAULT_NODES } from "./config";
import { imageDir, imageHash, ensureImage } from "./image";
import { Lab } from "./lab";
import { PreflightError, preflight, TOOLS_SSH } from "./preflight";
import * as ssh from "./ssh";

const USAGE = `usage: npm run lab -- <command>

  up [N]            boot N nodes (default ${DEFAULT_NODES}) at 10.10.10.10.. (reuses running healthy nodes)
  down              remove the lab: processes, mounts, namespaces, bridge, disks, keys
  status            one line per node
  ssh NODE [CMD..]  interactive ssh (lab key, verified host key); --user U for another user
  exec NODE CMD..   run CMD on NODE (via ssh), exit with its code; --user U for another user
  connection NODE   print connection args (JSON) for NODE; --user U
  kill NODE         hard power-off (all processes die at once, port goes dark)
  start NODE        boot NODE again, disk kept
  partition NODE    cut NODE off from the other nodes (the host still reaches it)
  heal NODE         undo partition
  reset NODE        fresh disk: wipe NODE's overlay and boot it again
  image             build the base image if needed, print its path
  image-path        print the image path and hash (no build)

NODE: an index (0..N-1), an IP (10.10.10.10) or a hostname (node-10).
Environment: PIGSTY_LAB_STATE_DIR (default /var/lib/pulumi-pigsty-lab), PIGSTY_CACHE_DIR.`;

function takeUser(args: string[]): { user: string; rest: string[] } {
  const i = args.indexOf("--user");
  if (i >= 0 && i + 1 < args.length && i < 2) return { user: args[i + 1], rest: [...args.slice(0, i), ...args.slice(i + 2)] };
  return { user: "root", rest: args };
}

const mib = (b?: number) => (b === undefined ? "-" : `${Math.round(b / 1048576)}MiB`);

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const lab = new Lab();
  const need = (n: number, what: string) => {
    if (rest.length < n) throw new Error(`[lab] ${cmd}: missing ${what}\n\n${USAGE}`);
  };
  switch (cmd) {
    case "up": {
      const n = rest[0] ? Number(rest[0]) : DEFAULT_NODES;
      const r = await lab.up(n);
      console.log(`lab up: ${r.nodes.length} nodes in ${r.seconds.toFixed(1)}s (image ${r.image.dir}${r.image.built ? `, built in ${r.image.buildSeconds}s` : ""})`);
      console.log(`known_hosts: ${lab.knownHostsPath}`);
      return r.nodes.every((x) => x.state === "running" || x.state === "degraded") ? 0 : 1;
    }
    case "down":
      await lab.down();
      console.log("lab down");
      return 0;
    case "status": {
      const st = await lab.status();
      if (!st.length) {
        console.log("lab is down");
        return 0;
      }
      console.log("NODE      IP           RUNNING  NSPAWN  LINK    PARTITION  MOUNTED  SSH  SYSTEM     MEMORY");
      for (const s of st) {
        console.log(
          [
            s.name.padEnd(9),
            s.ip.padEnd(12),
            String(s.running).padEnd(8),
            String(s.nspawnPid ?? "-").padEnd(7),
            s.link.padEnd(7),
            String(s.partitioned).padEnd(10),
            String(s.mounted).padEnd(8),
            (s.ssh ? "ok" : "-").padEnd(4),
            (s.system ?? "-").padEnd(10),
            mib(s.memoryBytes),
          ].join(" "),
        );
      }
      return 0;
    }
    case "ssh": {
      need(1, "NODE");
      preflight(TOOLS_SSH, false);
      const { user, rest: r } = takeUser(rest);
      const n = lab.node(r[0]);
      const args = ssh.sshArgs(n, user);
      const res = spawnSync("ssh", r.length > 1 ? [...args, "--", ...r.slice(1)] : ["-t", ...args], { stdio: "inherit" });
      return res.status ?? 1;
    }
    case "exec": {
      need(2, "NODE and CMD");
      const { user, rest: r } = takeUser(rest);
      const res = await lab.exec(r[0], r.slice(1).join(" "), { user });
      process.stdout.write(res.stdout);
      process.stderr.write(res.stderr);
      return res.code;
    }
    case "connection": {
      need(1, "NODE");
      const { user, rest: r } = takeUser(rest);
      console.log(JSON.stringify(lab.connection(r[0], { user }), null, 2));
      return 0;
    }
    case "kill":
      need(1, "NODE");
      await lab.kill(rest[0]);
      console.log(`${lab.node(rest[0]).name} killed`);
      return 0;
    case "start": {
      need(1, "NODE");
      const r = await lab.start(rest[0]);
      console.log(`${r.name} ${r.reused ? "already running" : "started"}: ${r.state}${r.failed.length ? ` (failed: ${r.failed.join(" ")})` : ""}`);
      return 0;
    }
    case "partition":
      need(1, "NODE");
      await lab.partition(rest[0]);
      console.log(`${lab.node(rest[0]).name} partitioned from the other nodes`);
      return 0;
    case "heal":
      need(1, "NODE");
      await lab.heal(rest[0]);
      console.log(`${lab.node(rest[0]).name} healed`);
      return 0;
    case "reset": {
      need(1, "NODE");
      const r = await lab.reset(rest[0]);
      console.log(`${r.name} reset: ${r.state}`);
      return 0;
    }
    case "image": {
      preflight(["debootstrap", "unshare", "setpriv", "mount"]);
      const img = await ensureImage((m) => process.stderr.write(`[lab] ${m}\n`));
      console.log(img.dir);
      return 0;
    }
    case "image-path":
      console.log(`${imageDir()} (hash ${imageHash()})`);
      return 0;
    case undefined:
    case "help":
    case "-h":
    case "--help":
      console.log(USAGE);
      return cmd ? 0 : 2;
    default:
      console.error(`unknown command '${cmd}'\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof PreflightError ? err.message : (err as Error).message ?? err);
    process.exit(1);
  },
);
