{{/*
Helpers of the shop chart. Every per-service template ranges over .Values.services
and resolves each entry with "shop.resolve" (defaults from .Values.serviceDefaults).
*/}}

{{- define "shop.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "shop.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "shop.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of the release as a whole. */}}
{{- define "shop.labels" -}}
helm.sh/chart: {{ include "shop.chart" . }}
app.kubernetes.io/name: {{ include "shop.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: shop-platform
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Resolve one entry of .Values.services into .out.svc: serviceDefaults merged
under the entry, plus name, fullname and enabled.
Usage:
  {{- $o := dict }}{{- include "shop.resolve" (dict "root" $ "name" $name "raw" $raw "out" $o) }}{{- $svc := $o.svc }}
*/}}
{{- define "shop.resolve" -}}
{{- $raw := .raw | default dict -}}
{{- $svc := deepCopy .root.Values.serviceDefaults -}}
{{- include "shop.merge" (dict "dst" $svc "src" (deepCopy $raw)) -}}
{{- $_ := set $svc "enabled" (ternary (get $raw "enabled") true (hasKey $raw "enabled")) -}}
{{- $_ := set $svc "name" .name -}}
{{- $_ := set $svc "fullname" (printf "%s-%s" (include "shop.fullname" .root) .name | trunc 63 | trimSuffix "-") -}}
{{- $_ := set $svc "hasGrpc" (gt (int (default 0 $svc.grpcPort)) 0) -}}
{{- $_ := set .out "svc" $svc -}}
{{- end }}

{{/*
Deep-merge .src into .dst (mutated): maps merge key by key, anything else
(false and 0 included, unlike sprig's merge functions) replaces; null is skipped.
*/}}
{{- define "shop.merge" -}}
{{- $dst := .dst -}}
{{- range $k, $v := .src }}
{{- if not (kindIs "invalid" $v) }}
{{- $d := get $dst $k -}}
{{- if and (kindIs "map" $v) (kindIs "map" $d) }}
{{- include "shop.merge" (dict "dst" $d "src" $v) -}}
{{- else }}
{{- $_ := set $dst $k $v -}}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels of one service: .root, .svc */}}
{{- define "shop.serviceLabels" -}}
{{ include "shop.labels" .root }}
app.kubernetes.io/component: {{ .svc.name }}
{{- end }}

