#!/usr/bin/env bash
# Ensure the Pulumi CLI pinned by package.json is available, without get.pulumi.com.
#
# Prints the directory holding `pulumi` and the `pulumi-resource-pulumi-nodejs` shim on the
# last line of stdout (logs go to stderr).
#
# Order: a `pulumi` on PATH of the pinned version is used as is; else a previous build in the
# cache is reused; else the CLI is built from the Go module proxy (pulumi-anchors.md §1) into a
# cache directory outside the repository, so reruns are instant.
#
# Only the CLI is built. The Node.js language host (`pulumi-language-nodejs`) lives in an
# untagged Go module that the module proxy we can reach refuses to serve (403 "not available"),
# so our programs run through the Automation API's inline mode, where the program runs in our
# own Node process and the CLI connects to it (`--client`): no language host needed.
#
# The version comes from package.json's exact @pulumi/pulumi pin, so the CLI and the SDK can
# never drift apart.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(node -p "require('$repo/package.json').dependencies['@pulumi/pulumi']")
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "package.json must pin @pulumi/pulumi exactly (got '$version')" >&2; exit 2; }
cache=${PIGSTY_CACHE_DIR:-$HOME/.cache/pulumi-pigsty}
bin=$cache/pulumi-v$version/bin
shim=$repo/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs

log() { echo "[pulumi-cli] $*" >&2; }
has_version() { [[ -x $1/pulumi ]] && [[ $("$1/pulumi" version 2>/dev/null) == "v$version" ]]; }
place_shim() { # the shim runs the dynamic-provider host; without it the CLI tries to download a plugin
  [[ -x $1/pulumi-resource-pulumi-nodejs ]] && return 0
  [[ -f $shim ]] || { echo "missing $shim: run 'npm ci' first" >&2; exit 2; }
  install -m 0755 "$shim" "$1/pulumi-resource-pulumi-nodejs"
}

if onpath=$(command -v pulumi 2>/dev/null); then
  dir=$(dirname "$(readlink -f "$onpath")")
  if has_version "$dir" && [[ -x $dir/pulumi-resource-pulumi-nodejs ]]; then log "using $dir"; echo "$dir"; exit 0; fi
fi
if has_version "$bin"; then place_shim "$bin"; echo "$bin"; exit 0; fi

command -v go >/dev/null || { echo "Go is required to build the Pulumi CLI v$version (get.pulumi.com is unreachable here)" >&2; exit 2; }
log "building pulumi v$version from the Go module proxy (first time only; takes minutes)"
start=$(date +%s)
work=$cache/build-v$version
rm -rf "$work" && mkdir -p "$work" "$bin"
cd "$work"
# The sum database is not reachable from our machines; module hashes are still pinned in go.sum.
export GOSUMDB=off GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0
gomod_of_pkg=$(go mod download -json "github.com/pulumi/pulumi/pkg/v3@v$version" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).GoMod))')
goline=$(grep -m1 '^go ' "$gomod_of_pkg")
{
  echo "module local/pulumi-build"; echo; echo "$goline"; echo
  # repeat pkg's non-local replace directives (the local ones are emulated by pinning sdk == pkg)
  grep -E '^replace ' "$gomod_of_pkg" | grep -v '=> \.' || true
} > go.mod
go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$version" >&2
go get "github.com/pulumi/pulumi/sdk/v3@v$version" >&2
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"
go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" -o "$bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
place_shim "$bin"
has_version "$bin" || { echo "built pulumi does not report v$version" >&2; exit 1; }
log "built in $(( $(date +%s) - start ))s into $bin"
echo "$bin"
