// MinIO server environment (Pigsty: /etc/default/silo). Debian has no MinIO package; the binary is
// built from the Go module (github.com/minio/minio) and installed as /usr/local/bin/minio.
import { MinioClusterConfig, MinioMember } from "../config/minio";
import { expandPlaceholders } from "../config/placeholders";
import { header, lines } from "./util";

/** Node name of a member: minio_node with `${minio_cluster}`/`${minio_seq}` expanded. */
export function minioNodeName(minio: MinioClusterConfig, m: MinioMember): string {
    return expandPlaceholders(minio.minio_node, { minio_cluster: minio.minio_cluster, minio_seq: m.minio_seq }, `${minio.minio_cluster}: minio_node`);
}

/**
 * MINIO_VOLUMES: minio_volumes if set; the data path for one node; else
 * `<scheme>://<minio_node with seq → {min...max}>:<port><minio_data>`.
 */
export function minioVolumes(minio: MinioClusterConfig): string {
    if (minio.minio_volumes) return minio.minio_volumes;
    if (minio.members.length <= 1) return minio.minio_data;
    const seqs = minio.members.map((m) => m.minio_seq);
    const range = `{${Math.min(...seqs)}...${Math.max(...seqs)}}`;
    const node = expandPlaceholders(minio.minio_node, { minio_cluster: minio.minio_cluster, minio_seq: range }, `${minio.minio_cluster}: minio_node`);
    return `${minio.minio_https ? "https" : "http"}://${node}:${minio.minio_port}${minio.minio_data}`;
}

/** /etc/default/minio (secret: root credentials). */
export function renderMinioEnv(minio: MinioClusterConfig): string {
    return header(`minio ${minio.minio_cluster} environment (contains credentials: keep 0600)`) + lines(
        `MINIO_OPTS="--address :${minio.minio_port} --console-address :${minio.minio_admin_port}${minio.minio_https ? " --certs-dir /home/minio/.minio/certs" : ""}"`,
        `MINIO_VOLUMES="${minioVolumes(minio)}"`,
        `MINIO_ROOT_USER="${minio.minio_access_key}"`,
        `MINIO_ROOT_PASSWORD="${minio.minio_secret_key}"`,
        "MINIO_PROMETHEUS_AUTH_TYPE=public",
        `MINIO_SERVER_URL="${minio.minio_https ? "https" : "http"}://${minio.minio_domain}:${minio.minio_port}"`,
        minio.minio_extra_vars !== "" && minio.minio_extra_vars,
    );
}
