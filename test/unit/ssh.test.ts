import { createHmac } from "crypto";
import { utils } from "ssh2";
import { buildInvocation, normalizeMode, parsePublicKey, redact, resolveConnection, verifyKnownHosts, verifyPinned, describeTarget } from "../../lib/ssh";

const key = utils.generateKeyPairSync("ed25519").public.trim();
const blob = parsePublicKey(key).blob;
const otherBlob = parsePublicKey(utils.generateKeyPairSync("ed25519").public).blob;

describe("host key verification", () => {
  test("a pinned key accepts exactly that key", () => {
    expect(verifyPinned(key, blob, "root@h:22").ok).toBe(true);
    const v = verifyPinned(key, otherBlob, "root@h:22");
    expect(v.ok).toBe(false);
    expect(v.reason).toContain("host key mismatch for root@h:22");
    expect(v.reason).toContain("ssh-ed25519");
  });

  test("a malformed pinned key is a clear error", () => {
    expect(() => verifyPinned("AAAA", blob, "x")).toThrow(/authorized_keys format/);
  });

  test.each([
    ["plain host", `10.0.0.1 ${key}`, "10.0.0.1", 22, true],
    ["host list", `a,10.0.0.1 ${key}`, "10.0.0.1", 22, true],
    ["non-standard port", `[10.0.0.1]:2222 ${key}`, "10.0.0.1", 2222, true],
    ["port 22 entry does not cover 2222", `10.0.0.1 ${key}`, "10.0.0.1", 2222, false],
    ["wildcard", `10.0.0.* ${key}`, "10.0.0.7", 22, true],
    ["negated", `10.0.0.*,!10.0.0.7 ${key}`, "10.0.0.7", 22, false],
    ["comment and blank lines", `# c\n\n10.0.0.1 ${key} me@x`, "10.0.0.1", 22, true],
  ])("known_hosts: %s", (_n, text, host, port, ok) => {
    expect(verifyKnownHosts(text, host, port, blob, "/kh").ok).toBe(ok);
  });

  test("hashed known_hosts entries", () => {
    const salt = Buffer.from("0123456789abcdef0123");
    const hash = createHmac("sha1", salt).update("10.0.0.5").digest("base64");
    const text = `|1|${salt.toString("base64")}|${hash} ${key}`;
    expect(verifyKnownHosts(text, "10.0.0.5", 22, blob, "/kh").ok).toBe(true);
    expect(verifyKnownHosts(text, "10.0.0.6", 22, blob, "/kh").ok).toBe(false);
  });

  test("a recorded host with another key is a mismatch, an unrecorded host is unknown, @revoked refuses", () => {
    const k = `10.0.0.1 ${key}`;
    expect(verifyKnownHosts(k, "10.0.0.1", 22, otherBlob, "/kh").reason).toContain("host key mismatch for 10.0.0.1");
    expect(verifyKnownHosts(k, "10.0.0.2", 22, blob, "/kh").reason).toContain("no known host key for 10.0.0.2 in /kh");
    expect(verifyKnownHosts(`@revoked 10.0.0.1 ${key}\n${k}`, "10.0.0.1", 22, blob, "/kh").reason).toContain("@revoked");
  });
});

describe("command invocation", () => {
  test("environment and script travel on stdin, not on the command line", () => {
    const inv = buildInvocation({ command: "psql -c 'select 1'", environment: { PGPASSWORD: "hunter2-secret" }, timeoutSeconds: 30 }, false);
    expect(inv.commandLine).not.toContain("hunter2");
    expect(inv.commandLine).not.toContain("psql");
    expect(inv.commandLine).toBe(`timeout -k 5 30 sh -c 'eval "$(dd bs=1 count=${inv.script.length} 2>/dev/null)"'`);
    expect(inv.script.toString()).toBe("export PGPASSWORD='hunter2-secret'\npsql -c 'select 1'\n");
  });

  test("sudo wraps the whole invocation; no timeout when 0", () => {
    const inv = buildInvocation({ command: "id -u", timeoutSeconds: 0 }, true);
    expect(inv.commandLine).toMatch(/^sudo -n -- sh -c /);
  });

  test("quotes survive in values; bad variable names are refused", () => {
    expect(buildInvocation({ command: "x", environment: { A: "it's" } }, false).script.toString()).toContain(`export A='it'\\''s'`);
    expect(() => buildInvocation({ command: "x", environment: { "A-B": "1" } }, false)).toThrow(/not a valid shell name/);
  });

  test("byte length counts UTF-8 bytes", () => {
    const inv = buildInvocation({ command: "echo é" }, false);
    expect(inv.commandLine).toContain(`count=${Buffer.byteLength("echo é\n")}`);
  });
});

describe("small helpers", () => {
  test("redact masks every occurrence, longest first, ignores tiny values", () => {
    expect(redact("pw=abcdef and abcdef123", ["abcdef", "abcdef123", "ab"])).toBe("pw=[secret] and [secret]");
    expect(redact("nothing", undefined)).toBe("nothing");
  });
  test("normalizeMode", () => {
    expect(normalizeMode("644")).toBe("0644");
    expect(normalizeMode("0600")).toBe("0600");
    expect(() => normalizeMode("999")).toThrow(/octal/);
  });
  test("connection defaults and target names", () => {
    const c = resolveConnection({ host: "10.0.0.1", proxy: { host: "bastion", user: "jump" } });
    expect(c).toMatchObject({ port: 22, user: "root", dialErrorLimit: 10, perDialTimeout: 15 });
    expect(describeTarget(c)).toBe("root@10.0.0.1:22 via jump@bastion:22");
    expect(() => resolveConnection({ host: "" })).toThrow(/connection.host is required/);
    expect(() => resolveConnection({ host: "h", port: 70000 })).toThrow(/port must be an integer/);
  });
});
