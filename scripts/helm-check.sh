#!/usr/bin/env bash
# Lint, render and check the Helm chart in helm/shop.
#
#   scripts/helm-check.sh
#
# helm: $HELM if set, else `helm` on PATH, else a helm built once from the Go
# module proxy into ~/.cache/shop-platform/bin (a few minutes the first time,
# instant afterwards). No cluster is needed.
#
# Renders the chart with a minimal set of required values, with Elasticsearch
# and the product reindex hook on, and with a "full" set (autoscaling, PDBs,
# ingress, ServiceMonitor, existing Secrets, one extra service), with Stripe keys
# given as values, then checks the manifests: every Deployment has its probes
# and a hardened securityContext, every gRPC service (auth, user, product,
# inventory, order, payment, notification, ...) has a headless Service and is dialled there by
# dns:/// (by the gateway or by another service: order dials product and inventory,
# notification dials user and order), each service gets the settings it needs (and no Elasticsearch
# URL when none is given, no Stripe keys when none are given, the SMTP URL only in a Secret), migrations
# are pre-install/pre-upgrade hook Jobs and the reindex a post-install/
# post-upgrade hook Job, whose pods no Service selects. Also checks that missing
# required values and values the schema rejects make the chart fail, as do an
# unguarded PAYMENT_TEST_AUTO_COMPLETE, half a Stripe configuration and a stock
# reservation shorter than the checkout timeout; NOTES.txt warns when payment
# runs its TEST provider and names the Stripe webhook URL. Two renders of the
# same values must be identical (no random secrets; secretSeed derives them), and
# order and chatbot-bridge read OFFER_SIGNING_KEY from the same Secret and key (sharedSecrets).
# NetworkPolicies: one per Deployment, each gRPC port open only to the services
# that dial it, the gateway's to gatewayFrom; the PrometheusRule and the Grafana
# dashboard ConfigMap hold exactly deploy/'s alerts.yml and dashboard; the
# `helm test` pod asks every Service's /health/ready.
# Exits non-zero on any failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHART="$ROOT/helm/shop"
KUBE_VERSION="${KUBE_VERSION:-1.31.0}"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'helm-check: FAIL: %s\n' "$*" >&2; exit 1; }

# ------------------------------------------------------------------ helm --
# $HELM, helm on PATH, or one built once from the Go module proxy (scripts/helm.sh).
HELM="$(bash "$ROOT/scripts/helm.sh")" || die "no helm (scripts/helm.sh)"
log "using $HELM ($("$HELM" version --short 2>/dev/null || echo unknown))"

# --------------------------------------------------------------- values --
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# helm/shop/files/ links to deploy/ (the alert rules and the dashboard: one file for compose and
# the chart); helm follows the links but warns on every load. Check a copy with the links
# resolved: quiet, and a broken link fails here.
cp -rL "$CHART" "$WORK/chart" || die "cannot copy the chart with its links to deploy/ resolved"
CHART="$WORK/chart"

# What an operator must give, and nothing more (the seed stands for auth's first admin
# password and signing key secret; production gives services.auth.existingSecret instead).
cat > "$WORK/minimal.yaml" <<'EOF'
secretSeed: helm-check-seed-not-a-secret-0001
kafka:
  brokers: kafka-0.kafka:9092,kafka-1.kafka:9092
redis:
  url: redis://redis-master:6379
services:
  auth:
    secretEnv:
      DATABASE_URL: postgresql://auth:secret@postgres:5432/shop_auth
  user:
    secretEnv:
      DATABASE_URL: postgresql://user:secret@postgres:5432/shop_user
  product:
    secretEnv:
      DATABASE_URL: postgresql://product:secret@postgres:5432/shop_product
  inventory:
    secretEnv:
      DATABASE_URL: postgresql://inventory:secret@postgres:5432/shop_inventory
  order:
    secretEnv:
      DATABASE_URL: postgresql://order:secret@postgres:5432/shop_order
  payment:
    secretEnv:
      DATABASE_URL: postgresql://payment:secret@postgres:5432/shop_payment
  notification:
    secretEnv:
      DATABASE_URL: postgresql://notification:secret@postgres:5432/shop_notification
      SMTP_URL: smtp://mailer:chart-check-password@mail.example.com:587
  review:
    secretEnv:
      MONGO_URL: mongodb://review:chart-check-mongo@mongo-0.mongo:27017/shop_review
  chatbot-bridge:
    secretEnv:
      MONGO_URL: mongodb://chat:chart-check-mongo@mongo-0.mongo:27017/shop_chat
EOF

# Every optional feature on, Secrets managed outside the chart, and one more
# service added by values alone (what adding shipping/... looks like), dialled
# by order rather than by the gateway.
cat > "$WORK/full.yaml" <<'EOF'
image:
  repository: registry.example.com/shop/platform
  tag: "1.2.3"
otel:
  endpoint: http://otel-collector.observability:4318
  sampler: parentbased_traceidratio
  samplerArg: "0.25"
kafka:
  brokers: kafka:9092
  groupPrefix: shop-prod.
redis:
  existingSecret: shop-redis
  existingSecretKey: url
elasticsearch:
  existingSecret: shop-elasticsearch
  existingSecretKey: url
productReindex:
  onUpgrade: true
metrics:
  serviceMonitor:
    enabled: true
    labels:
      release: kube-prometheus-stack
  prometheusRule:
    enabled: true
    labels:
      release: kube-prometheus-stack
  grafanaDashboard:
    enabled: true
    annotations:
      grafana_folder: Shop
networkPolicy:
  gatewayFrom:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: ingress-nginx
serviceDefaults:
  autoscaling:
    enabled: true
    minReplicas: 2
    maxReplicas: 10
    targetMemoryUtilizationPercentage: 80
  podDisruptionBudget:
    enabled: true
services:
  gateway:
    env:
      CORS_ORIGINS: https://shop.example.com,https://admin.shop.example.com
    ingress:
      enabled: true
      className: nginx
      hosts:
        - host: api.shop.example.com
          paths:
            - path: /
              pathType: Prefix
      tls:
        - secretName: shop-api-tls
          hosts: [api.shop.example.com]
  auth:
    existingSecret: shop-auth-secrets
    podDisruptionBudget:
      maxUnavailable: 1
  user:
    replicas: 3
    secretEnv:
      DATABASE_URL: postgresql://user:secret@postgres:5432/shop_user
  product:
    replicas: 3
    env:
      ELASTICSEARCH_INDEX: shop-products
    secretEnv:
      DATABASE_URL: postgresql://product:secret@postgres:5432/shop_product
  inventory:
    existingSecret: shop-inventory-secrets
    env:
      RESERVATION_TTL_SECONDS: 1800
  order:
    grpcClients:
      SHIPPING_GRPC_URL: shipping
    env:
      CHECKOUT_TIMEOUT_SECONDS: 1200
    secretEnv:
      DATABASE_URL: postgresql://order:secret@postgres:5432/shop_order
  payment:
    existingSecret: shop-payment-secrets
    env:
      STRIPE_TIMEOUT_MS: 20000
  notification:
    existingSecret: shop-notification-secrets
    env:
      ABANDONED_CART_AFTER: 12h
  review:
    existingSecret: shop-review-secrets
    env:
      REVIEW_BLOCKED_WORDS: spam,scam
  chatbot-bridge:
    existingSecret: shop-chatbot-bridge-secrets
    env:
      LLM_BASE_URL: http://ollama.llm:11434/v1
      LLM_MODEL: qwen3:8b
  shipping:
    grpcPort: 50060
    httpPort: 9110
    kafka: true
    migrations:
      enabled: true
    secretEnv:
      DATABASE_URL: postgresql://shipping:secret@postgres:5432/shop_shipping
    requiredSecretEnv: [DATABASE_URL]
payment:
  stripe:
    existingSecret: shop-stripe
    existingSecretKeys:
      secretKey: secret-key
      webhookSecret: webhook-secret
sharedSecrets:
  OFFER_SIGNING_KEY:
    existingSecret: shop-offer-signing
    existingSecretKey: offer-key
