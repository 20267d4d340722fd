// The base image: built once by build-image.sh, cached outside the repository under a hash of its
// inputs, and used read-only as the lower layer of every node's overlay root.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { cacheDir, MIRROR, SECURITY_MIRROR, sourceDir, SUITE } from "./config";
import { withLock } from "./lock";
import { runOk } from "./sh";

export interface Image {
  dir: string; // <cache>/lab/base-<hash>
  rootfs: string; // <dir>/rootfs: the overlay lower layer
  hash: string;
  built: boolean; // true if this call built it (false: cache hit)
  buildSeconds?: number;
}

export function imageInputs(): { script: string; packages: string } {
  const src = sourceDir();
  return {
    script: fs.readFileSync(path.join(src, "build-image.sh"), "utf8"),
    packages: fs.readFileSync(path.join(src, "image-packages.txt"), "utf8"),
  };
}

/** sha256 of what determines the image's content: suite, package list, build script text. The
 *  mirror is left out on purpose: the same packages from another mirror are the same image. */
export function imageHash(): string {
  const { script, packages } = imageInputs();
  return createHash("sha256").update(`suite=${SUITE}\n\0${packages}\0${script}`).digest("hex").slice(0, 16);
}

export function imageDir(hash = imageHash()): string {
  return path.join(cacheDir(), `base-${hash}`);
}

/** Complete = renamed into place, which happens only after a successful build. */
export function imageReady(dir = imageDir()): boolean {
  return fs.existsSync(path.join(dir, "rootfs", "usr", "bin", "systemctl")) && fs.existsSync(path.join(dir, "image.json"));
}

export async function ensureImage(log: (msg: string) => void = () => undefined): Promise<Image> {
  const hash = imageHash();
  const dir = imageDir(hash);
  if (imageReady(dir)) return { dir, rootfs: path.join(dir, "rootfs"), hash, built: false };
  fs.mkdirSync(cacheDir(), { recursive: true });
  return withLock(`${dir}.lock`, async () => {
    if (imageReady(dir)) return { dir, rootfs: path.join(dir, "rootfs"), hash, built: false }; // built while we waited
    removeStaleBuilds(hash);
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp);
    const started = Date.now();
    log(`building base image ${path.basename(dir)} (debootstrap ${SUITE} + packages; takes several minutes)…`);
    const src = sourceDir();
    // Own mount and PID namespaces: the chroot's /proc, /dev … mounts die with the build, and
    // so does every process of it (debootstrap, apt, maintainer scripts) when we die, even by
    // SIGKILL: setpriv's parent-death signal kills unshare, --kill-child kills the namespace's
    // init, and the kernel kills the rest of the namespace. No orphan keeps writing into a
    // temporary directory the next build will delete.
    await runOk("setpriv", [
      "--pdeathsig",
      "KILL",
      "unshare",
      "--mount",
      "--propagation",
      "private",
      "--pid",
      "--fork",
      "--kill-child",
      "bash",
      path.join(src, "build-image.sh"),
      path.join(tmp, "rootfs"),
      SUITE,
      MIRROR,
      SECURITY_MIRROR,
      path.join(src, "image-packages.txt"),
    ]);
    const buildSeconds = Math.round((Date.now() - started) / 1000);
    fs.writeFileSync(
      path.join(tmp, "image.json"),
      JSON.stringify({ hash, suite: SUITE, mirror: MIRROR, builtAt: new Date().toISOString(), buildSeconds }, null, 2) + "\n",
    );
    fs.renameSync(tmp, dir); // atomic: the image appears complete or not at all
    log(`base image built in ${buildSeconds}s: ${dir}`);
    return { dir, rootfs: path.join(dir, "rootfs"), hash, built: true, buildSeconds };
  });
}

/** Leftovers of interrupted builds (base-*.tmp-<pid> whose builder is gone). */
function removeStaleBuilds(hash: string): void {
  for (const entry of fs.readdirSync(cacheDir())) {
    const m = /^base-([0-9a-f]+)\.tmp-(\d+)$/.exec(entry);
    if (!m) continue;
    const pid = Number(m[2]);
    let running = false;
    try {
      process.kill(pid, 0);
      running = pid !== process.pid || m[1] !== hash;
    } catch {
      running = false;
    }
    if (!running) fs.rmSync(path.join(cacheDir(), entry), { recursive: true, force: true });
  }
}
