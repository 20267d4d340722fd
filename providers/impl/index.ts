/**
 * The real provider implementations, loaded by name at run time by the thin serialized providers
 * (see ../loader.ts). Keep every export here backwards compatible with state written by older
 * versions: deletes of old resources run this code.
 */
import { packages } from "./packages";
import { remoteCommand } from "./remoteCommand";
import { remoteFile } from "./remoteFile";
import { systemdService } from "./systemdService";

export const implementations = {
  RemoteCommand: remoteCommand,
  RemoteFile: remoteFile,
  SystemdService: systemdService,
  Packages: packages,
};