{{- define "shop.selectorLabels" -}}
app.kubernetes.io/name: {{ include "shop.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .svc.name }}
{{- end }}

{{- define "shop.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end }}

{{- define "shop.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "shop.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end }}

{{/* An env value as a string; whole numbers never in exponent form (1209600, not 1.2096e+06). */}}
{{- define "shop.envValue" -}}
{{- if or (kindIs "float64" .) (kindIs "float32" .) -}}
{{- if eq (float64 .) (float64 (int64 .)) }}{{ int64 . }}{{ else }}{{ . }}{{ end -}}
{{- else -}}
{{- toString . -}}
{{- end -}}
{{- end }}

{{/* gRPC target of a service: .root, .target (service key), .from (for messages) */}}
{{- define "shop.grpcTarget" -}}
{{- $root := .root -}}
{{- $raw := get $root.Values.services .target -}}
{{- if not (hasKey $root.Values.services .target) -}}
{{- fail (printf "services.%s.grpcClients refers to %q, which is not in services" .from .target) -}}
{{- end -}}
{{- $o := dict }}{{- include "shop.resolve" (dict "root" $root "name" .target "raw" $raw "out" $o) }}
{{- $t := $o.svc -}}
{{- if not $t.hasGrpc -}}
{{- fail (printf "services.%s.grpcClients refers to %q, which has no grpcPort" .from .target) -}}
{{- end -}}
{{- if not $t.enabled -}}
{{- fail (printf "services.%s.grpcClients refers to %q, which is disabled" .from .target) -}}
{{- end -}}
{{- printf "dns:///%s.%s.svc.%s:%d" $t.fullname $root.Release.Namespace $root.Values.clusterDomain (int $t.grpcPort) -}}
{{- end }}

{{/* ConfigMap data of a service (YAML map): .root, .svc */}}
{{- define "shop.configData" -}}
{{- $root := .root -}}
{{- $svc := .svc -}}
{{- $data := dict "NODE_ENV" "production" "SERVICE" $svc.name "OTEL_SERVICE_NAME" $svc.name -}}
{{- $_ := set $data "LOG_LEVEL" (default $root.Values.logLevel $svc.logLevel) -}}
{{- if $svc.hasGrpc }}
{{- $_ := set $data "GRPC_PORT" (toString (int $svc.grpcPort)) -}}
{{- $_ := set $data "HTTP_PORT" (toString (int $svc.httpPort)) -}}
{{- else }}
{{- $_ := set $data "PORT" (toString (int $svc.httpPort)) -}}
{{- end }}
{{- with $root.Values.otel.endpoint }}
{{- $_ := set $data "OTEL_EXPORTER_OTLP_ENDPOINT" . -}}
{{- end }}
{{- with $root.Values.otel.sampler }}
{{- $_ := set $data "OTEL_TRACES_SAMPLER" . -}}
{{- end }}
{{- with $root.Values.otel.samplerArg }}
{{- $_ := set $data "OTEL_TRACES_SAMPLER_ARG" . -}}
{{- end }}
{{- if $svc.kafka }}
{{- $_ := set $data "KAFKA_BROKERS" (required (printf "kafka.brokers is required: services.%s uses Kafka" $svc.name) $root.Values.kafka.brokers) -}}
{{- with $root.Values.kafka.groupPrefix }}
{{- $_ := set $data "EVENT_GROUP_PREFIX" . -}}
{{- end }}
{{- $kt := $root.Values.kafka.tls -}}
{{- if or $kt.enabled $kt.existingSecret }}
{{- $_ := set $data "KAFKA_SSL" "true" -}}
{{- end }}
{{- if $kt.existingSecret }}
{{- with $kt.caKey }}{{- $_ := set $data "KAFKA_SSL_CA_FILE" (printf "/etc/shop/tls/kafka/%s" .) -}}{{- end }}
{{- if or $kt.certKey $kt.keyKey }}
{{- $_ := set $data "KAFKA_SSL_CERT_FILE" (printf "/etc/shop/tls/kafka/%s" (required "kafka.tls.certKey is required with kafka.tls.keyKey (a client certificate needs both)" $kt.certKey)) -}}
{{- $_ := set $data "KAFKA_SSL_KEY_FILE" (printf "/etc/shop/tls/kafka/%s" (required "kafka.tls.keyKey is required with kafka.tls.certKey (a client certificate needs both)" $kt.keyKey)) -}}
{{- end }}
{{- end }}
{{- with $root.Values.kafka.sasl.mechanism }}
{{- $_ := required "kafka.sasl.existingSecret is required with kafka.sasl.mechanism: a Secret you manage holding the SASL user and password" $root.Values.kafka.sasl.existingSecret -}}
{{- $_ := set $data "KAFKA_SASL_MECHANISM" . -}}
{{- end }}
{{- end }}
{{- if and $svc.redis (not $root.Values.redis.existingSecret) }}
{{- $_ := set $data "REDIS_URL" (required (printf "redis.url (or redis.existingSecret) is required: services.%s uses Redis" $svc.name) $root.Values.redis.url) -}}
{{- end }}
{{- if and $svc.redis $root.Values.redis.tls.existingSecret }}
{{- if and $root.Values.redis.url (not (hasPrefix "rediss://" $root.Values.redis.url)) }}
{{- fail "redis.tls.existingSecret gives the CA of Redis over TLS: redis.url must be rediss://" }}
{{- end }}
{{- $_ := set $data "REDIS_TLS_CA_FILE" (printf "/etc/shop/tls/redis/%s" $root.Values.redis.tls.caKey) -}}
{{- end }}
{{- /* optional: without it, product searches with Postgres */ -}}
{{- if and $svc.elasticsearch $root.Values.elasticsearch.url (not $root.Values.elasticsearch.existingSecret) }}
{{- $_ := set $data "ELASTICSEARCH_URL" $root.Values.elasticsearch.url -}}
{{- end }}
{{- if and $svc.elasticsearch $root.Values.elasticsearch.tls.existingSecret }}
{{- $_ := set $data "ELASTICSEARCH_CA_FILE" (printf "/etc/shop/tls/elasticsearch/%s" $root.Values.elasticsearch.tls.caKey) -}}
{{- end }}
{{- range $envName, $target := $svc.grpcClients }}
{{- $_ := set $data $envName (include "shop.grpcTarget" (dict "root" $root "target" $target "from" $svc.name)) -}}
{{- end }}
{{- if $svc.migrations.enabled }}
{{- /* the hook Job migrated already; replicas must not race to do it again */ -}}
{{- $_ := set $data "MIGRATE_ON_START" "false" -}}
{{- end }}
{{- range $k, $v := $svc.env }}
{{- $s := include "shop.envValue" $v -}}
{{- if ne $s "" }}{{- $_ := set $data $k $s -}}{{- end }}
{{- end }}
{{- toYaml $data }}
{{- end }}

{{/* Does the service get a secretRef? .svc */}}
{{- define "shop.hasSecret" -}}
{{- $svc := .svc -}}
{{- $n := 0 -}}
{{- range $k, $v := $svc.secretEnv }}{{- if $v }}{{- $n = add1 $n }}{{- end }}{{- end -}}
{{- if or $svc.existingSecret (gt $n 0) $svc.requiredSecretEnv $svc.generatedSecretEnv -}}true{{- end -}}
{{- end }}

{{- define "shop.secretName" -}}
{{- default .svc.fullname .svc.existingSecret -}}
{{- end }}

{{/*
Secret data of a service (YAML map of base64 values): .root, .svc
- secretEnv values given in values win;
- requiredSecretEnv keys must be given;
- generatedSecretEnv keys not given: the value already in the release's Secret
  in the cluster (lookup) is kept, never replaced (so nothing generated changes
  on an upgrade, nor for an install made by chart 0.3, which generated at random);
  else derived from secretSeed ("shop.derivedSecret"), the same on every render of
  the same values, with or without a cluster (helm template, Argo CD, Flux);
  else the render fails: nothing is random, so no render differs from the last.
*/}}
{{- define "shop.secretData" -}}
{{- $root := .root -}}
{{- $svc := .svc -}}
{{- $data := dict -}}
{{- range $k, $v := $svc.secretEnv }}
{{- if $v }}{{- $_ := set $data $k (include "shop.envValue" $v | b64enc) }}{{- end }}
{{- end }}
{{- range $k := $svc.requiredSecretEnv }}
{{- if not (hasKey $data $k) }}
{{- fail (printf "services.%s.secretEnv.%s is required (or set services.%s.existingSecret to a Secret holding it)" $svc.name $k $svc.name) }}
{{- end }}
{{- end }}
{{- $existing := lookup "v1" "Secret" $root.Release.Namespace $svc.fullname | default dict -}}
{{- $existingData := get $existing "data" | default dict -}}
{{- range $k := $svc.generatedSecretEnv }}
{{- if not (hasKey $data $k) }}
{{- if hasKey $existingData $k }}
{{- $_ := set $data $k (get $existingData $k) }}
{{- else if $root.Values.secretSeed }}
{{- $_ := set $data $k (include "shop.derivedSecret" (dict "root" $root "svc" $svc "key" $k) | b64enc) }}
{{- else }}
{{- fail (printf "services.%s.secretEnv.%s is not given: set services.%s.existingSecret to a Secret you manage (production), give the value (--set-string services.%s.secretEnv.%s=...), or set secretSeed to derive it (see the chart's README, Secrets)" $svc.name $k $svc.name $svc.name $k) }}
{{- end }}
{{- end }}
{{- end }}
{{- toYaml $data }}
{{- end }}

{{/*
A secret derived from secretSeed: .root, .svc, .key. The same seed, release, namespace,
service and key give the same value on every render; anyone holding the seed can compute it.
42 characters: "Sh" and ten groups of three hex digits (120 bits) joined by "~". Letters and
symbols, so auth's password policy takes it as ADMIN_PASSWORD; and no four characters
in a row without a "~", which no email address has, so it never contains the admin's
email (the policy's other rule). "~" needs no escaping in a URL either.
*/}}
{{- define "shop.derivedSecret" -}}
{{- $h := sha256sum (printf "shop-chart/v1|%s|%s|%s|%s|%s" .root.Values.secretSeed .root.Release.Name .root.Release.Namespace .svc.name .key) -}}
{{- printf "Sh~%s" (regexFindAll "[0-9a-f]{3}" (substr 0 30 $h) -1 | join "~") -}}
{{- end }}

{{/*
A shared secret derived from secretSeed: .root, .key. As "shop.derivedSecret", but without a
service: "(shared)" stands where the service's name is (no service key can be that), so every
service listing .key in its sharedSecretEnv gets the same value, and it differs from any
service's own generatedSecretEnv of the same name.
*/}}
{{- define "shop.derivedSharedSecret" -}}
{{- include "shop.derivedSecret" (dict "root" .root "svc" (dict "name" "(shared)") "key" .key) -}}
{{- end }}

{{/* Name of the chart's Secret holding the sharedSecrets it keeps: <release>-shared-secrets. */}}
{{- define "shop.sharedSecretName" -}}
{{- printf "%s-shared-secrets" (include "shop.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{/* The sharedSecrets entry of .key (a map; fails when there is none): .root, .key, .from (service, for messages) */}}
{{- define "shop.sharedSecretEntry" -}}
{{- $entry := get .root.Values.sharedSecrets .key -}}
{{- if not (kindIs "map" $entry) -}}
{{- fail (printf "services.%s.sharedSecretEnv names %s, which is not in sharedSecrets" .from .key) -}}
{{- end -}}
{{- toJson $entry -}}
{{- end }}

{{/*
The keys of sharedSecrets that enabled services read (JSON list, sorted): .root
*/}}
{{- define "shop.sharedSecretKeysInUse" -}}
{{- $root := . -}}
{{- $keys := list -}}
{{- range $name, $raw := $root.Values.services }}
{{- $o := dict }}{{- include "shop.resolve" (dict "root" $root "name" $name "raw" $raw "out" $o) }}
{{- if $o.svc.enabled }}
{{- range $k := $o.svc.sharedSecretEnv }}
{{- $_ := include "shop.sharedSecretEntry" (dict "root" $root "key" $k "from" $name) -}}
{{- $keys = append $keys $k -}}
{{- end }}
{{- end }}
{{- end }}
{{- $keys | uniq | sortAlpha | toJson -}}
{{- end }}

{{/*
Data of the Secret <release>-shared-secrets (YAML map of base64 values; empty when none): .root
Every shared key in use without an existingSecret: its value when given; else the value already
in that Secret in the cluster (lookup), never replaced; else derived from secretSeed
("shop.derivedSharedSecret"); else the render fails.
*/}}
{{- define "shop.sharedSecretData" -}}
{{- $root := . -}}
{{- $data := dict -}}
{{- $existing := lookup "v1" "Secret" $root.Release.Namespace (include "shop.sharedSecretName" $root) | default dict -}}
{{- $existingData := get $existing "data" | default dict -}}
{{- range $k := include "shop.sharedSecretKeysInUse" $root | fromJsonArray }}
{{- $entry := get $root.Values.sharedSecrets $k -}}
{{- if not $entry.existingSecret }}
{{- if $entry.value }}
{{- $_ := set $data $k (include "shop.envValue" $entry.value | b64enc) }}
{{- else if hasKey $existingData $k }}
{{- $_ := set $data $k (get $existingData $k) }}
{{- else if $root.Values.secretSeed }}
{{- $_ := set $data $k (include "shop.derivedSharedSecret" (dict "root" $root "key" $k) | b64enc) }}
{{- else }}
{{- fail (printf "sharedSecrets.%s is not given: set sharedSecrets.%s.existingSecret to a Secret you manage (production), give the value (--set-string sharedSecrets.%s.value=...), or set secretSeed to derive it (see the chart's README, Secrets)" $k $k $k) }}
{{- end }}
{{- end }}
{{- end }}
{{- if $data }}{{ toYaml $data }}{{ end -}}
{{- end }}

{{/* Container env entries of the sharedSecrets a service reads (secretKeyRef): .root, .svc */}}
{{- define "shop.sharedSecretEnv" -}}
{{- $root := .root -}}
{{- range $k := .svc.sharedSecretEnv }}
{{- $entry := include "shop.sharedSecretEntry" (dict "root" $root "key" $k "from" $.svc.name) | fromJson }}
- name: {{ $k }}
  valueFrom:
    secretKeyRef:
      name: {{ default (include "shop.sharedSecretName" $root) $entry.existingSecret }}
      key: {{ ternary (default $k $entry.existingSecretKey) $k (not (empty $entry.existingSecret)) }}
{{- end }}
{{- end }}

{{/* Pod-level fields shared by Deployments and Jobs: .root, .svc */}}
{{- define "shop.podCommon" -}}
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .root.Values.podSecurityContext | nindent 2 }}
{{- with .svc.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .svc.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Container env entries taken from Secrets of external dependencies (Redis, Elasticsearch): .root, .svc */}}
{{- define "shop.dependencySecretEnv" -}}
{{- $v := .root.Values -}}
{{- if and .svc.redis $v.redis.existingSecret }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ $v.redis.existingSecret }}
      key: {{ $v.redis.existingSecretKey }}
{{- end }}
{{- if and .svc.elasticsearch $v.elasticsearch.existingSecret }}
- name: ELASTICSEARCH_URL
  valueFrom:
    secretKeyRef:
      name: {{ $v.elasticsearch.existingSecret }}
      key: {{ $v.elasticsearch.existingSecretKey }}
{{- end }}
{{- $ea := $v.elasticsearch.auth }}
{{- if and .svc.elasticsearch $ea.existingSecret }}
{{- if and $ea.apiKeyKey (or $ea.usernameKey $ea.passwordKey) }}
{{- fail "elasticsearch.auth: give apiKeyKey, or usernameKey and passwordKey, not both" }}
{{- end }}
{{- if not (or $ea.apiKeyKey (and $ea.usernameKey $ea.passwordKey)) }}
{{- fail "elasticsearch.auth.existingSecret needs apiKeyKey, or both usernameKey and passwordKey" }}
{{- end }}
{{- range $name, $key := dict "ELASTICSEARCH_API_KEY" $ea.apiKeyKey "ELASTICSEARCH_USERNAME" $ea.usernameKey "ELASTICSEARCH_PASSWORD" $ea.passwordKey }}
{{- if $key }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $ea.existingSecret }}
      key: {{ $key }}
{{- end }}
{{- end }}
{{- end }}
{{- if and .svc.kafka $v.kafka.sasl.mechanism }}
- name: KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $v.kafka.sasl.existingSecret }}
      key: {{ $v.kafka.sasl.usernameKey }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $v.kafka.sasl.existingSecret }}
      key: {{ $v.kafka.sasl.passwordKey }}
{{- end }}
{{- if and .svc.stripe (include "shop.stripeConfigured" .root) }}
{{- $stripe := $v.payment.stripe }}
- name: STRIPE_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "shop.stripeSecretName" .root }}
      key: {{ ternary $stripe.existingSecretKeys.secretKey "STRIPE_SECRET_KEY" (ne $stripe.existingSecret "") }}
