#!/usr/bin/env bash
# Stop the servers scripts/infra/up.sh started. Caches and data dirs stay.
#
#   bash scripts/infra/down.sh                # all
#   bash scripts/infra/down.sh kafka          # only these (postgres redis kafka elasticsearch mailpit ferretdb)
set -euo pipefail

SHOP_CACHE_DIR="${SHOP_CACHE_DIR:-$HOME/.cache/shop-platform}"
SHOP_INFRA_STATE="${SHOP_INFRA_STATE:-$SHOP_CACHE_DIR/run}"
PG_PORT="${SHOP_PG_PORT:-55432}"
REDIS_PORT="${SHOP_REDIS_PORT:-56379}"

ALL_SERVERS=(postgres redis kafka elasticsearch mailpit ferretdb)   # stopped in reverse order

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

# Wait up to $2 seconds for pid $1 to exit.
wait_gone() {
  local pid=$1 i
  for ((i = 0; i < $2 * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  return 1
}

down_postgres() {
  local data="$SHOP_INFRA_STATE/postgres/data" bin
  if [[ ! -s $data/postmaster.pid ]]; then log "postgres: not running"; return 0; fi
  local pid
  pid=$(head -n1 "$data/postmaster.pid")
  if ! grep -qE '^(postgres|postmaster)' "/proc/$pid/comm" 2>/dev/null; then
    # Stale (crash/reboot): pg_ctl would signal whatever process has that pid now.
    log "postgres: not running (removing stale postmaster.pid)"
    rm -f "$data/postmaster.pid"
    return 0
  fi
  bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n1)")
  log "postgres: stopping"
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null) || true
  else
    "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null || true
  fi
}

down_redis() {
  local pidf="$SHOP_INFRA_STATE/redis/redis.pid" pid=""
  [[ -s $pidf ]] && pid=$(<"$pidf")
  if command -v redis-cli >/dev/null &&
     [[ $(timeout 2 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; then
    log "redis: stopping"
    timeout 10 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  elif [[ -z $pid ]] || ! grep -qa redis-server "/proc/$pid/cmdline" 2>/dev/null; then
    log "redis: not running"
    rm -f "$pidf"
    return 0
  fi
  if [[ -n $pid ]] && grep -qa redis-server "/proc/$pid/cmdline" 2>/dev/null; then
    wait_gone "$pid" 10 || { kill -TERM "$pid" 2>/dev/null || true; wait_gone "$pid" 10 || kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$pidf"
}

down_kafka() {
  local pidf="$SHOP_INFRA_STATE/kafka/kafka.pid" pid
  if [[ ! -s $pidf ]]; then log "kafka: not running"; return 0; fi
  pid=$(<"$pidf")
  if ! grep -qa kafka.Kafka "/proc/$pid/cmdline" 2>/dev/null; then
    log "kafka: not running (removing stale pid file)"
    rm -f "$pidf"
    return 0
  fi
  log "kafka: stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" 60; then
    log "kafka: still running after 60 s, killing"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || die "kafka: pid $pid does not die"
  fi
  rm -f "$pidf"
}

down_elasticsearch() {
  local pidf="$SHOP_INFRA_STATE/elasticsearch/elasticsearch.pid" pid
  if [[ ! -s $pidf ]]; then log "elasticsearch: not running"; return 0; fi
  pid=$(<"$pidf")
  # The server JVM runs with -Djdk.module.main=org.elasticsearch.server.
  if ! grep -qa org.elasticsearch.server "/proc/$pid/cmdline" 2>/dev/null; then
    log "elasticsearch: not running (removing stale pid file)"
    rm -f "$pidf"
    return 0
  fi
  log "elasticsearch: stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" 60; then
    log "elasticsearch: still running after 60 s, killing"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || die "elasticsearch: pid $pid does not die"
  fi
  rm -f "$pidf"
}

down_mailpit() {
  local pidf="$SHOP_INFRA_STATE/mailpit/mailpit.pid" pid
  if [[ ! -s $pidf ]]; then log "mailpit: not running"; return 0; fi
  pid=$(<"$pidf")
  if ! grep -qa mailpit "/proc/$pid/cmdline" 2>/dev/null; then
    log "mailpit: not running (removing stale pid file)"
    rm -f "$pidf"
    return 0
  fi
  log "mailpit: stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  wait_gone "$pid" 10 || kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidf"
}

down_ferretdb() {
  local pidf="$SHOP_INFRA_STATE/ferretdb/ferretdb.pid" pid
  if [[ ! -s $pidf ]]; then log "ferretdb: not running"; return 0; fi
  pid=$(<"$pidf")
  if ! grep -qa ferretdb "/proc/$pid/cmdline" 2>/dev/null; then
    log "ferretdb: not running (removing stale pid file)"
    rm -f "$pidf"
    return 0
  fi
  log "ferretdb: stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  wait_gone "$pid" 10 || kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidf"
}

main() {
  local -a servers=("$@") order=()
  ((${#servers[@]})) || servers=("${ALL_SERVERS[@]}")
  local s i
  for s in "${servers[@]}"; do
    declare -F "down_$s" >/dev/null || die "unknown server '$s' (known: ${ALL_SERVERS[*]})"
  done
  for ((i = ${#ALL_SERVERS[@]} - 1; i >= 0; i--)); do
    for s in "${servers[@]}"; do
      [[ $s == "${ALL_SERVERS[i]}" ]] && order+=("$s")
    done
  done
  for s in "${order[@]}"; do "down_$s"; done

  # Drop the stopped servers' lines from endpoints.env.
  local env_file="$SHOP_INFRA_STATE/endpoints.env" var
  if [[ -f $env_file ]]; then
    for s in "${order[@]}"; do
      case $s in
        postgres) var=POSTGRES_URL ;; redis) var=REDIS_URL ;; kafka) var=KAFKA_BROKERS ;;
        elasticsearch) var=ELASTICSEARCH_URL ;; mailpit) var='MAILPIT_(SMTP_)?URL' ;; ferretdb) var=MONGO_URL ;; *) var="" ;;
      esac
      [[ -n $var ]] && sed -E -i "/^$var=/d" "$env_file"
    done
    [[ -s $env_file ]] || rm -f "$env_file"
  fi
}

main "$@"
