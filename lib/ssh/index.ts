export * from "./connection";
export * from "./errors";
export * from "./hostkey";
export * from "./pool";
export * from "./exec";
export * from "./files";
export { dial } from "./dial";
