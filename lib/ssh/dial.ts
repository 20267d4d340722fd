import { readFileSync } from "fs";
import { Client, ConnectConfig } from "ssh2";
import { Duplex } from "stream";
import { describeTarget, ResolvedConnection } from "./connection";
import { SshConnectError } from "./errors";
import { verifyKnownHosts, verifyPinned, HostKeyVerdict } from "./hostkey";

/** Keepalives detect a dead peer (powered-off host) in ~keepaliveInterval × keepaliveCountMax. */
const KEEPALIVE_INTERVAL_MS = 5_000;
const KEEPALIVE_COUNT_MAX = 3;
const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 5_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Decide whether a presented host key is acceptable for this connection. */
function hostKeyCheck(c: ResolvedConnection): (blob: Buffer) => HostKeyVerdict {
  const target = describeTarget(c);
  if (c.hostKey) return (blob) => verifyPinned(c.hostKey!, blob, target);
  if (c.knownHostsFile) {
    const file = c.knownHostsFile;
    return (blob) => {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (e) {
        return { ok: false, reason: `cannot read known_hosts file ${file}: ${(e as Error).message}` };
      }
      return verifyKnownHosts(text, c.host, c.port, blob, file);
    };
  }
  if (c.insecureIgnoreHostKey) return () => ({ ok: true });
  return () => ({
    ok: false,
    reason: `refusing ${target}: no host key to verify against; set connection.hostKey or connection.knownHostsFile (or insecureIgnoreHostKey: true, knowingly)`,
  });
}

function isAuthFailure(e: unknown): boolean {
  const err = e as { level?: string; message?: string };
  return err?.level === "client-authentication" || /All configured authentication methods failed/i.test(err?.message ?? "");
}

/** One attempt: TCP (or tunnel), handshake, host key check, authentication. */
function dialOnce(c: ResolvedConnection, sock?: Duplex): Promise<Client> {
  const target = describeTarget(c);
  const check = hostKeyCheck(c);
  return new Promise((resolve, reject) => {
    const client = new Client();
    let refused: string | undefined;
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(e);
    };
    const cfg: ConnectConfig = {
      host: c.host,
      port: c.port,
      username: c.user,
      readyTimeout: c.perDialTimeout > 0 ? c.perDialTimeout * 1000 : 2_147_483_647,
      keepaliveInterval: KEEPALIVE_INTERVAL_MS,
      keepaliveCountMax: KEEPALIVE_COUNT_MAX,
      hostVerifier: (key: Buffer) => {
        const v = check(key);
        if (!v.ok) refused = v.reason;
        return v.ok;
      },
    };
    if (sock) cfg.sock = sock;
    if (c.privateKey) {
      cfg.privateKey = c.privateKey;
      if (c.privateKeyPassword) cfg.passphrase = c.privateKeyPassword;
    }
    if (c.password) {
      cfg.password = c.password;
      cfg.tryKeyboard = true;
    }
    const agent = c.agentSocketPath ?? process.env.SSH_AUTH_SOCK;
    if (agent) cfg.agent = agent;
    if (!c.privateKey && !c.password && !agent) {
      reject(new SshConnectError(`no credentials for ${target}: set connection.privateKey or connection.password`, target, true));
      return;
    }
    if (c.password) {
      client.on("keyboard-interactive", (_n, _i, _l, prompts, finish) => finish(prompts.map(() => c.password!)));
    }
    client.once("ready", () => {
      settled = true;
      resolve(client);
    });
    client.on("error", (e: Error & { level?: string }) => {
      if (refused) return fail(new SshConnectError(refused, target, true));
      if (isAuthFailure(e)) {
        return fail(new SshConnectError(`authentication failed for ${target} (${e.message}); not retrying`, target, true));
      }
      fail(new SshConnectError(`${target}: ${e.message}`, target, false));
    });
    client.once("close", () => fail(new SshConnectError(refused ?? `${target}: connection closed during handshake`, target, !!refused)));
    try {
      client.connect(cfg);
    } catch (e) {
      // ssh2 throws synchronously for unusable keys: a configuration error, never retried.
      fail(new SshConnectError(`${target}: ${(e as Error).message}`, target, true));
    }
  });
}

/** Open a tunnel through the bastion to the target's host:port. */
async function tunnel(c: ResolvedConnection): Promise<{ sock: Duplex; bastion: Client }> {
  const bastion = await dial(c.proxy as ResolvedConnection);
  const sock = await new Promise<Duplex>((resolve, reject) =>
    bastion.forwardOut("127.0.0.1", 0, c.host, c.port, (err, stream) => {
      if (err) {
        bastion.end();
        reject(new SshConnectError(`bastion ${describeTarget(c.proxy!)} cannot reach ${c.host}:${c.port}: ${err.message}`, describeTarget(c), false));
      } else resolve(stream);
    }),
  );
  return { sock, bastion };
}

/**
 * Connect with retries: refused, timed-out, unreachable and reset dials are retried with backoff
 * (100 ms × 1.5, at most 5 s apart) up to `dialErrorLimit` attempts; authentication and host key
 * failures fail at once, so bad credentials never cause a retry storm.
 */
export async function dial(c: ResolvedConnection, log?: (msg: string) => void): Promise<Client> {
  const target = describeTarget(c);
  const limit = c.dialErrorLimit;
  let delay = FIRST_RETRY_DELAY_MS;
  for (let attempt = 1; ; attempt++) {
    let bastion: Client | undefined;
    try {
      let sock: Duplex | undefined;
      if (c.proxy) ({ sock, bastion } = await tunnel(c));
      const client = await dialOnce(c, sock);
      if (bastion) {
        const b = bastion;
        client.once("close", () => b.end());
      }
      return client;
    } catch (e) {
      bastion?.end();
      const err = e instanceof SshConnectError ? e : new SshConnectError(`${target}: ${(e as Error).message}`, target, false);
      if (err.permanent) throw err;
      if (limit >= 0 && attempt >= limit) {
        throw new SshConnectError(`cannot connect to ${target} after ${attempt} attempt(s): ${err.message}`, target, false);
      }
      log?.(`dial ${attempt}/${limit < 0 ? "∞" : limit} to ${target} failed (${err.message}); retrying in ${delay} ms`);
      await sleep(delay);
      delay = Math.min(Math.round(delay * 1.5), MAX_RETRY_DELAY_MS);
    }
  }
}