EOF

# Stripe keys given as values, pointed at stripe-mock (the minimal values plus these).
cat > "$WORK/stripe.yaml" <<'EOF'
payment:
  stripe:
    secretKey: sk_test_chart_check
    webhookSecret: whsec_chart_check
services:
  payment:
    env:
      STRIPE_API_HOST: stripe-mock.payments
      STRIPE_API_PORT: 12111
      STRIPE_API_PROTOCOL: http
EOF

# Elasticsearch by URL, with the reindex hook (the minimal values plus two settings).
cat > "$WORK/search.yaml" <<'EOF'
elasticsearch:
  url: http://elasticsearch-master.search:9200
productReindex:
  onUpgrade: true
EOF

# ---------------------------------------------------------------- lint --
log "helm lint --strict (minimal values)"
"$HELM" lint "$CHART" --strict --kube-version "$KUBE_VERSION" -f "$WORK/minimal.yaml"
log "helm lint --strict (full values)"
"$HELM" lint "$CHART" --strict --kube-version "$KUBE_VERSION" -f "$WORK/full.yaml"
log "helm lint --strict (Elasticsearch values)"
"$HELM" lint "$CHART" --strict --kube-version "$KUBE_VERSION" -f "$WORK/minimal.yaml" -f "$WORK/search.yaml"
log "helm lint --strict (Stripe values)"
"$HELM" lint "$CHART" --strict --kube-version "$KUBE_VERSION" -f "$WORK/minimal.yaml" -f "$WORK/stripe.yaml"

# ------------------------------------------------------------- render --
render() { # name, then extra helm args
  local name="$1"; shift
  "$HELM" template shop "$CHART" --namespace shop --kube-version "$KUBE_VERSION" "$@" > "$WORK/$name.out.yaml" \
    || die "helm template failed for $name"
  log "rendered $name: $(grep -c '^kind:' "$WORK/$name.out.yaml") objects"
}
render minimal -f "$WORK/minimal.yaml"
render full -f "$WORK/full.yaml" --api-versions monitoring.coreos.com/v1
render search -f "$WORK/minimal.yaml" -f "$WORK/search.yaml"
render stripe -f "$WORK/minimal.yaml" -f "$WORK/stripe.yaml"
# The TEST provider with auto-complete, explicitly allowed.
render autocomplete -f "$WORK/minimal.yaml" --set-string services.payment.env.PAYMENT_TEST_AUTO_COMPLETE=true \
  --set payment.allowTestAutoComplete=true
# ServiceMonitor switched on, but the cluster has no Prometheus Operator CRDs.
render full-no-crd -f "$WORK/full.yaml"

# Deterministic: the same values render the same bytes (a GitOps tool re-renders on every sync
# and must not see the generated secrets change), and another seed changes only those secrets.
render minimal-again -f "$WORK/minimal.yaml"
render full-again -f "$WORK/full.yaml" --api-versions monitoring.coreos.com/v1
cmp -s "$WORK/minimal.out.yaml" "$WORK/minimal-again.out.yaml" || { diff "$WORK/minimal.out.yaml" "$WORK/minimal-again.out.yaml" | head -20 >&2; die "two renders of the minimal values differ"; }
cmp -s "$WORK/full.out.yaml" "$WORK/full-again.out.yaml" || { diff "$WORK/full.out.yaml" "$WORK/full-again.out.yaml" | head -20 >&2; die "two renders of the full values differ"; }
render other-seed -f "$WORK/minimal.yaml" --set secretSeed=helm-check-another-seed-0002
changed="$( (diff "$WORK/minimal.out.yaml" "$WORK/other-seed.out.yaml" || true) | grep '^>' | sed -n 's/^> *\([A-Z_]*\):.*/\1/p' | sort -u | tr '\n' ' ')"
[ "$changed" = "ADMIN_PASSWORD OFFER_SIGNING_KEY SIGNING_KEY_ENCRYPTION_KEY " ] || die "another secretSeed changed '$changed', expected exactly ADMIN_PASSWORD OFFER_SIGNING_KEY SIGNING_KEY_ENCRYPTION_KEY"
log "renders are deterministic; secretSeed changes only the derived secrets"

# ----------------------------------------------------- expected failures --
expect_fail() { # description, pattern the error must contain, helm template args...
  local what="$1" pattern="$2"; shift 2
  if "$HELM" template shop "$CHART" --namespace shop --kube-version "$KUBE_VERSION" "$@" > /dev/null 2> "$WORK/err.txt"; then
    die "$what: helm template succeeded, expected a failure"
  fi
  grep -q -- "$pattern" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; die "$what: error does not mention '$pattern'"; }
  log "fails as it should: $what"
}
expect_fail "no values at all" "DATABASE_URL is required"
expect_fail "no secretSeed and no admin password" "services.auth.secretEnv.ADMIN_PASSWORD is not given: set services.auth.existingSecret" \
  -f "$WORK/minimal.yaml" --set secretSeed=
expect_fail "schema: a secretSeed too short to be secret" "/secretSeed" \
  -f "$WORK/minimal.yaml" --set secretSeed=short
expect_fail "no Kafka brokers" "kafka.brokers is required" \
  -f "$WORK/minimal.yaml" --set kafka.brokers=
expect_fail "no Redis URL" "redis.url" \
  -f "$WORK/minimal.yaml" --set redis.url=
expect_fail "schema: replicas is not a number" "replicas" \
  -f "$WORK/minimal.yaml" --set-string services.gateway.replicas=two
expect_fail "schema: unknown field in a service" "additional properties" \
  -f "$WORK/minimal.yaml" --set services.user.grpcport=1
expect_fail "schema: a trace sampler OpenTelemetry does not name" "/otel/sampler" \
  -f "$WORK/minimal.yaml" --set otel.sampler=sometimes
expect_fail "schema: a sampling ratio above 1" "/otel/samplerArg" \
  -f "$WORK/minimal.yaml" --set-string otel.samplerArg=1.5
expect_fail "gateway dials a service that does not exist" "not in services" \
  -f "$WORK/minimal.yaml" --set services.gateway.grpcClients.SHIPPING_GRPC_URL=shipping
expect_fail "order dials a disabled inventory" 'services.order.grpcClients refers to "inventory", which is disabled' \
  -f "$WORK/minimal.yaml" --set services.inventory.enabled=false --set services.gateway.grpcClients.INVENTORY_GRPC_URL=null \
  --set services.chatbot-bridge.grpcClients.INVENTORY_GRPC_URL=null
expect_fail "gateway dials a disabled service" "which is disabled" \
  -f "$WORK/minimal.yaml" --set services.inventory.enabled=false
expect_fail "no product database" "services.product.secretEnv.DATABASE_URL is required" \
  -f "$WORK/minimal.yaml" --set services.product.secretEnv.DATABASE_URL=
expect_fail "no inventory database" "services.inventory.secretEnv.DATABASE_URL is required" \
  -f "$WORK/minimal.yaml" --set services.inventory.secretEnv.DATABASE_URL=
expect_fail "no order database" "services.order.secretEnv.DATABASE_URL is required" \
  -f "$WORK/minimal.yaml" --set services.order.secretEnv.DATABASE_URL=
expect_fail "no payment database" "services.payment.secretEnv.DATABASE_URL is required" \
  -f "$WORK/minimal.yaml" --set services.payment.secretEnv.DATABASE_URL=
expect_fail "no SMTP server for notification" "services.notification.secretEnv.SMTP_URL is required" \
  -f "$WORK/minimal.yaml" --set services.notification.secretEnv.SMTP_URL=
expect_fail "no MongoDB for review" "services.review.secretEnv.MONGO_URL is required" \
  -f "$WORK/minimal.yaml" --set services.review.secretEnv.MONGO_URL=
expect_fail "no MongoDB for chatbot-bridge" "services.chatbot-bridge.secretEnv.MONGO_URL is required" \
  -f "$WORK/minimal.yaml" --set services.chatbot-bridge.secretEnv.MONGO_URL=
