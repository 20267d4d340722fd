#!/usr/bin/env bash
# The test command (`npm test`): set up what is missing, then run the whole pyramid — unit,
# providers (real sshd), lab and e2e (real Pulumi CLI against real hosts). Extra arguments go to
# jest (e.g. `npm test -- --selectProjects unit`).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
bash scripts/setup.sh
results="$repo/.test-results.json"   # git-ignored
rm -f "$results"
set +e
npx jest --ci --json --outputFile="$results" "$@"
rc=$?
set -e
# A plain closing line any CI can read.
node -e '
const fs = require("fs");
if (!fs.existsSync(process.argv[1])) { console.log("0 passed, 1 failed"); console.error("jest wrote no results"); process.exit(1); }
const r = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
if (r.numTotalTests === 0) { console.error("no test ran"); process.exit(1); }
' "$results" || rc=1
exit $rc
