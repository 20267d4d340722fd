export * from "./host";
export * from "./secrets";
export * from "./Node";
export * from "./EtcdCluster";
export * from "./PgCluster";