expect_fail "gateway dials a disabled chatbot-bridge" 'services.gateway.grpcClients refers to "chatbot-bridge", which is disabled' \
  -f "$WORK/minimal.yaml" --set services.chatbot-bridge.enabled=false
expect_fail "no secretSeed and no offer signing key" "sharedSecrets.OFFER_SIGNING_KEY is not given: set sharedSecrets.OFFER_SIGNING_KEY.existingSecret" \
  -f "$WORK/minimal.yaml" --set secretSeed= --set services.auth.existingSecret=shop-auth-secrets
expect_fail "a sharedSecretEnv key that sharedSecrets lacks" "services.order.sharedSecretEnv names SHIPPING_KEY, which is not in sharedSecrets" \
  -f "$WORK/minimal.yaml" --set 'services.order.sharedSecretEnv={OFFER_SIGNING_KEY,SHIPPING_KEY}'
expect_fail "TEST payments auto-completed without payment.allowTestAutoComplete" "set payment.allowTestAutoComplete=true" \
  -f "$WORK/minimal.yaml" --set-string services.payment.env.PAYMENT_TEST_AUTO_COMPLETE=true
expect_fail "TEST auto-complete through extraEnv" "set payment.allowTestAutoComplete=true" \
  -f "$WORK/minimal.yaml" --set 'services.payment.extraEnv[0].name=PAYMENT_TEST_AUTO_COMPLETE' \
  --set-string 'services.payment.extraEnv[0].value=yes'
expect_fail "TEST auto-complete with Stripe configured" "only applies to the TEST provider" \
  -f "$WORK/minimal.yaml" -f "$WORK/stripe.yaml" --set-string services.payment.env.PAYMENT_TEST_AUTO_COMPLETE=true \
  --set payment.allowTestAutoComplete=true
expect_fail "Stripe key without its webhook secret" "payment.stripe.webhookSecret is required" \
  -f "$WORK/minimal.yaml" --set-string payment.stripe.secretKey=sk_test_x
expect_fail "Stripe webhook secret without a key" "payment.stripe.secretKey is required" \
  -f "$WORK/minimal.yaml" --set-string payment.stripe.webhookSecret=whsec_x
expect_fail "schema: a publishable key as the Stripe secret key" "/payment/stripe/secretKey" \
  -f "$WORK/minimal.yaml" --set-string payment.stripe.secretKey=pk_test_x,payment.stripe.webhookSecret=whsec_x
expect_fail "stock reservations shorter than the checkout timeout" "must not be shorter than services.order.env.CHECKOUT_TIMEOUT_SECONDS" \
  -f "$WORK/minimal.yaml" --set-string services.inventory.env.RESERVATION_TTL_SECONDS=600
expect_fail "reindex hook without Elasticsearch" "productReindex.onUpgrade needs elasticsearch.url" \
  -f "$WORK/minimal.yaml" --set productReindex.onUpgrade=true
# Secured dependencies (issue 12): credentials only from Secrets the operator manages, and no half configurations.
expect_fail "Kafka SASL without the Secret holding its user" "kafka.sasl.existingSecret is required" \
  -f "$WORK/minimal.yaml" --set kafka.sasl.mechanism=scram-sha-512
expect_fail "schema: a SASL mechanism the client does not speak" "/kafka/sasl/mechanism" \
  -f "$WORK/minimal.yaml" --set kafka.sasl.mechanism=gssapi --set kafka.sasl.existingSecret=shop-kafka-user
expect_fail "schema: a SASL password as a value" "additional properties" \
  -f "$WORK/minimal.yaml" --set kafka.sasl.password=secret
expect_fail "a Kafka client key without its certificate" "kafka.tls.certKey is required" \
  -f "$WORK/minimal.yaml" --set kafka.tls.existingSecret=shop-kafka-tls --set kafka.tls.keyKey=user.key
expect_fail "a Redis CA for a plain redis:// URL" "redis.url must be rediss://" \
  -f "$WORK/minimal.yaml" --set redis.tls.existingSecret=shop-redis-ca
expect_fail "Elasticsearch credentials Secret without its keys" "needs apiKeyKey, or both usernameKey and passwordKey" \
  -f "$WORK/minimal.yaml" -f "$WORK/search.yaml" --set elasticsearch.auth.existingSecret=shop-es
expect_fail "Elasticsearch API key and user at once" "not both" \
  -f "$WORK/minimal.yaml" -f "$WORK/search.yaml" --set elasticsearch.auth.existingSecret=shop-es \
  --set elasticsearch.auth.apiKeyKey=api-key --set elasticsearch.auth.usernameKey=user --set elasticsearch.auth.passwordKey=pw
expect_fail "schema: Elasticsearch URL without a scheme" "/elasticsearch/url" \
  -f "$WORK/minimal.yaml" --set elasticsearch.url=elasticsearch:9200

# -------------------------------------------------------------- checks --
# The manifests are parsed with the `yaml` npm package when the workspace has
# it (node_modules), else with python3's PyYAML.
cat > "$WORK/check.js" <<'EOF'
'use strict';
const fs = require('fs');
const { execFileSync } = require('child_process');
const [file, expectJson] = process.argv.slice(2);
const expect = JSON.parse(expectJson);
const text = fs.readFileSync(file, 'utf8');

function yamlDocs(text, where) {
  try {
    const YAML = require(require.resolve('yaml', { paths: [process.env.ROOT, process.cwd()].filter(Boolean) }));
    return YAML.parseAllDocuments(text).map((d) => {
      if (d.errors.length) throw new Error(`${where}: YAML error: ${d.errors[0].message}`);
      return d.toJS();
    });
  } catch (e) {
    if (e.code !== 'MODULE_NOT_FOUND') throw e;
    const py = 'import sys, json, yaml; print(json.dumps(list(yaml.safe_load_all(sys.stdin))))';
    return JSON.parse(execFileSync('python3', ['-c', py], { input: text, maxBuffer: 64 << 20 }).toString());
  }
}
let docs = yamlDocs(text, file).filter((d) => d);

const errors = [];
const fail = (m) => errors.push(m);
const byKind = (k) => docs.filter((d) => d.kind === k);
const id = (d) => `${d.kind}/${d.metadata && d.metadata.name}`;
const matches = (selector, labels) =>
  Object.entries(selector || {}).every(([k, v]) => labels && labels[k] === v) && Object.keys(selector || {}).length > 0;

// Basic shape, unique names.
const seen = new Set();
for (const d of docs) {
  if (!d.apiVersion || !d.kind || !d.metadata || !d.metadata.name) fail(`object without apiVersion/kind/name: ${JSON.stringify(d).slice(0, 120)}`);
  if (seen.has(id(d))) fail(`duplicate ${id(d)}`);
  seen.add(id(d));
}

