#!/usr/bin/env bash
# Prints the path of a helm binary, getting one first when there is none:
#
#   HELM="$(bash scripts/helm.sh)"
#
# $HELM if set, else `helm` on PATH, else a helm built once from the Go module proxy into
# ${SHOP_CACHE_DIR:-~/.cache/shop-platform}/bin (a few minutes the first time, instant
# afterwards). Used by scripts/helm-check.sh and by the deploy tests (deploy/test), which
# render the chart. Exits non-zero, saying why, when no helm can be had.
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.21.4}"
CACHE_BIN="${SHOP_CACHE_DIR:-$HOME/.cache/shop-platform}/bin"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'helm.sh: FAIL: %s\n' "$*" >&2; exit 1; }

cached_helm_version() {
  # go version -m reads the module version a binary was built from.
  [ -x "$CACHE_BIN/helm" ] || return 1
  command -v go >/dev/null || return 1
  go version -m "$CACHE_BIN/helm" 2>/dev/null | awk '$1=="mod" && $2=="helm.sh/helm/v3" {print $3}'
}

install_helm() {
  command -v go >/dev/null || die "helm is not on PATH and Go is not installed to build it"
  log "building helm $HELM_VERSION with Go into $CACHE_BIN (first run only, a few minutes)"
  local start gomod k8s_minor tmpbin
  start=$(date +%s)
  # The official build stamps the version and the Kubernetes version its
  # client libraries target (else `helm template` assumes Kubernetes 1.20).
  gomod="$(go mod download -json "helm.sh/helm/v3@$HELM_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  k8s_minor="$(awk '$1=="k8s.io/client-go" {print $2}' "$gomod" | cut -d. -f2)"
  [ -n "$k8s_minor" ] || die "cannot read the client-go version of helm $HELM_VERSION"
  mkdir -p "$CACHE_BIN"
  tmpbin="$(mktemp -d "$CACHE_BIN/.helm-build.XXXXXX")"
  GOBIN="$tmpbin" GOFLAGS="${GOFLAGS:-} -trimpath" go install \
    -ldflags "-s -w \
      -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION \
      -X helm.sh/helm/v3/internal/version.gitTreeState=clean \
      -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 \
      -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$k8s_minor \
      -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 \
      -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$k8s_minor" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
  mv -f "$tmpbin/helm" "$CACHE_BIN/helm"   # atomic: a concurrent run never sees half a binary
  rmdir "$tmpbin"
  log "helm $HELM_VERSION built in $(( $(date +%s) - start ))s"
}

if [ -n "${HELM:-}" ]; then
  [ -x "$HELM" ] || die "HELM=$HELM is not an executable"
elif command -v helm >/dev/null 2>&1; then
  HELM="$(command -v helm)"
else
  if [ "$(cached_helm_version || true)" != "$HELM_VERSION" ]; then
    install_helm
  fi
  HELM="$CACHE_BIN/helm"
fi
printf '%s\n' "$HELM"
