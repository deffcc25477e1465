#!/usr/bin/env bash
# Fetch (once, from the Go module proxy), cache and start stripe-mock on loopback: Stripe's
# official API mock, for the payment service's tests.
#
#   bash scripts/infra/stripe-mock.sh          # start if not running; prints STRIPE_MOCK_URL=...
#   bash scripts/infra/stripe-mock.sh stop     # stop the one this script started
#
# Idempotent: a stripe-mock that already answers is left alone; a stale pid file is cleaned up.
# The binary is cached in $SHOP_CACHE_DIR/bin, runtime state (pid file, log) lives in
# $SHOP_INFRA_STATE/stripe-mock, as for scripts/infra/up.sh.
set -euo pipefail

SHOP_CACHE_DIR="${SHOP_CACHE_DIR:-$HOME/.cache/shop-platform}"
SHOP_INFRA_STATE="${SHOP_INFRA_STATE:-$SHOP_CACHE_DIR/run}"
HTTP_PORT="${SHOP_STRIPE_MOCK_PORT:-12111}"
HTTPS_PORT="${SHOP_STRIPE_MOCK_HTTPS_PORT:-12112}"
VERSION="${SHOP_STRIPE_MOCK_VERSION:-latest}"
START_TIMEOUT="${SHOP_STRIPE_MOCK_START_TIMEOUT:-30}"

BIN_DIR="$SHOP_CACHE_DIR/bin"
BIN="$BIN_DIR/stripe-mock"
STATE_DIR="$SHOP_INFRA_STATE/stripe-mock"
PID_FILE="$STATE_DIR/stripe-mock.pid"
LOG_FILE="$STATE_DIR/stripe-mock.log"
URL="http://127.0.0.1:$HTTP_PORT"

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

# stripe-mock answers any authenticated API call; an unauthenticated one gets 401, which also proves it is up.
is_up() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -m 2 -H 'Authorization: Bearer sk_test_123' "$URL/v1/payment_intents?limit=1" 2>/dev/null) || return 1
  [[ $code == 200 ]]
}

pid_alive() {
  local pid
  [[ -s $PID_FILE ]] || return 1
  pid=$(<"$PID_FILE")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- stripe-mock
}

# The process just started in the background still runs. Not pid_alive: until the background child
# has exec'd, its cmdline is still this script's, and an exited child stays a zombie until reaped.
launched_alive() {
  local pid
  [[ -s $PID_FILE ]] || return 1
  pid=$(<"$PID_FILE")
  [[ -r /proc/$pid/stat ]] || return 1
  [[ $(cut -d' ' -f3 "/proc/$pid/stat") != Z ]]
}

port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

stop() {
  if pid_alive; then
    local pid
    pid=$(<"$PID_FILE")
    log "stripe-mock: stopping (pid $pid)"
    kill "$pid"
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  else
    log "stripe-mock: not running"
  fi
  rm -f "$PID_FILE"
}

install() {
  [[ -x $BIN ]] && return 0
  command -v go >/dev/null || die "stripe-mock: go is needed to fetch github.com/stripe/stripe-mock (not found on PATH)"
  mkdir -p "$BIN_DIR"
  log "stripe-mock: go install github.com/stripe/stripe-mock@$VERSION into $BIN_DIR"
  GOBIN="$BIN_DIR" go install "github.com/stripe/stripe-mock@$VERSION" >&2 || die "stripe-mock: go install failed"
  [[ -x $BIN ]] || die "stripe-mock: go install finished but $BIN is missing"
}

start() {
  if is_up; then
    log "stripe-mock: already up on $URL"
    echo "STRIPE_MOCK_URL=$URL"
    return 0
  fi
  install
  mkdir -p "$STATE_DIR"
  # One start at a time: a second caller waits here and then finds the first one's server up.
  exec 9>"$STATE_DIR/.lock"
  flock -w $((START_TIMEOUT + 30)) 9 || die "stripe-mock: could not take $STATE_DIR/.lock"
  if ! is_up; then
    if [[ -e $PID_FILE ]] && ! pid_alive; then
      log "stripe-mock: removing stale pid file $PID_FILE"
      rm -f "$PID_FILE"
    fi
    if ! pid_alive; then
      if port_open "$HTTP_PORT"; then die "stripe-mock: port 127.0.0.1:$HTTP_PORT is taken by something else"; fi
      log "stripe-mock: starting on $URL (HTTPS on 127.0.0.1:$HTTPS_PORT)"
      # 9>&-: the daemon must not inherit the lock. setsid: it outlives this script's session.
      setsid "$BIN" -http-addr "127.0.0.1:$HTTP_PORT" -https-addr "127.0.0.1:$HTTPS_PORT" \
        </dev/null >"$LOG_FILE" 2>&1 9>&- &
      echo $! >"$PID_FILE"
    fi
    local deadline=$((SECONDS + START_TIMEOUT))
    until is_up; do
      if ! launched_alive; then tail -n 20 "$LOG_FILE" >&2 || true; die "stripe-mock: exited during start; log: $LOG_FILE"; fi
      ((SECONDS < deadline)) || die "stripe-mock: no answer on $URL within ${START_TIMEOUT} s; log: $LOG_FILE"
      sleep 0.2
    done
    log "stripe-mock: up on $URL"
  fi
  echo "STRIPE_MOCK_URL=$URL"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) die "usage: $0 [start|stop]" ;;
esac
