// Running the real validators (haproxy, patroni, postgres …) from Debian packages.
// A missing binary FAILS the test in CI (CI=true) and skips it locally, with the package to install.
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const EXTRA_PATHS = ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/lib/postgresql/15/bin"];

export function which(bin: string): string | undefined {
    if (bin.startsWith("/")) return fs.existsSync(bin) ? bin : undefined;
    for (const d of [...(process.env.PATH ?? "").split(":"), ...EXTRA_PATHS]) {
        const p = path.join(d, bin);
        try { fs.accessSync(p, fs.constants.X_OK); return p; } catch { /* next */ }
    }
    return undefined;
}

/** `test()` that needs binaries: fails in CI when one is missing, skips locally. */
export function toolTest(name: string, bins: string[], fn: () => void | Promise<void>, timeout = 60_000): void {
    const missing = bins.filter((b) => !which(b));
    if (missing.length > 0 && !process.env.CI) {
        test.skip(`${name} [missing ${missing.join(", ")}: apt-get install the packages of scripts/ci-packages.txt]`, () => undefined);
        return;
    }
    test(name, async () => {
        if (missing.length > 0) throw new Error(`validator binaries missing: ${missing.join(", ")} (scripts/ci-packages.txt lists the packages)`);
        await fn();
    }, timeout);
}

export const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

/** Runs a command, as `user` when we are root (postgres and pgbouncer refuse to run as root). */
export function run(cmd: string, args: string[], opts: { user?: string; timeout?: number; input?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
    const [c, a] = opts.user && isRoot ? [which("runuser") ?? "runuser", ["-u", opts.user, "--", which(cmd) ?? cmd, ...args]] : [which(cmd) ?? cmd, args];
    return spawnSync(c, a, { encoding: "utf8", timeout: opts.timeout ?? 30_000, input: opts.input, env: opts.env ?? process.env });
}

export function output(r: SpawnSyncReturns<string>): string {
    return `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}`;
}

const created: string[] = [];
/** Removes every temp dir made by `tempDir` (call from afterAll). */
export function cleanupTempDirs(): void {
    for (const d of created.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** A temp dir, owned by `user` when we are root so that user can write into it. */
export function tempDir(prefix: string, user?: string): string {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), `pigsty-${prefix}-`));
    created.push(d);
    fs.chmodSync(d, 0o755); // service users (postgres, redis, etcd) read certificates and configs from here
    if (user && isRoot) chownR(d, user);
    return d;
}

export function chownR(p: string, user: string): void {
    if (!isRoot) return;
    spawnSync("chown", ["-R", `${user}:`, p]);
}

export function write(file: string, content: string): string {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
}

/** First non-loopback network interface of this host (keepalived refuses unknown and loopback NICs). */
export function hostInterface(): string | undefined {
    return Object.entries(os.networkInterfaces()).find(([name, addrs]) => name !== "lo" && (addrs ?? []).some((a) => a.family === "IPv4" && !a.internal))?.[0];
}

/** A throwaway CA and a server certificate for 127.0.0.1/localhost (openssl). */
export function makeCerts(dir: string): { ca: string; cert: string; key: string } {
    const ca = path.join(dir, "ca.crt"), caKey = path.join(dir, "ca.key"), cert = path.join(dir, "server.crt"), key = path.join(dir, "server.key");
    const csr = path.join(dir, "server.csr"), ext = path.join(dir, "ext.cnf");
    const ok = (r: SpawnSyncReturns<string>) => { if (r.status !== 0) throw new Error(output(r)); };
    ok(run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey, "-out", ca, "-days", "2", "-subj", "/CN=test-ca"]));
    ok(run("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=localhost"]));
    fs.writeFileSync(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n");
    ok(run("openssl", ["x509", "-req", "-in", csr, "-CA", ca, "-CAkey", caKey, "-CAcreateserial", "-out", cert, "-days", "2", "-extfile", ext]));
    for (const f of [ca, cert, key]) fs.chmodSync(f, 0o644);
    return { ca, cert, key };
}

/** Fails with the tool's own output when it did not exit 0. */
export function expectOk(r: SpawnSyncReturns<string>, label: string): void {
    if (r.status !== 0) throw new Error(`${label}: exit ${r.status}\n${output(r)}`);
}
