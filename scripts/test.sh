#!/usr/bin/env bash
# The test command (`npm test`): set up what is missing, then run the whole pyramid — unit,
# providers (real sshd), lab and e2e (real Pulumi CLI against real hosts). Extra arguments go to
# jest (e.g. `npm test -- --selectProjects unit`).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
bash scripts/setup.sh
results=$(mktemp /tmp/pigsty-jest-XXXXXX.json)
set +e
npx jest --ci --json --outputFile="$results" "$@"
rc=$?
set -e
# A plain closing line any CI can read.
node -e '
const r = require(process.argv[1]);
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
if (r.numTotalTests === 0) { console.error("no test ran"); process.exit(1); }
' "$results" || rc=1
rm -f "$results"
exit $rc
