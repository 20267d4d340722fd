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
cat <<'MSG'

Sandbox hosts: 10.10.10.10-13 (lab network, reachable from this machine only).
  npm run lab -- status          # what is running
  npm run lab -- ssh 0           # a shell on 10.10.10.10
  npm run sandbox -- preview     # what `up` would change (nothing, right after an up)
  npm run sandbox -- destroy     # remove what the sandbox deployed; `npm run lab -- down` stops the hosts
MSG