- name: STRIPE_WEBHOOK_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "shop.stripeSecretName" .root }}
      key: {{ ternary $stripe.existingSecretKeys.webhookSecret "STRIPE_WEBHOOK_SECRET" (ne $stripe.existingSecret "") }}
{{- end }}
{{- end }}

{{/*
Stripe (payment.stripe): "true" when keys are configured, by existingSecret or by value;
else the services with stripe: true run their TEST provider. Fails on half a configuration.
*/}}
{{- define "shop.stripeConfigured" -}}
{{- $s := .Values.payment.stripe -}}
{{- if $s.existingSecret -}}
true
{{- else if and $s.secretKey $s.webhookSecret -}}
true
{{- else if $s.secretKey -}}
{{- fail "payment.stripe.webhookSecret is required with payment.stripe.secretKey (Stripe webhooks cannot be verified without it)" -}}
{{- else if $s.webhookSecret -}}
{{- fail "payment.stripe.secretKey is required with payment.stripe.webhookSecret (or set neither for the TEST provider)" -}}
{{- end -}}
{{- end }}

{{/* Name of the Secret with the Stripe keys: the existingSecret, else <release>-payment-stripe. */}}
{{- define "shop.stripeSecretName" -}}
{{- default (printf "%s-payment-stripe" (include "shop.fullname" .) | trunc 63 | trimSuffix "-") .Values.payment.stripe.existingSecret -}}
{{- end }}

