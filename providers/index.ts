export * from "./connection";
export * from "./RemoteCommand";
export * from "./RemoteFile";
