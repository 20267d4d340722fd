#!/usr/bin/env bash
# The main job (`npm run sandbox`): set up, boot the 4 lab hosts (10.10.10.10-13), and run
# `pulumi up` of the sandbox program on them. Later runs reuse the running lab and change nothing.
#   npm run sandbox                 # up
#   npm run sandbox -- preview      # or refresh, destroy, outputs
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
bash scripts/setup.sh
node dist/test/lab/cli.js up 4
node dist/examples/run.js sandbox "${1:-up}"
[[ "${1:-up}" == up ]] || exit 0
cat <<'MSG'

The sandbox is up (lab network 10.10.10.0/24, reachable from this machine only):
  10.10.10.10   etcd, pg-meta (database meta, user dbuser_meta)
  10.10.10.11-13  pg-test: 3 instances, Patroni HA; services on every member:
                5433 primary (via pgbouncer)  5434 replicas  5436 primary direct  5438 offline
Connection strings, with the generated passwords (kept in .pulumi/sandbox-credentials.json, 0600):
  npm run -s sandbox -- outputs
  psql "postgres://test:<app_password>@10.10.10.12:5433/test"
Next:
  npm run lab -- ssh 1                                          # a shell on 10.10.10.11
  npm run lab -- exec 1 patronictl -c /etc/patroni/patroni.yml list
  npm run sandbox -- preview                                    # nothing to change right after an up
  npm run sandbox -- destroy  &&  npm run lab -- down           # remove everything
MSG