const deployments = byKind('Deployment');
const services = byKind('Service');
const configMaps = new Map(byKind('ConfigMap').map((c) => [c.metadata.name, c]));
const secrets = new Set(byKind('Secret').filter((s) => !(s.metadata.annotations || {})['helm.sh/hook']).map((s) => s.metadata.name));
const external = new Set(expect.externalSecrets || []);
const component = (o) => ((o.metadata && o.metadata.labels) || {})['app.kubernetes.io/component'];
const hpaTargets = new Set(byKind('HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name));

if (deployments.length !== expect.deployments) fail(`expected ${expect.deployments} Deployments, got ${deployments.length}`);

for (const d of deployments) {
  const n = id(d);
  const pod = d.spec.template;
  const psc = pod.spec.securityContext || {};
  if (psc.runAsNonRoot !== true) fail(`${n}: pod securityContext.runAsNonRoot is not true`);
  if (!hpaTargets.has(d.metadata.name) && !(d.spec.replicas >= 1)) fail(`${n}: no replicas`);
  if (hpaTargets.has(d.metadata.name) && d.spec.replicas !== undefined) fail(`${n}: has replicas although an HPA scales it`);
  if (!matches(d.spec.selector.matchLabels, pod.metadata.labels)) fail(`${n}: selector does not match its pod labels`);
  for (const c of pod.spec.containers) {
    const cn = `${n} container ${c.name}`;
    const httpPort = (c.ports || []).find((p) => p.name === 'http');
    if (!httpPort) { fail(`${cn}: no port named http`); continue; }
    for (const [probe, path] of [['livenessProbe', '/health/live'], ['readinessProbe', '/health/ready']]) {
      const p = c[probe];
      if (!p || !p.httpGet) { fail(`${cn}: no ${probe}`); continue; }
      if (p.httpGet.path !== path) fail(`${cn}: ${probe} path is ${p.httpGet.path}, expected ${path}`);
      if (p.httpGet.port !== 'http' && p.httpGet.port !== httpPort.containerPort) fail(`${cn}: ${probe} is not on the HTTP port`);
    }
    const sc = c.securityContext || {};
    if (sc.readOnlyRootFilesystem !== true) fail(`${cn}: readOnlyRootFilesystem is not true`);
    if (sc.allowPrivilegeEscalation !== false) fail(`${cn}: allowPrivilegeEscalation is not false`);
    if (sc.runAsNonRoot !== true && psc.runAsNonRoot !== true) fail(`${cn}: may run as root`);
    if (!c.resources || !c.resources.requests) fail(`${cn}: no resource requests`);
    const envFrom = c.envFrom || [];
    const cm = envFrom.find((e) => e.configMapRef);
    if (!cm || !configMaps.has(cm.configMapRef.name)) fail(`${cn}: no envFrom ConfigMap in the render`);
    for (const e of envFrom.filter((e) => e.secretRef)) {
      if (!secrets.has(e.secretRef.name) && !external.has(e.secretRef.name)) fail(`${cn}: Secret ${e.secretRef.name} is neither rendered nor an expected existingSecret`);
    }
    for (const e of (c.env || []).filter((e) => e.valueFrom && e.valueFrom.secretKeyRef)) {
      const ref = e.valueFrom.secretKeyRef;
      if (!secrets.has(ref.name) && !external.has(ref.name)) fail(`${cn}: env ${e.name} reads Secret ${ref.name}, neither rendered nor an expected existingSecret`);
    }
    const ann = pod.metadata.annotations || {};
    if (ann['prometheus.io/scrape'] !== 'true' || ann['prometheus.io/port'] !== String(httpPort.containerPort)) fail(`${cn}: prometheus scrape annotations missing or not on the HTTP port`);
  }
  // Every Deployment is reachable through exactly one Service.
  const svcs = services.filter((s) => matches(s.spec.selector, pod.metadata.labels));
  if (svcs.length !== 1) fail(`${n}: selected by ${svcs.length} Services, expected 1`);
}

// gRPC Services are headless; plain HTTP ones are not.
const headless = new Map();
for (const s of services) {
  const grpc = (s.spec.ports || []).find((p) => p.name === 'grpc');
  if (grpc) {
    if (s.spec.clusterIP !== 'None') fail(`${id(s)}: has a gRPC port but is not headless (clusterIP: None)`);
    else headless.set(s.metadata.name, grpc.port);
  } else if (s.spec.clusterIP === 'None') {
    fail(`${id(s)}: headless without a gRPC port`);
  }
  if (!deployments.some((d) => matches(s.spec.selector, d.spec.template.metadata.labels))) fail(`${id(s)}: selects no Deployment`);
}
if (headless.size !== expect.grpcServices) fail(`expected ${expect.grpcServices} headless gRPC Services, got ${headless.size}`);
// Named gRPC services (component -> gRPC port): each has exactly one Service, headless, with that port.
const grpcByComponent = new Map();
for (const [comp, port] of Object.entries(expect.grpcPorts || {})) {
  const svcs = services.filter((s) => component(s) === comp);
  if (svcs.length !== 1) { fail(`${comp}: expected one Service, got ${svcs.length}`); continue; }
  const s = svcs[0];
  const grpc = (s.spec.ports || []).find((p) => p.name === 'grpc');
  if (!grpc || grpc.port !== port) fail(`${id(s)}: expected gRPC port ${port}, got ${grpc ? grpc.port : 'none'}`);
  if (s.spec.clusterIP !== 'None') fail(`${id(s)}: the ${comp} gRPC Service must be headless (clusterIP: None)`);
  grpcByComponent.set(comp, s.metadata.name);
}
const gw = services.find((s) => (s.metadata.labels || {})['app.kubernetes.io/component'] === 'gateway');
if (!gw) fail('no gateway Service');
else if (gw.spec.clusterIP === 'None' || (gw.spec.type || 'ClusterIP') !== 'ClusterIP') fail('gateway Service must be a plain ClusterIP Service');

// Every *_GRPC_URL of every service is dns:/// on a headless Service with its gRPC port.
const gwCm = [...configMaps.values()].find((c) => (c.metadata.labels || {})['app.kubernetes.io/component'] === 'gateway');
const gwUrls = Object.keys((gwCm && gwCm.data) || {}).filter((k) => k.endsWith('_GRPC_URL'));
const gwWant = expect.gatewayGrpcUrls !== undefined ? expect.gatewayGrpcUrls : expect.grpcServices;
if (gwUrls.length !== gwWant) fail(`gateway has ${gwUrls.length} *_GRPC_URL settings, expected ${gwWant}`);
const dialed = new Map(); // Service name -> components dialling it
for (const c of configMaps.values()) {
  const from = component(c);
  for (const [k, v] of Object.entries(c.data || {}).filter(([k]) => k.endsWith('_GRPC_URL'))) {
    const m = /^dns:\/\/\/([^.:]+)\.[^:]+:(\d+)$/.exec(v);
    if (!m) { fail(`${from} ${k}=${v}: not a dns:///host:port target`); continue; }
    if (headless.get(m[1]) !== Number(m[2])) fail(`${from} ${k}=${v}: no headless Service ${m[1]} with gRPC port ${m[2]}`);
    if (grpcByComponent.get(from) === m[1]) fail(`${from} ${k}=${v}: a service dialling itself`);
    dialed.set(m[1], [...(dialed.get(m[1]) || []), from]);
  }
}
// Every headless gRPC Service is dialled by the gateway or by another service.
for (const name of headless.keys()) if (!dialed.has(name)) fail(`Service/${name}: a gRPC service nobody dials (no *_GRPC_URL targets it)`);
// The named ones under their variable: gatewayTargets for the gateway, clientTargets per service.
const targets = { ...(expect.clientTargets || {}), gateway: expect.gatewayTargets || {} };
for (const [from, want] of Object.entries(targets)) {
  const cm = [...configMaps.values()].find((c) => component(c) === from);
  for (const [envName, comp] of Object.entries(want)) {
    const v = cm && cm.data && cm.data[envName];
    const m = v && /^dns:\/\/\/([^.:]+)\./.exec(v);
    if (!v) fail(`${from} lacks ${envName}`);
    else if (!m || m[1] !== grpcByComponent.get(comp)) fail(`${from} ${envName}=${v}: does not target the headless Service of ${comp}`);
  }
}

// Settings per service: a string is the exact value, true = present, null = absent.
for (const [comp, want] of Object.entries(expect.env || {})) {
  const cm = [...configMaps.values()].find((c) => component(c) === comp);
  const d = deployments.find((x) => component(x) === comp);
  const extra = new Map(((d && d.spec.template.spec.containers[0].env) || []).map((e) => [e.name, e]));
  if (!cm) { fail(`no ConfigMap of ${comp}`); continue; }
  for (const [k, v] of Object.entries(want)) {
    const have = (cm.data || {})[k] !== undefined ? (cm.data || {})[k] : extra.has(k) ? extra.get(k).value || 'valueFrom' : undefined;
    if (v === null && have !== undefined) fail(`${comp}: ${k} is set (${have}), expected unset`);
    else if (v === true && have === undefined) fail(`${comp}: ${k} is not set`);
    else if (typeof v === 'string' && have !== v) fail(`${comp}: ${k}=${have}, expected ${v}`);
  }
}
for (const c of configMaps.values()) {
  for (const [k, v] of Object.entries(c.data || {})) {
    if (typeof v !== 'string') fail(`ConfigMap/${c.metadata.name}: ${k} is not a string`);
    else if (/^\d+(\.\d+)?e[+-]\d+$/i.test(v)) fail(`ConfigMap/${c.metadata.name}: ${k}=${v} printed in exponent form`);
  }
}

// Migrations: hook Jobs, one per database-owning service, pods outside every Service.
const allJobs = byKind('Job');
const role = (j) => ((j.metadata.labels || {})['app.kubernetes.io/role']);
for (const j of allJobs) if (!['migrations', 'reindex'].includes(role(j))) fail(`${id(j)}: a Job that is neither migrations nor reindex`);
const jobs = allJobs.filter((j) => role(j) === 'migrations');
if (jobs.length !== expect.migrationJobs) fail(`expected ${expect.migrationJobs} migration Jobs, got ${jobs.length}`);
for (const j of jobs) {
  const a = j.metadata.annotations || {};
  const hooks = (a['helm.sh/hook'] || '').split(',');
  const del = (a['helm.sh/hook-delete-policy'] || '').split(',');
  if (!hooks.includes('pre-install') || !hooks.includes('pre-upgrade')) fail(`${id(j)}: not a pre-install,pre-upgrade hook`);
  if (!del.includes('before-hook-creation') || !del.includes('hook-succeeded')) fail(`${id(j)}: hook-delete-policy lacks before-hook-creation,hook-succeeded`);
  const c = j.spec.template.spec.containers[0];
  if (!(c.command || []).join(' ').includes('dist/scripts/migrate.js')) fail(`${id(j)}: does not run dist/scripts/migrate.js`);
  if (!(c.env || []).some((e) => e.name === 'DATABASE_URL')) fail(`${id(j)}: no DATABASE_URL`);
  if ((c.securityContext || {}).readOnlyRootFilesystem !== true) fail(`${id(j)}: readOnlyRootFilesystem is not true`);
  for (const s of services) if (matches(s.spec.selector, j.spec.template.metadata.labels)) fail(`${id(j)}: its pods are selected by ${id(s)}`);
}

// The product reindex: a post-install/post-upgrade hook Job with product's own settings.
const reindex = allJobs.filter((j) => role(j) === 'reindex');
if (reindex.length !== (expect.reindexJobs || 0)) fail(`expected ${expect.reindexJobs || 0} reindex Jobs, got ${reindex.length}`);
for (const j of reindex) {
  const a = j.metadata.annotations || {};
  const hooks = (a['helm.sh/hook'] || '').split(',');
  if (!hooks.includes('post-install') || !hooks.includes('post-upgrade')) fail(`${id(j)}: not a post-install,post-upgrade hook`);
  if (hooks.some((h) => h.startsWith('pre-'))) fail(`${id(j)}: runs before the release's objects exist`);
  const c = j.spec.template.spec.containers[0];
  if ((c.command || []).join(' ') !== 'node dist/apps/product/src/reindex.js') fail(`${id(j)}: does not run dist/apps/product/src/reindex.js`);
  const cmRef = (c.envFrom || []).find((e) => e.configMapRef);
  const productCm = [...configMaps.values()].find((x) => component(x) === 'product');
  if (!cmRef || !productCm || cmRef.configMapRef.name !== productCm.metadata.name) fail(`${id(j)}: does not take product's ConfigMap`);
  const productDep = deployments.find((x) => component(x) === 'product');
  const depSecret = productDep && (productDep.spec.template.spec.containers[0].envFrom || []).find((e) => e.secretRef);
  const jobSecret = (c.envFrom || []).find((e) => e.secretRef);
  if (!depSecret || !jobSecret || depSecret.secretRef.name !== jobSecret.secretRef.name) fail(`${id(j)}: does not take product's Secret`);
  const hasEs = (productCm && productCm.data && productCm.data.ELASTICSEARCH_URL) || (c.env || []).some((e) => e.name === 'ELASTICSEARCH_URL');
  if (!hasEs) fail(`${id(j)}: no ELASTICSEARCH_URL`);
  if ((c.securityContext || {}).readOnlyRootFilesystem !== true) fail(`${id(j)}: readOnlyRootFilesystem is not true`);
  for (const s of services) if (matches(s.spec.selector, j.spec.template.metadata.labels)) fail(`${id(j)}: its pods are selected by ${id(s)}`);
}

// Shared secrets (expect.sharedEnv: KEY -> components): every one of them reads KEY through a
// secretKeyRef to the same Secret and key, a Secret in the render holding it or an expected existingSecret.
for (const [key, comps] of Object.entries(expect.sharedEnv || {})) {
  const refs = comps.map((comp) => {
    const d = deployments.find((x) => component(x) === comp);
    const e = d && (d.spec.template.spec.containers[0].env || []).find((x) => x.name === key);
    return e && e.valueFrom && e.valueFrom.secretKeyRef;
  });
  refs.forEach((r, i) => { if (!r) fail(`${comps[i]}: no ${key} from a Secret`); });
  const distinct = new Set(refs.filter(Boolean).map((r) => `${r.name}/${r.key}`));
  if (distinct.size > 1) fail(`${key}: ${comps.join(', ')} read different Secrets: ${[...distinct].join(', ')}`);
  for (const r of refs.filter(Boolean)) {
    const s = byKind('Secret').find((x) => x.metadata.name === r.name);
    if (s ? !(s.data || {})[r.key] : !external.has(r.name)) fail(`${key}: Secret ${r.name} key ${r.key} is neither rendered nor an expected existingSecret`);
  }
}

// Optional objects.
for (const [kind, n] of Object.entries(expect.counts || {})) {
  if (byKind(kind).length !== n) fail(`expected ${n} ${kind}, got ${byKind(kind).length}`);
}
for (const h of byKind('HorizontalPodAutoscaler')) {
  if (!deployments.some((d) => d.metadata.name === h.spec.scaleTargetRef.name)) fail(`${id(h)}: targets a Deployment not in the render`);
}
for (const p of byKind('PodDisruptionBudget')) {
  if ((p.spec.minAvailable === undefined) === (p.spec.maxUnavailable === undefined)) fail(`${id(p)}: needs exactly one of minAvailable/maxUnavailable`);
  if (!deployments.some((d) => matches(p.spec.selector.matchLabels, d.spec.template.metadata.labels))) fail(`${id(p)}: selects no Deployment`);
}
for (const i of byKind('Ingress')) {
  for (const r of i.spec.rules) for (const p of r.http.paths) {
    const s = services.find((s) => s.metadata.name === p.backend.service.name);
    if (!s || !s.spec.ports.some((x) => x.name === p.backend.service.port.name)) fail(`${id(i)}: backend ${p.backend.service.name}:${p.backend.service.port.name} does not exist`);
  }
}
for (const m of byKind('ServiceMonitor')) {
  if (!services.some((s) => matches(m.spec.selector.matchLabels, s.metadata.labels))) fail(`${id(m)}: selects no Service`);
}

// NetworkPolicies (expect.networkPolicies: true, or false for none): one per Deployment, ingress
// only; a gRPC port open only to the pods of this release that dial it (the dialled map above,
// from the *_GRPC_URL settings), the gateway's HTTP port to expect.gatewayFrom (absent: anyone),
// other HTTP ports (health, /metrics) to expect.metricsFrom.
const policies = byKind('NetworkPolicy');
if (expect.networkPolicies === false && policies.length) fail(`expected no NetworkPolicy, got ${policies.length}`);
if (expect.networkPolicies === true) {
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  for (const d of deployments) {
    const labels = d.spec.template.metadata.labels;
    const mine = policies.filter((p) => matches(p.spec.podSelector.matchLabels, labels));
    if (mine.length !== 1) { fail(`${id(d)}: selected by ${mine.length} NetworkPolicies, expected 1`); continue; }
    const p = mine[0];
    if (!same(p.spec.policyTypes, ['Ingress'])) fail(`${id(p)}: policyTypes ${JSON.stringify(p.spec.policyTypes)}, expected [Ingress]`);
    const rules = p.spec.ingress || [];
    for (const r of rules) if (!r.ports || r.ports.some((x) => x.port !== 'http' && x.port !== 'grpc')) fail(`${id(p)}: a rule for all ports or for ports other than http and grpc`);
    const svc = services.find((s) => matches(s.spec.selector, labels));
    const grpc = svc && (svc.spec.ports || []).some((x) => x.name === 'grpc');
    const forPort = (port) => rules.filter((r) => (r.ports || []).some((x) => x.port === port));
    if (grpc) {
      const from = forPort('grpc').flatMap((r) => r.from || [{ anyone: true }]);
      if (from.some((f) => !f.podSelector || f.namespaceSelector || (f.podSelector.matchLabels || {})['app.kubernetes.io/instance'] !== 'shop')) {
        fail(`${id(p)}: gRPC open to more than pods of this release: ${JSON.stringify(from)}`);
      }
      const allowed = [...new Set(from.map((f) => ((f.podSelector || {}).matchLabels || {})['app.kubernetes.io/component']))].sort();
      const callers = [...new Set(dialed.get(svc.metadata.name) || [])].sort();
      if (!same(allowed, callers)) fail(`${id(p)}: gRPC from ${allowed.join('+') || 'nobody'}, but dialled by ${callers.join('+') || 'nobody'}`);
    } else if (!grpc && forPort('grpc').length) fail(`${id(p)}: a gRPC rule for a service without gRPC`);
    const http = forPort('http');
    const wantHttp = grpc ? expect.metricsFrom : expect.gatewayFrom;
    if (http.length !== 1) fail(`${id(p)}: ${http.length} rules for the http port, expected 1`);
    else if (!same(http[0].from, wantHttp)) fail(`${id(p)}: http port from ${JSON.stringify(http[0].from)}, expected ${JSON.stringify(wantHttp)}`);
  }
  for (const p of policies) if (!deployments.some((d) => matches(p.spec.podSelector.matchLabels, d.spec.template.metadata.labels))) fail(`${id(p)}: selects no Deployment`);
}

// The PrometheusRule holds exactly deploy/prometheus/alerts.yml's groups; the dashboard ConfigMap
// exactly deploy/grafana/dashboards/shop-services.json (through the links in helm/shop/files).
// helm's toYaml orders keys: compare with keys sorted.
const canon = (v) => JSON.stringify(v, (k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));
for (const r of byKind('PrometheusRule')) {
  const want = yamlDocs(fs.readFileSync(`${process.env.ROOT}/deploy/prometheus/alerts.yml`, 'utf8'), 'alerts.yml')[0].groups;
  if (canon(r.spec.groups) !== canon(want)) fail(`${id(r)}: its groups are not those of deploy/prometheus/alerts.yml`);
  if (!want.some((g) => g.rules.some((x) => x.alert))) fail(`${id(r)}: no alert`);
}
for (const c of byKind('ConfigMap').filter((x) => (x.metadata.labels || {}).grafana_dashboard !== undefined)) {
  const want = JSON.parse(fs.readFileSync(`${process.env.ROOT}/deploy/grafana/dashboards/shop-services.json`, 'utf8'));
  let got;
  try { got = JSON.parse((c.data || {})['shop-services.json']); } catch (e) { fail(`${id(c)}: shop-services.json is not JSON: ${e.message}`); continue; }
  if (JSON.stringify(got) !== JSON.stringify(want)) fail(`${id(c)}: not the dashboard of deploy/grafana/dashboards/shop-services.json`);
  for (const [k, v] of Object.entries(expect.dashboardLabels || {})) if (c.metadata.labels[k] !== v) fail(`${id(c)}: label ${k} is not ${v}`);
}
if (expect.dashboards !== undefined) {
  const n = byKind('ConfigMap').filter((x) => (x.metadata.labels || {}).grafana_dashboard !== undefined).length;
  if (n !== expect.dashboards) fail(`expected ${expect.dashboards} dashboard ConfigMaps, got ${n}`);
}

// `helm test`: one hook Pod asking every Service's /health/ready, and the gateway's catalogue.
const testPods = byKind('Pod').filter((p) => (p.metadata.annotations || {})['helm.sh/hook'] === 'test');
if (expect.helmTest !== undefined && testPods.length !== (expect.helmTest ? 1 : 0)) fail(`expected ${expect.helmTest ? 1 : 0} helm test Pods, got ${testPods.length}`);
for (const p of testPods) {
  const c = p.spec.containers[0];
  const env = (c.env || []).find((e) => e.name === 'TARGETS');
  const urls = env ? JSON.parse(env.value).map((t) => t.url) : [];
  for (const s of services) {
    const http = (s.spec.ports || []).find((x) => x.name === 'http');
    const want = `http://${s.metadata.name}.shop.svc.cluster.local:${http.port}/health/ready`;
    if (!urls.includes(want)) fail(`${id(p)}: does not ask ${want}`);
  }
  if (!urls.some((u) => u.endsWith('/api/v1/categories'))) fail(`${id(p)}: does not ask the gateway for /api/v1/categories`);
  if ((c.securityContext || {}).readOnlyRootFilesystem !== true || (p.spec.securityContext || {}).runAsNonRoot !== true) fail(`${id(p)}: not hardened like the services`);
  if (p.spec.restartPolicy !== 'Never') fail(`${id(p)}: restartPolicy is not Never`);
}

if (errors.length) {
  console.error(`${file}:\n  - ${errors.join('\n  - ')}`);
  process.exit(1);
}
const dialers = [...dialed.entries()].map(([s, f]) => `${s}<-${[...new Set(f)].join('+')}`).join(', ');
console.log(`ok ${file.split('/').pop()}: ${docs.length} objects, ${deployments.length} Deployments, ${headless.size} headless gRPC Services dialled as ${dialers}, ${jobs.length} migration Jobs, ${reindex.length} reindex Jobs`);
EOF

command -v node >/dev/null || die "node is needed for the render checks"
check() { ROOT="$ROOT" node "$WORK/check.js" "$WORK/$1.out.yaml" "$2" || die "render checks failed for $1"; }
# The gRPC services of the chart's defaults: each headless, each dialled by the gateway
# (and product, inventory and payment by order too).
GRPC_PORTS='"grpcPorts":{"auth":50051,"user":50052,"product":50053,"inventory":50054,"order":50055,"payment":50056,"notification":50057,"review":50058,"chatbot-bridge":50059}'
GW_TARGETS='"gatewayTargets":{"AUTH_GRPC_URL":"auth","USER_GRPC_URL":"user","PRODUCT_GRPC_URL":"product","INVENTORY_GRPC_URL":"inventory","ORDER_GRPC_URL":"order","PAYMENT_GRPC_URL":"payment","NOTIFICATION_GRPC_URL":"notification","REVIEW_GRPC_URL":"review","CHAT_GRPC_URL":"chatbot-bridge"}'
ORDER_TARGETS='"order":{"PRODUCT_GRPC_URL":"product","INVENTORY_GRPC_URL":"inventory"},"notification":{"USER_GRPC_URL":"user","ORDER_GRPC_URL":"order"},"chatbot-bridge":{"PRODUCT_GRPC_URL":"product","INVENTORY_GRPC_URL":"inventory","ORDER_GRPC_URL":"order"}'
SHARED='"sharedEnv":{"OFFER_SIGNING_KEY":["order","chatbot-bridge"]}'
SVC="shop.svc.cluster.local"
check minimal '{"deployments":10,"grpcServices":9,"migrationJobs":7,'"$GRPC_PORTS,$GW_TARGETS,$SHARED"',"clientTargets":{'"$ORDER_TARGETS"'},
  "env":{
    "product":{"GRPC_PORT":"50053","HTTP_PORT":"9103","KAFKA_BROKERS":"kafka-0.kafka:9092,kafka-1.kafka:9092","REDIS_URL":"redis://redis-master:6379",
      "ELASTICSEARCH_URL":null,"ELASTICSEARCH_INDEX":"products","PRODUCT_CACHE_TTL_SECONDS":"300","SEARCH_MAX_LIMIT":"100","MIGRATE_ON_START":"false","EVENT_GROUP_PREFIX":null,"LOG_LEVEL":"info"},
    "inventory":{"GRPC_PORT":"50054","HTTP_PORT":"9104","KAFKA_BROKERS":"kafka-0.kafka:9092,kafka-1.kafka:9092","RESERVATION_TTL_SECONDS":"2400","SWEEP_INTERVAL_MS":"5000",
      "MIGRATE_ON_START":"false","REDIS_URL":null,"ELASTICSEARCH_URL":null},
    "order":{"GRPC_PORT":"50055","HTTP_PORT":"9105","KAFKA_BROKERS":"kafka-0.kafka:9092,kafka-1.kafka:9092","MIGRATE_ON_START":"false","LOG_LEVEL":"info",
      "PRODUCT_GRPC_URL":"dns:///shop-product.'"$SVC"':50053","INVENTORY_GRPC_URL":"dns:///shop-inventory.'"$SVC"':50054","PAYMENT_GRPC_URL":null,
      "GRPC_DEADLINE_MS":"3000","CIRCUIT_FAILURE_THRESHOLD":"5","CIRCUIT_OPEN_MS":"10000","CHECKOUT_TIMEOUT_SECONDS":"900","SWEEP_INTERVAL_MS":"5000",
      "OTEL_EXPORTER_OTLP_ENDPOINT":null,"OTEL_TRACES_SAMPLER":null,"OTEL_TRACES_SAMPLER_ARG":null,"EVENT_GROUP_PREFIX":null,"REDIS_URL":null,"ELASTICSEARCH_URL":null,"STRIPE_SECRET_KEY":null},
    "payment":{"GRPC_PORT":"50056","HTTP_PORT":"9106","KAFKA_BROKERS":"kafka-0.kafka:9092,kafka-1.kafka:9092","MIGRATE_ON_START":"false","LOG_LEVEL":"info",
      "STRIPE_TIMEOUT_MS":"10000","STRIPE_SECRET_KEY":null,"STRIPE_WEBHOOK_SECRET":null,"STRIPE_API_HOST":null,"STRIPE_API_PORT":null,"STRIPE_API_PROTOCOL":null,
      "PAYMENT_TEST_AUTO_COMPLETE":null,"REDIS_URL":null,"ELASTICSEARCH_URL":null},
    "gateway":{"ELASTICSEARCH_URL":null,"STRIPE_SECRET_KEY":null,"NOTIFICATION_STREAM_HEARTBEAT_SECONDS":"15",
      "ORDER_GRPC_URL":"dns:///shop-order.'"$SVC"':50055","PAYMENT_GRPC_URL":"dns:///shop-payment.'"$SVC"':50056",
      "NOTIFICATION_GRPC_URL":"dns:///shop-notification.'"$SVC"':50057"},
    "notification":{"GRPC_PORT":"50057","HTTP_PORT":"9107","KAFKA_BROKERS":"kafka-0.kafka:9092,kafka-1.kafka:9092","MIGRATE_ON_START":"false",
      "USER_GRPC_URL":"dns:///shop-user.'"$SVC"':50052","ORDER_GRPC_URL":"dns:///shop-order.'"$SVC"':50055","MAIL_FROM":"Shop <no-reply@example.com>",
      "ABANDONED_CART_AFTER":"24h","EMAIL_MAX_ATTEMPTS":"10","SMTP_URL":null,"REDIS_URL":null,"ELASTICSEARCH_URL":null,"STRIPE_SECRET_KEY":null,"OFFER_SIGNING_KEY":null},
    "chatbot-bridge":{"GRPC_PORT":"50059","HTTP_PORT":"9109","MIGRATE_ON_START":"true","OFFER_SIGNING_KEY":"valueFrom","MONGO_URL":null,"LLM_BASE_URL":null,
      "LLM_MODEL":null,"LLM_API_KEY":null,"CHAT_MAX_TURNS_PER_SESSION":"50","CHAT_MAX_TURNS_PER_DAY":"200","LLM_MAX_TOKENS_PER_SESSION":"50000",
      "KAFKA_BROKERS":null,"REDIS_URL":null,"DATABASE_URL":null,"ELASTICSEARCH_URL":null,"STRIPE_SECRET_KEY":null}},
  "networkPolicies":true,"metricsFrom":[{"namespaceSelector":{}}],"helmTest":true,"dashboards":0,
  "counts":{"HorizontalPodAutoscaler":0,"PodDisruptionBudget":0,"Ingress":0,"ServiceMonitor":0,"PrometheusRule":0,"ConfigMap":10,"Secret":17}}'
check search '{"deployments":10,"grpcServices":9,"migrationJobs":7,"reindexJobs":1,'"$GRPC_PORTS,$GW_TARGETS"',"clientTargets":{'"$ORDER_TARGETS"'},
  "env":{"product":{"ELASTICSEARCH_URL":"http://elasticsearch-master.search:9200","ELASTICSEARCH_INDEX":"products"},
    "inventory":{"ELASTICSEARCH_URL":null},"user":{"ELASTICSEARCH_URL":null},"order":{"ELASTICSEARCH_URL":null}},
  "counts":{"ConfigMap":10,"Secret":17}}'
