#!/usr/bin/env bash
# Make this checkout ready to run: host packages, node_modules, the compiled library, the Pulumi CLI.
# Idempotent and fast when nothing changed (each step checks before it acts). Used by `npm test`
# and `npm run sandbox`, so both work on a fresh machine.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
log() { echo "[setup] $*" >&2; }

# 1. Debian packages the tests and the lab need (lists kept next to the code that needs them).
wanted=$(cat scripts/*-packages.txt 2>/dev/null | sed 's/#.*//' | tr -s ' \t' '\n' | grep -v '^$' | sort -u || true)
missing=()
for p in $wanted; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "missing Debian packages: ${missing[*]} (run as root, or apt-get install them)" >&2
    exit 2
  fi
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d: installing server packages on the host must not start their services here.
  had_policy=0; [[ -e /usr/sbin/policy-rc.d ]] && had_policy=1
  ((had_policy)) || printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  ((had_policy)) || rm -f /usr/sbin/policy-rc.d
fi

# 2. node_modules, reinstalled only when the lockfile changed.
stamp=node_modules/.pigsty-lock-sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  log "npm ci"
  npm ci --no-audit --no-fund >&2
  echo "$want" > "$stamp"
fi

# 3. Compile (providers run compiled JS in the Pulumi provider process).
log "tsc"
npx tsc -p tsconfig.json

# 4. The pinned Pulumi CLI (built from the Go module proxy once, then cached outside the repo).
bash scripts/pulumi-cli.sh >/dev/null
