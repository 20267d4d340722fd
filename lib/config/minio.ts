// MINIO module parameters (Pigsty roles/minio defaults; Pigsty 4 deploys its MinIO fork "Silo").
import { z } from "zod";
import { bool, int, port, secret } from "./common";

export const MinioBucketSchema = z.object({
    name: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a valid S3 bucket name"),
    versioning: bool.default(false),
    lock: bool.default(false),
});
export const MinioUserSchema = z.object({
    access_key: z.string().min(3, "must be at least 3 characters"),
    /** Secret. MinIO requires ≥ 8 characters. */
    secret_key: secret.min(8, "must be at least 8 characters"),
    policy: z.string().min(1),
});

export const MinioVarsSchema = z.object({
    /** MinIO cluster name, `^[A-Za-z0-9-]+$`. Required; not allowed in all.vars. */
    minio_cluster: z.string().regex(/^[A-Za-z0-9-]+$/, "must match ^[A-Za-z0-9-]+$"),
    /** Only `silo` is supported (Pigsty asserts this). */
    minio_type: z.literal("silo", { message: "must be silo" }).default("silo"),
    /** OS user running MinIO. */
    minio_user: z.string().default("minio"),
    /** Serve HTTPS (certificates under ~minio/.minio/certs). */
    minio_https: bool.default(true),
    /** Node name pattern; `${minio_cluster}` and `${minio_seq}` are expanded per member. */
    minio_node: z.string().default("${minio_cluster}-${minio_seq}.pigsty"),
    /** Data path; multi-drive `/data{1...4}/minio`. */
    minio_data: z.string().default("/data/minio"),
    /** Override of the computed MINIO_VOLUMES. */
    minio_volumes: z.string().optional(),
    /** Service domain of the cluster. */
    minio_domain: z.string().default("sss.pigsty"),
    /** S3 API port. */
    minio_port: port.default(9000),
    /** Console port. */
    minio_admin_port: port.default(9001),
    /** Root user. */
    minio_access_key: z.string().default("minioadmin"),
    minio_secret_key: secret.min(8, "must be at least 8 characters").default("S3User.MinIO"),
    /** Extra lines for the MinIO environment file. */
    minio_extra_vars: z.string().default(""),
    /** Create buckets and users after start. */
    minio_provision: bool.default(true),
    /** mcli alias of the cluster. */
    minio_alias: z.string().default("sss"),
    /** Endpoint used by clients (mcli, pgBackRest). */
    minio_endpoint: z.string().default("https://sss.pigsty:9000"),
    /** Buckets to create `{name, versioning, lock}`. */
    minio_buckets: z.array(MinioBucketSchema).prefault([
        { name: "pgsql" }, { name: "meta", versioning: true }, { name: "data" },
    ]),
    /** Users to create `{access_key, secret_key, policy}`. */
    minio_users: z.array(MinioUserSchema).default([
        { access_key: "pgbackrest", secret_key: "S3User.Backup", policy: "pgsql" },
        { access_key: "s3user_meta", secret_key: "S3User.Meta", policy: "meta" },
        { access_key: "s3user_data", secret_key: "S3User.Data", policy: "data" },
    ]),
    /** Removal refuses while true. */
    minio_safeguard: bool.default(false),
    /** Removal deletes data. */
    minio_rm_data: bool.default(true),
    /** Removal uninstalls packages. */
    minio_rm_pkg: bool.default(false),
});
export type MinioVars = z.infer<typeof MinioVarsSchema>;
export type MinioVarsInput = z.input<typeof MinioVarsSchema>;

export const MinioMemberSchema = z.object({
    ip: z.string(),
    minio_seq: int((n) => n.min(0, "must be an integer >= 0")),
});
export type MinioMember = z.infer<typeof MinioMemberSchema>;

export interface MinioClusterConfig extends MinioVars {
    /** Members sorted by minio_seq. */
    members: MinioMember[];
}
