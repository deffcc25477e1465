#!/usr/bin/env bash
# Build FerretDB (the MongoDB wire protocol over PostgreSQL or SQLite) from the Go module proxy,
# once, and print the path of the cached binary.
#
#   bash scripts/infra/ferretdb-build.sh     # prints e.g. /root/.cache/shop-platform/ferretdb-v1.24.2/ferretdb
#
# Used by scripts/infra/up.sh (the test server) and by the embedded default (scripts/platform),
# which starts one over its embedded Postgres when no MONGO_URL is given and no real mongod can be had.
#
# `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.x` builds a binary that panics at start:
# the module lacks build/version/version.txt (made by its own build tooling). So the downloaded
# module is copied, that file is written, and the copy is built. The first build takes a few minutes
# (the module's dependencies come from the proxy); afterwards it is a file check.
set -euo pipefail

SHOP_CACHE_DIR="${SHOP_CACHE_DIR:-$HOME/.cache/shop-platform}"
VERSION="${SHOP_FERRETDB_VERSION:-v1.24.2}"
HOME_DIR="$SHOP_CACHE_DIR/ferretdb-$VERSION"
BIN="$HOME_DIR/ferretdb"
MODULE="github.com/FerretDB/FerretDB"

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

if [[ -x $BIN ]]; then
  echo "$BIN"
  exit 0
fi

command -v go >/dev/null || die "ferretdb: go is needed to build $MODULE (not found on PATH)"
mkdir -p "$SHOP_CACHE_DIR"
# One build at a time (up.sh and a starting platform may both ask).
exec 8>>"$SHOP_CACHE_DIR/.ferretdb-build.lock"
flock -w 1200 8 || die "ferretdb: timed out waiting for another build ($SHOP_CACHE_DIR/.ferretdb-build.lock)"
if [[ -x $BIN ]]; then
  echo "$BIN"
  exit 0
fi

tmp="$HOME_DIR.tmp"
buildlog="$SHOP_CACHE_DIR/ferretdb-build.log"
rm -rf "$tmp"
mkdir -p "$tmp"
started=$SECONDS
log "ferretdb: building $MODULE@$VERSION from the Go module proxy (once; a few minutes)"
dir=$(go mod download -json "$MODULE@$VERSION" 2>"$buildlog" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p') ||
  { tail -n 20 "$buildlog" >&2; die "ferretdb: go mod download $MODULE@$VERSION failed; log: $buildlog"; }
[[ -n $dir && -d $dir ]] || { tail -n 20 "$buildlog" >&2; die "ferretdb: go mod download gave no module directory; log: $buildlog"; }
cp -r "$dir" "$tmp/src"
chmod -R u+w "$tmp/src"
printf '%s\n' "$VERSION" >"$tmp/src/build/version/version.txt"
(cd "$tmp/src" && GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -o "$tmp/ferretdb" ./cmd/ferretdb) >>"$buildlog" 2>&1 ||
  { tail -n 30 "$buildlog" >&2; rm -rf "$tmp"; die "ferretdb: go build failed; log: $buildlog"; }
"$tmp/ferretdb" --version >/dev/null 2>&1 || { rm -rf "$tmp"; die "ferretdb: the built binary does not run"; }
mkdir -p "$HOME_DIR"
mv "$tmp/ferretdb" "$BIN"
rm -rf "$tmp" "$buildlog"
log "ferretdb: built $VERSION in $((SECONDS - started)) s: $BIN"
echo "$BIN"
