#!/usr/bin/env bash
# Checks the deployment files with the tools ops run on them (issue 12, "Done when"):
#
#   scripts/ops-check.sh
#
#   1. kubeconform -strict on the Helm chart's renders (minimal, every option on, secured
#      dependencies), against Kubernetes 1.31 schemas: made from the OpenAPI document
#      (api/openapi-spec/swagger.json) of the k8s.io/kubernetes module at $K8S_VERSION and, for the
#      ServiceMonitor and PrometheusRule, the Prometheus Operator's CRDs (its Go module), both from
#      the Go module proxy (yannh/kubernetes-json-schema is not a Go module and nothing else
#      reachable here serves it) by scripts/ops/k8s-json-schemas.js;
#   2. promtool check rules and test rules on deploy/prometheus/alerts.yml and on the rules as the
#      chart renders them into its PrometheusRule; every alert must have a test; promtool check
#      config on deploy/prometheus/prometheus.yml;
#   3. the compose-spec loader (compose-go, what `docker compose config` runs) on docker-compose.yml,
#      alone and with deploy/compose/stripe-mock.env;
#   4. actionlint on .github/workflows.
#
# Tools are built once with Go from the module proxy into ${SHOP_CACHE_DIR:-~/.cache/shop-platform}/bin
# (promtool takes about ten minutes the first time on two cores; the others seconds), schemas cached
# under .../kubeconform-schemas; afterwards this takes seconds. helm comes from scripts/helm.sh.
# Exits non-zero on any failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${SHOP_CACHE_DIR:-$HOME/.cache/shop-platform}"
BIN="$CACHE/bin"
KUBE_VERSION="${KUBE_VERSION:-1.31.0}"
K8S_VERSION="${OPS_K8S_VERSION:-v1.31.14}"                     # k8s.io/kubernetes: its OpenAPI document
PROMETHEUS_OPERATOR_VERSION="${OPS_PROMETHEUS_OPERATOR_VERSION:-v0.85.0}"
KUBECONFORM_VERSION="${OPS_KUBECONFORM_VERSION:-v0.8.0}"
PROMETHEUS_VERSION="${OPS_PROMETHEUS_VERSION:-v0.316.0}"      # promtool (Go module versions of Prometheus 3.x)
ACTIONLINT_VERSION="${OPS_ACTIONLINT_VERSION:-v1.7.12}"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'ops-check: FAIL: %s\n' "$*" >&2; exit 1; }
ms() { echo $(($(date +%s%N) / 1000000)); }
T0=$(ms)
took() { printf '%d.%03ds' $((($(ms) - $1) / 1000)) $((($(ms) - $1) % 1000)); }

command -v go >/dev/null || die "Go is needed to build the tools (kubeconform, promtool, actionlint, compose-check)"
command -v node >/dev/null || die "node is needed"
mkdir -p "$BIN"

