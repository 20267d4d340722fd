export * from "./connection";
export * from "./RemoteCommand";
export * from "./RemoteFile";
export * from "./SystemdService";
export * from "./Packages";