{{/*
Secrets holding CAs and client certificates (PEM) of the external dependencies, mounted read-only
under /etc/shop/tls/<name>: Kafka, Redis and Elasticsearch for the services that use them, Postgres
(sslrootcert=/etc/shop/tls/postgres/<key> in DATABASE_URL) for every pod. Lists of { name, secret, path }: .root, .svc
*/}}
{{- define "shop.tlsSecrets" -}}
{{- $v := .root.Values -}}
{{- $list := list -}}
{{- if and .svc.kafka $v.kafka.tls.existingSecret }}{{- $list = append $list (dict "name" "kafka-tls" "secret" $v.kafka.tls.existingSecret "path" "/etc/shop/tls/kafka") -}}{{- end }}
{{- if and .svc.redis $v.redis.tls.existingSecret }}{{- $list = append $list (dict "name" "redis-tls" "secret" $v.redis.tls.existingSecret "path" "/etc/shop/tls/redis") -}}{{- end }}
{{- if and .svc.elasticsearch $v.elasticsearch.tls.existingSecret }}{{- $list = append $list (dict "name" "elasticsearch-tls" "secret" $v.elasticsearch.tls.existingSecret "path" "/etc/shop/tls/elasticsearch") -}}{{- end }}
{{- if $v.postgres.tls.existingSecret }}{{- $list = append $list (dict "name" "postgres-tls" "secret" $v.postgres.tls.existingSecret "path" "/etc/shop/tls/postgres") -}}{{- end }}
{{- toJson $list -}}
{{- end }}

{{/* volumeMounts entries of shop.tlsSecrets: .root, .svc */}}
{{- define "shop.tlsVolumeMounts" -}}
{{- range (include "shop.tlsSecrets" . | fromJsonArray) }}
- name: {{ .name }}
  mountPath: {{ .path }}
  readOnly: true
{{- end }}
{{- end }}

{{/* volumes entries of shop.tlsSecrets: .root, .svc */}}
{{- define "shop.tlsVolumes" -}}
{{- range (include "shop.tlsSecrets" . | fromJsonArray) }}
- name: {{ .name }}
  secret:
    secretName: {{ .secret }}
    defaultMode: 0440
{{- end }}
{{- end }}
