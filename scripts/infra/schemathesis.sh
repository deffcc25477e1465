#!/usr/bin/env bash
# Install (once, from PyPI) and cache schemathesis in a virtualenv of its own, for the contract
# run (scripts/contract/run.sh). Prints the path of its `schemathesis` executable.
#
#   bash scripts/infra/schemathesis.sh        # -> ~/.cache/shop-platform/schemathesis-4.32.5-hypothesis-6.136.9/bin/schemathesis
#
# The version is pinned: a new schemathesis may add checks or change defaults, which should be a
# change made here on purpose, not a CI run that turns red on its own. A second run takes no time.
#
# CPython 3.11 (3.11.7 here) keeps the AST constructor's recursion depth in state shared by all
# threads, so two threads parsing at once can fail with "SystemError: AST constructor recursion depth
# mismatch" (python/cpython#106905), and schemathesis then reports a "Runtime Error" that is the
# interpreter's, not the API's. hypothesis parses source to describe lambdas; from 6.137.0 it parses a
# lambda's whole module (a large tree, a wide window for the race), so it is pinned to 6.136.9, which
# parses the lambda's own lines. The contract run also uses one worker (scripts/contract/contract.ts).
set -euo pipefail

SHOP_CACHE_DIR="${SHOP_CACHE_DIR:-$HOME/.cache/shop-platform}"
VERSION="${SHOP_SCHEMATHESIS_VERSION:-4.32.5}"
HYPOTHESIS_VERSION="${SHOP_HYPOTHESIS_VERSION:-6.136.9}"
VENV="$SHOP_CACHE_DIR/schemathesis-$VERSION-hypothesis-$HYPOTHESIS_VERSION"
BIN="$VENV/bin/schemathesis"

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

if [[ -x $BIN ]] && "$BIN" --version 2>/dev/null | grep -q "$VERSION"; then
  echo "$BIN"
  exit 0
fi

PYTHON="${SHOP_PYTHON:-$(command -v python3 || true)}"
[[ -n $PYTHON ]] || die "python3 (3.10 or later) is needed for schemathesis"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' || die "schemathesis $VERSION needs Python 3.10 or later ($("$PYTHON" --version))"

log "installing schemathesis $VERSION (hypothesis $HYPOTHESIS_VERSION) from PyPI into $VENV"
rm -rf "$VENV.partial"
mkdir -p "$SHOP_CACHE_DIR"
"$PYTHON" -m venv "$VENV.partial" || die "could not make a virtualenv (Debian: apt-get install python3-venv)"
"$VENV.partial/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION" "hypothesis==$HYPOTHESIS_VERSION" >&2
# A venv's scripts name its own path: move it into place only once it works, then mend the paths.
rm -rf "$VENV"
mv "$VENV.partial" "$VENV"
grep -rlI --exclude-dir=__pycache__ -- "$VENV.partial" "$VENV/bin" | xargs -r sed -i "s#$VENV.partial#$VENV#g"
"$BIN" --version >&2 || die "schemathesis did not install"
echo "$BIN"
