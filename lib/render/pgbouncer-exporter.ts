// A small pgbouncer exporter (python3 + psycopg2, both on every PGSQL host).
//
// Why our own: Debian 12's prometheus-pgbouncer-exporter (1.7) crashes against its own pgbouncer
// 1.18 (KeyError 'total_requests'), and the Go exporter is not available from the module proxy we
// can reach. This one is generic on purpose: every numeric column of SHOW STATS / POOLS / DATABASES /
// LISTS becomes `pgbouncer_<show>_<column>{database,user}`, so pgbouncer versions that add or rename
// columns never break it.
import { header } from "./util";

/**
 * /pg/bin/pgbouncer_exporter.py. It logs into pgbouncer's admin console as the monitor user
 * (a `stats_users` member), with the DSN and PGPASSWORD from /etc/default/pgbouncer_exporter.
 */
export function renderPgbouncerExporter(): string {
    return `#!/usr/bin/env python3
${header("pgbouncer exporter").trimEnd()}
import argparse, decimal, http.server, os, re
import psycopg2

SHOWS = ["stats", "pools", "databases", "lists"]
LABELS = {"database", "user", "name", "list"}


def name(s):
    return re.sub(r"[^a-zA-Z0-9_]", "_", s)


def esc(v):
    return str(v).replace("\\\\", "\\\\\\\\").replace('"', '\\\\"')


def scrape(dsn):
    out = []
    try:
        conn = psycopg2.connect(dsn)
        conn.autocommit = True  # the admin console knows no transactions
    except Exception as e:
        return "# pgbouncer unreachable: %s\\npgbouncer_up 0\\n" % name(str(e))[:200]
    try:
        cur = conn.cursor()
        for show in SHOWS:
            cur.execute("SHOW " + show.upper())
            cols = [d[0] for d in cur.description]
            for row in cur.fetchall():
                labels = ",".join('%s="%s"' % (c, esc(v)) for c, v in zip(cols, row) if c in LABELS and v is not None)
                for c, v in zip(cols, row):
                    if c in LABELS or isinstance(v, bool) or not isinstance(v, (int, float, decimal.Decimal)):
                        continue
                    out.append("pgbouncer_%s_%s{%s} %s" % (show, name(c), labels, v))
        out.append("pgbouncer_up 1")
    except Exception as e:
        out.append("# scrape failed: %s" % name(str(e))[:200])
        out.append("pgbouncer_up 0")
    finally:
        conn.close()
    return "\\n".join(out) + "\\n"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=9631)
    # the password comes from PGPASSWORD in the unit's environment file, never the command line
    p.add_argument("--dsn", default=os.environ.get("PGBOUNCER_EXPORTER_DSN", "host=/var/run/postgresql port=6432 dbname=pgbouncer"))
    a = p.parse_args()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = scrape(a.dsn).encode() if self.path.startswith("/metrics") else b"pgbouncer exporter: see /metrics\\n"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    http.server.ThreadingHTTPServer(("", a.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
`;
}