# Stripe keys as values: one more Secret (<release>-payment-stripe), read by payment only.
check stripe '{"deployments":10,"grpcServices":9,"migrationJobs":7,'"$GRPC_PORTS,$GW_TARGETS"',"clientTargets":{'"$ORDER_TARGETS"'},
  "env":{"payment":{"STRIPE_SECRET_KEY":"valueFrom","STRIPE_WEBHOOK_SECRET":"valueFrom","STRIPE_API_HOST":"stripe-mock.payments","STRIPE_API_PORT":"12111",
      "STRIPE_API_PROTOCOL":"http","PAYMENT_TEST_AUTO_COMPLETE":null},
    "order":{"STRIPE_SECRET_KEY":null},"gateway":{"STRIPE_SECRET_KEY":null,"STRIPE_WEBHOOK_SECRET":null}},
  "counts":{"ConfigMap":10,"Secret":18}}'
check autocomplete '{"deployments":10,"grpcServices":9,"migrationJobs":7,'"$GRPC_PORTS,$GW_TARGETS"',"clientTargets":{'"$ORDER_TARGETS"'},
  "env":{"payment":{"PAYMENT_TEST_AUTO_COMPLETE":"true","STRIPE_SECRET_KEY":null}},
  "counts":{"Secret":17}}'
