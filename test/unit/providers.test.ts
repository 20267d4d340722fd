import { remoteCommand } from "../../providers/impl/remoteCommand";
import { remoteFile } from "../../providers/impl/remoteFile";
import { UNKNOWN } from "../../providers/impl/common";

// The decision logic of the providers (check and diff): pure, no host involved.
const connection = { host: "10.10.10.11", user: "root", privateKey: "k", hostKey: "ssh-ed25519 AAAA" };

describe("RemoteCommand check", () => {
  test("fills defaults so a new default never shows as a diff", async () => {
    const r = await remoteCommand.check!({}, { connection, create: "true" });
    expect(r.failures).toEqual([]);
    expect(r.inputs).toMatchObject({ logging: "stdoutAndStderr", timeout: 900, secretInputs: [] });
  });
  test("names every offending field", async () => {
    const r = await remoteCommand.check!({}, { connection: { host: "h" }, create: 3, logging: "all", timeout: -1, environment: { "1x": "a" } });
    const props = r.failures!.map((f) => f.property).sort();
    expect(props).toEqual(["connection.hostKey", "connection.privateKey", "create", "environment.1x", "logging", "timeout"]);
    expect(r.failures!.find((f) => f.property === "connection.hostKey")!.reason).toContain("of h has no host key");
  });
  test("unknown values (preview) are not rejected", async () => {
    const r = await remoteCommand.check!({}, { connection: { ...connection, host: UNKNOWN }, create: UNKNOWN });
    expect(r.failures).toEqual([]);
  });
});

describe("RemoteCommand diff", () => {
  const olds = { connection, create: "a", delete: "d", triggers: [1], logging: "none", timeout: 900, secretInputs: [], stdout: "", stderr: "" };
  test("nothing changed: no changes", async () => {
    expect(await remoteCommand.diff!("id", olds, { ...olds })).toEqual({ changes: false, replaces: [] });
  });
  test("triggers or another host replace; command text updates", async () => {
    expect((await remoteCommand.diff!("id", olds, { ...olds, triggers: [2] })).replaces).toEqual(["triggers"]);
    expect((await remoteCommand.diff!("id", olds, { ...olds, connection: { ...connection, host: "10.10.10.12" } })).replaces).toEqual(["connection"]);
    expect(await remoteCommand.diff!("id", olds, { ...olds, create: "b" })).toEqual({ changes: true, replaces: [] });
  });
  test("an unknown input in preview counts as a change", async () => {
    expect((await remoteCommand.diff!("id", olds, { ...olds, create: UNKNOWN })).changes).toBe(true);
  });
});

describe("RemoteFile check and diff", () => {
  test("content hash and mode are normalised in check", async () => {
    const r = await remoteFile.check!({}, { connection, path: "/etc/x", content: "a\n", mode: "600" });
    expect(r.failures).toEqual([]);
    expect(r.inputs.mode).toBe("0600");
    expect(r.inputs.contentHash).toBe("87428fc522803d31065e7bce3cf03fe475096631e5e07bbd7a0fde60c4cf25c7");
  });
  test("exactly one of content and source; absolute path; valid mode", async () => {
    const r = await remoteFile.check!({}, { connection, path: "etc/x", mode: "9" });
    expect(r.failures!.map((f) => f.property).sort()).toEqual(["content", "mode", "path"]);
    const src = await remoteFile.check!({}, { connection, path: "/x", source: "/nonexistent/file" });
    expect(src.failures![0].reason).toContain("/nonexistent/file cannot be read");
  });
  const olds = { connection, path: "/etc/x", content: "a\n", contentHash: "h1", mode: "0644", secretInputs: [], sha256: "h1", size: 2 };
  test("unchanged: no changes; drifted remote hash: update; new path: replace, old file removed first", async () => {
    expect((await remoteFile.diff!("id", olds, { ...olds })).changes).toBe(false);
    expect((await remoteFile.diff!("id", { ...olds, sha256: "drifted" }, { ...olds })).changes).toBe(true);
    const moved = await remoteFile.diff!("id", olds, { ...olds, path: "/etc/y" });
    expect(moved).toEqual({ changes: true, replaces: ["path"], deleteBeforeReplace: true });
  });
});
