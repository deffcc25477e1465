#!/usr/bin/env bash
# Generates TypeScript from the contracts: gRPC stubs from proto/, Prisma clients from prisma/<service>/.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf libs/contracts/src/generated
(cd proto && ../node_modules/.bin/buf generate)
# prisma generate needs no schema engine; it only checks that one is configured, and these
# machines cannot download it (see DESIGN.md).
export PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-/bin/true}"
export PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1
for schema in prisma/*/schema.prisma; do
  node_modules/.bin/prisma generate --schema "$schema" >/dev/null
done
echo "generated contracts and Prisma clients"