FULL_GRPC='"grpcPorts":{"auth":50051,"user":50052,"product":50053,"inventory":50054,"order":50055,"payment":50056,"notification":50057,"review":50058,"chatbot-bridge":50059,"shipping":50060}'
FULL_TARGETS='"gatewayGrpcUrls":9,"clientTargets":{"order":{"PRODUCT_GRPC_URL":"product","INVENTORY_GRPC_URL":"inventory","SHIPPING_GRPC_URL":"shipping"}}'
FULL_ENV='"env":{
    "product":{"ELASTICSEARCH_URL":"valueFrom","REDIS_URL":"valueFrom","ELASTICSEARCH_INDEX":"shop-products","EVENT_GROUP_PREFIX":"shop-prod.","OTEL_EXPORTER_OTLP_ENDPOINT":true},
    "inventory":{"RESERVATION_TTL_SECONDS":"1800","EVENT_GROUP_PREFIX":"shop-prod.","ELASTICSEARCH_URL":null,"REDIS_URL":null},
    "order":{"CHECKOUT_TIMEOUT_SECONDS":"1200","EVENT_GROUP_PREFIX":"shop-prod.","OTEL_EXPORTER_OTLP_ENDPOINT":true,
      "OTEL_TRACES_SAMPLER":"parentbased_traceidratio","OTEL_TRACES_SAMPLER_ARG":"0.25","SHIPPING_GRPC_URL":true},
    "payment":{"STRIPE_SECRET_KEY":"valueFrom","STRIPE_WEBHOOK_SECRET":"valueFrom","STRIPE_TIMEOUT_MS":"20000","EVENT_GROUP_PREFIX":"shop-prod."},
    "notification":{"ABANDONED_CART_AFTER":"12h","EVENT_GROUP_PREFIX":"shop-prod."},
    "gateway":{"REDIS_URL":"valueFrom","EVENT_GROUP_PREFIX":"shop-prod.","SHIPPING_GRPC_URL":null},
    "chatbot-bridge":{"LLM_BASE_URL":"http://ollama.llm:11434/v1","LLM_MODEL":"qwen3:8b","OFFER_SIGNING_KEY":"valueFrom","KAFKA_BROKERS":null}}'
