#!/usr/bin/env bash
# The API contract run: schemathesis against the gateway's OpenAPI document, as a shopper and as an
# admin, against the platform started here from the build (dist/) on the test servers.
#
#   bash scripts/contract/run.sh                 # needs `npm run build` and scripts/infra/up.sh done
#   CONTRACT_MAX_SECONDS=30 bash scripts/contract/run.sh     # a shorter run (75 s per identity by default)
#   CONTRACT_SEED=123 bash scripts/contract/run.sh           # other generated data (8 by default)
#
# Exits non-zero on any failure (a 5xx, an answer its schema does not describe, an undocumented status
# code, a schema-valid request refused, a schema-violating one accepted…). Reports: schemathesis-report/
# (JUnit per identity, and the services' log of the run in platform.log).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

SCHEMATHESIS=$(bash scripts/infra/schemathesis.sh)
[[ -f dist/scripts/contract/contract.js ]] || { echo "[contract] no build: run npm run build first" >&2; exit 1; }
rm -rf schemathesis-report
exec node --enable-source-maps dist/scripts/contract/contract.js "$SCHEMATHESIS"
