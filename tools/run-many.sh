#!/usr/bin/env bash
# `bash tools/run-many.sh <target> [nx options]`: `nx run-many -t <target>`, every project's target
# through Nx, in parallel and cached (docs/architecture.md, "Build"); npm run build and npm run lint.
# Under npm's --silent (npm start, npm test and the benches run `npm run build --silent`), Nx's log
# of a task per project is shown only when one fails.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: tools/run-many.sh <target> [nx options]}
shift
if [[ ${npm_config_loglevel:-} != silent ]]; then
  exec node_modules/.bin/nx run-many -t "$target" "$@"
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! node_modules/.bin/nx run-many -t "$target" "$@" >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