FULL_EXTERNAL='"externalSecrets":["shop-auth-secrets","shop-inventory-secrets","shop-payment-secrets","shop-notification-secrets","shop-review-secrets","shop-chatbot-bridge-secrets","shop-offer-signing","shop-stripe","shop-redis","shop-elasticsearch"]'
check full '{"deployments":11,"grpcServices":10,"migrationJobs":8,"reindexJobs":1,'"$FULL_GRPC,$GW_TARGETS,$FULL_TARGETS,$FULL_ENV,$FULL_EXTERNAL,$SHARED"',
  "networkPolicies":true,"metricsFrom":[{"namespaceSelector":{}}],"helmTest":true,"dashboards":1,"dashboardLabels":{"grafana_dashboard":"1"},
  "gatewayFrom":[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"ingress-nginx"}}}],
  "counts":{"HorizontalPodAutoscaler":11,"PodDisruptionBudget":11,"Ingress":1,"ServiceMonitor":11,"PrometheusRule":1,"ConfigMap":12,"Secret":8}}'
check full-no-crd '{"deployments":11,"grpcServices":10,"migrationJobs":8,"reindexJobs":1,'"$FULL_GRPC,$GW_TARGETS,$FULL_TARGETS,$FULL_EXTERNAL"',
  "counts":{"ServiceMonitor":0,"PrometheusRule":0}}'
