import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "fs";
import { normalizeMode, removeFile, sha256, sharedPool, statFile, uploadFile } from "../../lib/ssh";
import { asConnection, changed, CheckFailure, checkConnection, connectionSecrets, containsUnknown, identityChanged, newId } from "./common";

/** The inputs as stored (after check). Exactly one of content/source. */
export interface FileInputs {
  connection: Record<string, unknown>;
  path: string;
  /** File content as a string. */
  content?: string;
  /** Absolute path of a local file to upload instead of `content`. */
  source?: string;
  /** sha256 of the content to upload (filled by check from content or source). */
  contentHash: string;
  mode: string;
  owner?: string;
  group?: string;
  /** Names of inputs that were secrets (content): masked in messages. */
  secretInputs: string[];
  __provider?: string;
}

export interface FileOutputs extends FileInputs {
  /** sha256 of the file on the host as last seen (after create/update, or observed by refresh). */
  sha256: string;
  size: number;
}

function body(p: FileInputs): Buffer {
  if (p.content !== undefined) return Buffer.from(p.content, "utf8");
  try {
    return readFileSync(p.source!);
  } catch (e) {
    throw new Error(`source ${p.source} for ${p.path} cannot be read: ${(e as Error).message}`);
  }
}

function secretsOf(p: FileInputs): string[] {
  const own = (p.secretInputs ?? []).includes("content") && p.content ? p.content.split("\n").filter((l) => l.length >= 6) : [];
  return [...connectionSecrets(p.connection), ...own];
}

async function put(p: FileInputs): Promise<FileOutputs> {
  const content = body(p);
  await uploadFile(sharedPool(), asConnection(p.connection), {
    path: p.path,
    content,
    mode: p.mode,
    owner: p.owner,
    group: p.group,
    step: `write ${p.path}`,
    secrets: secretsOf(p),
  });
  return { ...p, sha256: sha256(content), size: content.length };
}

export const remoteFile: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    const failures: CheckFailure[] = [];
    checkConnection(news.connection, failures);
    const known = (v: unknown) => !containsUnknown(v);
    if (known(news.path) && (typeof news.path !== "string" || !news.path.startsWith("/") || news.path.endsWith("/"))) {
      failures.push({ property: "path", reason: `path must be an absolute file path (got ${JSON.stringify(news.path)})` });
    }
    const hasContent = news.content !== undefined;
    const hasSource = news.source !== undefined;
    if (hasContent === hasSource) failures.push({ property: "content", reason: "set exactly one of content or source" });
    if (hasContent && known(news.content) && typeof news.content !== "string") failures.push({ property: "content", reason: "content must be a string" });
    let mode = news.mode ?? "0644";
    if (known(mode)) {
      try {
        mode = normalizeMode(String(mode));
      } catch (e) {
        failures.push({ property: "mode", reason: (e as Error).message });
      }
    }
    let contentHash: string = news.contentHash;
    if (hasContent && known(news.content) && typeof news.content === "string") contentHash = sha256(news.content);
    if (hasSource && known(news.source)) {
      try {
        contentHash = sha256(readFileSync(String(news.source)));
      } catch (e) {
        failures.push({ property: "source", reason: `source ${news.source} cannot be read: ${(e as Error).message}` });
      }
    }
    return { inputs: { ...news, mode, contentHash, secretInputs: news.secretInputs ?? [] }, failures };
  },

  async diff(_id, olds: FileOutputs, news: FileInputs) {
    const replaces: string[] = [];
    if (identityChanged(olds.connection, news.connection)) replaces.push("connection");
    if (changed(olds.path, news.path)) replaces.push("path");
    const contentChanged = containsUnknown(news.contentHash) || news.contentHash === undefined || olds.sha256 !== news.contentHash;
    const changes =
      replaces.length > 0 ||
      contentChanged ||
      (["mode", "owner", "group", "connection", "content", "source"] as const).some((k) => changed(olds[k], news[k]));
    // The old file is removed before the new one is written: both may be the same path on the same host.
    return { changes, replaces, deleteBeforeReplace: replaces.length > 0 };
  },

  async create(inputs: FileInputs) {
    return { id: newId("file"), outs: await put(inputs) };
  },

  async read(id, props: FileOutputs) {
    const now = await statFile(sharedPool(), asConnection(props.connection), props.path);
    if (!now.exists) return { id: "" }; // gone: refresh drops it, the next up writes it again
    // Owner and group are compared only when the program sets them (protobuf cannot carry undefined).
    const observed: FileOutputs = { ...props, sha256: now.sha256, mode: now.mode };
    if (props.owner !== undefined) observed.owner = now.owner;
    if (props.group !== undefined) observed.group = now.group;
    return { id, props: observed };
  },

  async update(_id, olds: FileOutputs, news: FileInputs) {
    const same = olds.sha256 === news.contentHash && !changed(olds.mode, news.mode) && !changed(olds.owner, news.owner) && !changed(olds.group, news.group);
    if (same) return { outs: { ...news, sha256: olds.sha256, size: olds.size } };
    return { outs: await put(news) };
  },

  async delete(_id, props: FileOutputs) {
    await removeFile(sharedPool(), asConnection(props.connection), props.path);
  },
};
