#!/usr/bin/env bash
# Generates TypeScript from the contracts: gRPC stubs from proto/ into libs/contracts/src/generated
# (`generate.sh proto`, lib-contracts's generate target) and a service's Prisma client from
# prisma/<service>/ into apps/<service>/src/generated/prisma (`generate.sh prisma <service>`, that
# app's generate target). With no argument it generates everything (`npm run generate` runs the
# generate targets through Nx instead, which caches them).
set -euo pipefail
cd "$(dirname "$0")/.."

generate_proto() {
  rm -rf libs/contracts/src/generated
  (cd proto && ../node_modules/.bin/buf generate)
}

generate_prisma() {
  local service=$1
  [[ -f prisma/$service/schema.prisma ]] || { echo "generate.sh: no prisma/$service/schema.prisma" >&2; exit 2; }
  # prisma generate needs no schema engine; it only checks that one is configured, and these
  # machines cannot download it (see DESIGN.md).
  export PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-/bin/true}"
  export PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1
  # A removed model must not linger in the cached output Nx restores.
  rm -rf "apps/$service/src/generated/prisma"
  # Its output only on failure: the build (npm start, npm test) stays quiet.
  local output
  if ! output=$(node_modules/.bin/prisma generate --schema "prisma/$service/schema.prisma" 2>&1); then
    echo "$output" >&2
    exit 1
  fi
}

case "${1:-all}" in
  proto) generate_proto ;;
  prisma) generate_prisma "${2:?usage: generate.sh prisma <service>}" ;;
  all)
    generate_proto
    for schema in prisma/*/schema.prisma; do generate_prisma "$(basename "$(dirname "$schema")")"; done
    echo "generated contracts and Prisma clients"
    ;;
  *) echo "usage: generate.sh [proto | prisma <service> | all]" >&2; exit 2 ;;
esac