# NetworkPolicies and the helm test pod switched off.
render bare -f "$WORK/minimal.yaml" --set networkPolicy.enabled=false --set helmTest.enabled=false
check bare '{"deployments":10,"grpcServices":9,"migrationJobs":7,"networkPolicies":false,"helmTest":false,"counts":{"NetworkPolicy":0,"Pod":0}}'
# Keys of payment.stripe.existingSecret are the ones given in existingSecretKeys.
grep -q 'key: secret-key' "$WORK/full.out.yaml" && grep -q 'key: webhook-secret' "$WORK/full.out.yaml" \
  || die "payment does not read the Stripe keys under payment.stripe.existingSecretKeys"
if grep -q 'sk_test_chart_check\|whsec_chart_check' "$WORK/stripe.out.yaml"; then
  die "a Stripe key is in the render in clear text"
fi
if grep -q 'chart-check-mongo' "$WORK/minimal.out.yaml"; then
  die "the MongoDB password is in the render in clear text"
fi
if grep -q 'chart-check-password' "$WORK/minimal.out.yaml"; then
  die "the SMTP password is in the render in clear text"
fi

# NOTES.txt: `helm template` skips it, so render it through tpl in a copy of the chart.
cp -r "$CHART" "$WORK/notes-chart"
cp "$CHART/templates/NOTES.txt" "$WORK/notes-chart/notes.txt"
echo 'notes: {{ tpl (.Files.Get "notes.txt") . | toJson }}' > "$WORK/notes-chart/templates/zz-notes.yaml"
notes() { # output name, then helm args
  local out="$1"; shift
  "$HELM" template shop "$WORK/notes-chart" --namespace shop --kube-version "$KUBE_VERSION" "$@" \
    --show-only templates/zz-notes.yaml > "$WORK/$out" || die "NOTES.txt does not render ($out)"
}
notes_want() { # output name, strings it must contain
  local out="$1"; shift
  for want in "$@"; do grep -qF -- "$want" "$WORK/$out" || die "NOTES.txt ($out) lacks '$want'"; done
}
notes_lacks() { # output name, strings it must not contain
  local out="$1"; shift
  for bad in "$@"; do if grep -qF -- "$bad" "$WORK/$out"; then die "NOTES.txt ($out) has '$bad'"; fi; done
}
notes notes.out -f "$WORK/minimal.yaml"
notes_want notes.out 'port-forward svc/shop-gateway' 'get secret shop-auth ' 'dns:///shop-auth.shop.svc.cluster.local:50051' \
  'dns:///shop-product.shop.svc.cluster.local:50053' 'dns:///shop-inventory.shop.svc.cluster.local:50054' 'Postgres full text' \
  'dns:///shop-order.shop.svc.cluster.local:50055' 'dns:///shop-payment.shop.svc.cluster.local:50056' \
  'payment runs its TEST provider' 'NO REAL MONEY MOVES' 'POST /api/v1/payments/webhooks/stripe' \
  '/api/v1/payments/webhooks/stripe (services.gateway.ingress is off)' \
  'dns:///shop-chatbot-bridge.shop.svc.cluster.local:50059' 'the built-in assistant (no services.chatbot-bridge.env.LLM_BASE_URL' \
  'OFFER_SIGNING_KEY from Secret shop-shared-secrets, shared with order'
notes_lacks notes.out 'PAYMENT_TEST_AUTO_COMPLETE is on'
notes notes-search.out -f "$WORK/minimal.yaml" -f "$WORK/search.yaml"
notes_want notes-search.out 'exec deploy/shop-product -- node dist/apps/product/src/reindex.js' 'hook Job shop-product-reindex'
notes notes-stripe.out -f "$WORK/minimal.yaml" -f "$WORK/stripe.yaml"
notes_want notes-stripe.out 'from Secret shop-payment-stripe' 'API at stripe-mock.payments' 'POST /api/v1/payments/webhooks/stripe'
notes_lacks notes-stripe.out 'TEST provider' 'NO REAL MONEY'
notes notes-auto.out -f "$WORK/minimal.yaml" --set-string services.payment.env.PAYMENT_TEST_AUTO_COMPLETE=true --set payment.allowTestAutoComplete=true
notes_want notes-auto.out 'NO REAL MONEY MOVES' 'PAYMENT_TEST_AUTO_COMPLETE is on'
notes notes-full.out -f "$WORK/full.yaml"
notes_want notes-full.out 'https://api.shop.example.com/api/v1/payments/webhooks/stripe' 'from Secret shop-stripe' \
  'model qwen3:8b at http://ollama.llm:11434/v1' 'OFFER_SIGNING_KEY from Secret shop-offer-signing, shared with order'
notes_lacks notes-full.out 'no path of this Ingress host covers it' 'TEST provider' 'built-in assistant (no'
notes notes-ingress.out -f "$WORK/full.yaml" --set 'services.gateway.ingress.hosts[0].paths[0].path=/static'
notes_want notes-ingress.out 'no path of this Ingress host covers it'
log "NOTES.txt renders"

# Spot checks with grep on the minimal render.
grep -q 'helm.sh/hook: pre-install,pre-upgrade' "$WORK/minimal.out.yaml" || die "no migration hook in the render"
grep -q 'ADMIN_PASSWORD: ' "$WORK/minimal.out.yaml" || die "the first admin's password is not generated"
grep -q 'SIGNING_KEY_ENCRYPTION_KEY: ' "$WORK/minimal.out.yaml" || die "the signing key encryption secret is not generated"
grep -q '^  OFFER_SIGNING_KEY: ' "$WORK/minimal.out.yaml" || die "the offer signing key shared by order and chatbot-bridge is not generated"
if grep -Eqi 'password: *"?(admin|changeme|change-me|password)' "$CHART/values.yaml"; then
  die "values.yaml holds a default password"
fi

log "helm chart OK"