# go_tool NAME VERSION PACKAGE: prints the path of NAME built from PACKAGE@VERSION, building it once.
go_tool() {
  local name=$1 version=$2 pkg=$3 out="$BIN/$1-$2" tmp t
  if [[ ! -x $out ]]; then
    log "building $name $version from the Go module proxy (once; cached as $out)"
    t=$(ms)
    tmp="$(mktemp -d "$BIN/.build-$name.XXXXXX")"
    GOBIN="$tmp" GOFLAGS="${GOFLAGS:-} -trimpath" go install -ldflags '-s -w' "$pkg@$version" >&2 || { rm -rf "$tmp"; die "go install $pkg@$version failed"; }
    mv -f "$tmp/$(basename "${pkg%/v[0-9]*}")" "$out" 2>/dev/null || mv -f "$tmp"/* "$out"
    rmdir "$tmp" 2>/dev/null || true
    log "$name built in $(took "$t")"
  fi
  printf '%s\n' "$out"
}

# compose-check (scripts/ops/compose-check): built from its go.mod/go.sum, cached by their hash.
compose_check() {
  local dir="$ROOT/scripts/ops/compose-check" sum out t
  sum="$(cat "$dir/go.mod" "$dir/go.sum" "$dir/main.go" | sha256sum | cut -c1-16)"
  out="$BIN/compose-check-$sum"
  if [[ ! -x $out ]]; then
    log "building compose-check (compose-go $(awk '$1=="require" && $2 ~ /compose-go/ {print $3}' "$dir/go.mod")) from the Go module proxy"
    t=$(ms)
    (cd "$dir" && go build -trimpath -ldflags '-s -w' -o "$out.tmp" .) >&2 || die "building compose-check failed"
    mv -f "$out.tmp" "$out"
    log "compose-check built in $(took "$t")"
  fi
  printf '%s\n' "$out"
}

KUBECONFORM="$(go_tool kubeconform "$KUBECONFORM_VERSION" github.com/yannh/kubeconform/cmd/kubeconform)"
PROMTOOL="$(go_tool promtool "$PROMETHEUS_VERSION" github.com/prometheus/prometheus/cmd/promtool)"
ACTIONLINT="$(go_tool actionlint "$ACTIONLINT_VERSION" github.com/rhysd/actionlint/cmd/actionlint)"
COMPOSE_CHECK="$(compose_check)"
HELM="$(bash "$ROOT/scripts/helm.sh")" || die "no helm (scripts/helm.sh)"
log "tools ready in $(took "$T0")"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# ------------------------------------------------------------- schemas --
SCHEMAS="$CACHE/kubeconform-schemas/k8s-$K8S_VERSION-promop-$PROMETHEUS_OPERATOR_VERSION"
if [[ ! -f $SCHEMAS/.complete ]]; then
  t=$(ms)
  log "making Kubernetes $K8S_VERSION JSON schemas (k8s.io/kubernetes and prometheus-operator from the Go module proxy)"
  k8s_dir="$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  [[ -f $k8s_dir/api/openapi-spec/swagger.json ]] || die "k8s.io/kubernetes@$K8S_VERSION has no api/openapi-spec/swagger.json"
  promop_dir="$(go mod download -json "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  crds="$promop_dir/example/prometheus-operator-crd"
  [[ -f $crds/monitoring.coreos.com_servicemonitors.yaml ]] || die "prometheus-operator@$PROMETHEUS_OPERATOR_VERSION has no CRDs under example/prometheus-operator-crd"
  rm -rf "$SCHEMAS.tmp"
  (cd "$ROOT" && node scripts/ops/k8s-json-schemas.js "$SCHEMAS.tmp" "$k8s_dir/api/openapi-spec/swagger.json" \
    "$crds/monitoring.coreos.com_servicemonitors.yaml" "$crds/monitoring.coreos.com_prometheusrules.yaml") || die "making the schemas failed"
  touch "$SCHEMAS.tmp/.complete"
  rm -rf "$SCHEMAS"
  mv "$SCHEMAS.tmp" "$SCHEMAS"
  log "schemas made in $(took "$t")"
fi

# --------------------------------------------------------------- renders --
cp -rL "$ROOT/helm/shop" "$WORK/chart" || die "cannot copy the chart with its links resolved"
CHART="$WORK/chart"
# What an operator must give: every enabled service's requiredSecretEnv (read from values.yaml, so a
# service added to the chart is rendered too), plus Kafka and Redis.
ROOT="$ROOT" node - "$WORK/minimal.yaml" <<'EOF' || die "cannot write the minimal values"
const fs = require('node:fs');
const { parse, stringify } = require(require.resolve('yaml', { paths: [process.env.ROOT] }));
const values = parse(fs.readFileSync(`${process.env.ROOT}/helm/shop/values.yaml`, 'utf8'));
const examples = {
  DATABASE_URL: (s) => `postgresql://${s}:x@postgres:5432/shop_${s.replace(/-/g, '_')}`,
  SMTP_URL: () => 'smtp://mailer:x@mail.example.com:587',
  MONGO_URL: (s) => `mongodb://${s}:x@mongo:27017/shop_${s.replace(/-/g, '_')}`,
};
const services = {};
for (const [name, svc] of Object.entries(values.services ?? {})) {
  if (!svc || svc.enabled === false) continue;
  const secretEnv = {};
  for (const key of svc.requiredSecretEnv ?? []) secretEnv[key] = (examples[key] ?? (() => `ops-check-example-${key.toLowerCase()}-0001`))(name);
  services[name] = { secretEnv };
}
fs.writeFileSync(process.argv[2], stringify({
  secretSeed: 'ops-check-seed-not-a-secret-0001',
  kafka: { brokers: 'kafka-0.kafka:9092' },
  redis: { url: 'redis://redis-master:6379' },
  services,
}));
EOF
# Every optional object: autoscaling, PDBs, ingress, ServiceMonitor, PrometheusRule, dashboard, reindex hook, Stripe.
cat > "$WORK/full.yaml" <<'EOF'
elasticsearch: { url: "http://elasticsearch:9200" }
productReindex: { onUpgrade: true }
payment: { stripe: { existingSecret: shop-stripe } }
metrics:
  serviceMonitor: { enabled: true }
  prometheusRule: { enabled: true }
  grafanaDashboard: { enabled: true }
serviceDefaults:
  autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 6 }
  podDisruptionBudget: { enabled: true }
services:
  gateway:
    ingress:
      enabled: true
      className: nginx
      hosts: [{ host: api.shop.example.com, paths: [{ path: /, pathType: Prefix }] }]
      tls: [{ secretName: shop-api-tls, hosts: [api.shop.example.com] }]
EOF
# Secured dependencies: TLS, SASL, API key, CAs (all from Secrets).
cat > "$WORK/secured.yaml" <<'EOF'
kafka:
  tls: { existingSecret: shop-kafka-tls, certKey: user.crt, keyKey: user.key }
  sasl: { mechanism: scram-sha-512, existingSecret: shop-kafka-user }
redis:
  url: rediss://redis-master:6380
  tls: { existingSecret: shop-redis-ca }
elasticsearch:
  url: https://search.example.com:9243
  auth: { existingSecret: shop-elasticsearch, apiKeyKey: api-key }
  tls: { existingSecret: shop-elasticsearch-ca }
postgres:
  tls: { existingSecret: shop-postgres-ca }
productReindex: { onUpgrade: true }
EOF
render() { # name, then values files
  local name=$1; shift
  local args=()
  for f in "$@"; do args+=(-f "$WORK/$f.yaml"); done
  "$HELM" template shop "$CHART" --namespace shop --kube-version "$KUBE_VERSION" --api-versions monitoring.coreos.com/v1 "${args[@]}" \
    > "$WORK/$name.out.yaml" || die "helm template failed for $name"
}
render minimal minimal
render full minimal full
render secured minimal secured

# ------------------------------------------------------------ kubeconform --
t=$(ms)
for name in minimal full secured; do
  log "kubeconform -strict (Kubernetes $KUBE_VERSION): $name render"
  "$KUBECONFORM" -strict -summary -output text -kubernetes-version "$KUBE_VERSION" \
    -schema-location "$SCHEMAS/{{ .ResourceKind }}{{ .KindSuffix }}.json" "$WORK/$name.out.yaml" >&2 \
    || die "kubeconform: the $name render has invalid objects"
done
# The schemas are strict: an unknown field must fail (else this check proves nothing).
awk 'BEGIN{d=0} /^kind: Deployment/{d=1} {print} d==1 && /^spec:/{print "  replicaz: 2"; d=2}' "$WORK/minimal.out.yaml" > "$WORK/broken.out.yaml"
if "$KUBECONFORM" -strict -schema-location "$SCHEMAS/{{ .ResourceKind }}{{ .KindSuffix }}.json" "$WORK/broken.out.yaml" > "$WORK/broken.txt" 2>&1; then
  die "kubeconform accepted a Deployment with an unknown field: the schemas are not strict"
fi
grep -q "additional properties 'replicaz' not allowed" "$WORK/broken.txt" || { cat "$WORK/broken.txt" >&2; die "kubeconform failed the broken render for another reason"; }
log "kubeconform OK in $(took "$t") (and refuses an unknown field)"

# --------------------------------------------------------------- promtool --
t=$(ms)
PROM="$ROOT/deploy/prometheus"
"$PROMTOOL" check rules "$PROM/alerts.yml" >&2 || die "promtool check rules deploy/prometheus/alerts.yml"
(cd "$PROM" && "$PROMTOOL" test rules alerts.test.yml) >&2 || die "promtool test rules deploy/prometheus/alerts.test.yml"
# The rules as the chart renders them into its PrometheusRule, under the same tests.
ROOT="$ROOT" node - "$WORK/full.out.yaml" "$PROM/alerts.test.yml" "$WORK" <<'EOF' || die "cannot take the PrometheusRule out of the chart's render"
const fs = require('node:fs');
const { parseAllDocuments, parse, stringify } = require(require.resolve('yaml', { paths: [process.env.ROOT] }));
const [render, testFile, out] = process.argv.slice(2);
const rule = parseAllDocuments(fs.readFileSync(render, 'utf8')).map((d) => d.toJS()).find((o) => o && o.kind === 'PrometheusRule');
if (!rule) throw new Error('no PrometheusRule in the render');
fs.writeFileSync(`${out}/chart-alerts.yml`, stringify({ groups: rule.spec.groups }));
const tests = parse(fs.readFileSync(testFile, 'utf8'));
fs.writeFileSync(`${out}/chart-alerts.test.yml`, stringify({ ...tests, rule_files: ['chart-alerts.yml'] }));
// Every alert has a unit test that names it.
const alerts = rule.spec.groups.flatMap((g) => g.rules.filter((r) => r.alert).map((r) => r.alert));
const tested = new Set(tests.tests.flatMap((t) => (t.alert_rule_test ?? []).map((a) => a.alertname)));
const untested = alerts.filter((a) => !tested.has(a));
if (untested.length) {
  console.error(`alerts without a test in deploy/prometheus/alerts.test.yml: ${untested.join(', ')}`);
  process.exit(1);
}
console.error(`${alerts.length} alerts in the chart's PrometheusRule, each with a test`);
EOF
(cd "$ROOT" && cd "$WORK" && "$PROMTOOL" check rules chart-alerts.yml && "$PROMTOOL" test rules chart-alerts.test.yml) >&2 \
  || die "promtool: the chart's PrometheusRule rules"
sed "s#/etc/prometheus/alerts.yml#$PROM/alerts.yml#" "$PROM/prometheus.yml" > "$WORK/prometheus.yml"
"$PROMTOOL" check config "$WORK/prometheus.yml" >&2 || die "promtool check config deploy/prometheus/prometheus.yml"
log "promtool OK in $(took "$t")"

# ---------------------------------------------------------------- compose --
t=$(ms)
(cd "$ROOT" && "$COMPOSE_CHECK" -q docker-compose.yml) || die "compose-spec loader: docker-compose.yml"
(cd "$ROOT" && "$COMPOSE_CHECK" -q -env-file deploy/compose/stripe-mock.env docker-compose.yml) || die "compose-spec loader: docker-compose.yml with deploy/compose/stripe-mock.env"
printf 'services:\n  x:\n    image: busybox\n    restartt: always\n' > "$WORK/bad-compose.yml"
if "$COMPOSE_CHECK" -q "$WORK/bad-compose.yml" 2>/dev/null; then die "the compose loader accepted an unknown key: it checks nothing"; fi
log "compose loader OK in $(took "$t")"

# -------------------------------------------------------------- actionlint --
t=$(ms)
shopt -s nullglob
workflows=("$ROOT"/.github/workflows/*.yml "$ROOT"/.github/workflows/*.yaml)
[[ ${#workflows[@]} -gt 0 ]] || die "no workflows under .github/workflows"
(cd "$ROOT" && "$ACTIONLINT" -no-color "${workflows[@]#"$ROOT"/}") || die "actionlint"
log "actionlint OK (${#workflows[@]} workflows) in $(took "$t")"

log "ops checks OK in $(took "$T0")"
