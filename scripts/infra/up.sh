#!/usr/bin/env bash
# Fetch, cache and start the real servers the tests need, on loopback only.
#
#   bash scripts/infra/up.sh                 # postgres redis kafka elasticsearch mailpit ferretdb
#   bash scripts/infra/up.sh postgres redis  # only these
#
# Idempotent: a server that already answers is left alone; a stale pid file is
# cleaned up. Everything fetched is cached under $SHOP_CACHE_DIR, all runtime
# state (data dirs, pid files, logs) lives under $SHOP_INFRA_STATE.
# At the end $SHOP_INFRA_STATE/endpoints.env lists the endpoints of the servers
# that are up. See scripts/infra/README.md.
set -euo pipefail

SHOP_CACHE_DIR="${SHOP_CACHE_DIR:-$HOME/.cache/shop-platform}"
SHOP_INFRA_STATE="${SHOP_INFRA_STATE:-$SHOP_CACHE_DIR/run}"

PG_PORT="${SHOP_PG_PORT:-55432}"
REDIS_PORT="${SHOP_REDIS_PORT:-56379}"
KAFKA_PORT="${SHOP_KAFKA_PORT:-59092}"
KAFKA_CONTROLLER_PORT="${SHOP_KAFKA_CONTROLLER_PORT:-59093}"
KAFKA_VERSION="${SHOP_KAFKA_VERSION:-3.9.1}"
KAFKA_SCALA="2.13"
KAFKA_START_TIMEOUT="${SHOP_KAFKA_START_TIMEOUT:-90}"
# Past this many partitions left by earlier test runs, Kafka is started again empty (see up_kafka).
KAFKA_MAX_PARTITIONS="${SHOP_KAFKA_MAX_PARTITIONS:-3000}"
KAFKA_HEAP="${SHOP_KAFKA_HEAP:--Xmx512m}"
ES_PORT="${SHOP_ES_PORT:-59200}"
# A range: a single node only needs one transport port, and these ports lie in Linux's ephemeral
# range, so a client socket of Kafka's (even one in TIME-WAIT) can hold 59300 when ES starts.
ES_TRANSPORT_PORT="${SHOP_ES_TRANSPORT_PORT:-59300-59399}"
ES_VERSION="${SHOP_ES_VERSION:-8.19.21}"
ES_HEAP="${SHOP_ES_HEAP:--Xms512m -Xmx512m}"
ES_START_TIMEOUT="${SHOP_ES_START_TIMEOUT:-120}"
ES_USER="elasticsearch"   # Elasticsearch refuses to run as root
MAILPIT_SMTP_PORT="${SHOP_MAILPIT_SMTP_PORT:-51025}"
MAILPIT_HTTP_PORT="${SHOP_MAILPIT_HTTP_PORT:-58025}"
MAILPIT_VERSION="${SHOP_MAILPIT_VERSION:-v1.33.1}"
MAILPIT_START_TIMEOUT="${SHOP_MAILPIT_START_TIMEOUT:-30}"
FERRETDB_PORT="${SHOP_FERRETDB_PORT:-57017}"
FERRETDB_START_TIMEOUT="${SHOP_FERRETDB_START_TIMEOUT:-30}"

# Every server this script knows, in start order. A server NAME needs the
# functions up_NAME (ensure installed + started), is_up_NAME (fast check, no
# JVM) and endpoint_NAME (prints VAR=value).
ALL_SERVERS=(postgres redis kafka elasticsearch mailpit ferretdb)

APT_UPDATED=0

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

now_ms() { date +%s%3N; }

# Is a TCP port on 127.0.0.1 accepting connections? (no nc needed)
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# pid_alive PIDFILE PATTERN: the pid in PIDFILE is a live process whose
# command line contains PATTERN (guards against pid reuse after a reboot).
pid_alive() {
  local file=$1 pattern=$2 pid
  [[ -s $file ]] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$pattern"
}

# launched_alive PID_FILE: the process this script just started in the background still runs.
# Not pid_alive: until the background child has exec'd, its cmdline is still this script's, and
# an exited child stays a zombie until reaped.
launched_alive() {
  local pid
  [[ -s $1 ]] || return 1
  pid=$(<"$1")
  [[ -r /proc/$pid/stat ]] || return 1
  [[ $(cut -d' ' -f3 "/proc/$pid/stat") != Z ]]
}

as_root() {
  if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# apt_install PKG...: apt-get update once per run, install without letting the
# packages' own services (Debian's main postgres cluster, redis on 6379) start.
apt_install() {
  command -v apt-get >/dev/null || die "apt-get not found; install $* yourself"
  export DEBIAN_FRONTEND=noninteractive
  if [[ $APT_UPDATED -eq 0 ]]; then
    log "apt-get update"
    as_root apt-get update -q >/dev/null
    APT_UPDATED=1
  fi
  local made_policy=0 rc=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    # policy-rc.d exiting 101 = "do not start services from maintainer scripts"
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  log "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" \
    >/dev/null 2> >(grep -v '^debconf: delaying package configuration' >&2) 9>&- || rc=$?
  if [[ $made_policy -eq 1 ]]; then as_root rm -f /usr/sbin/policy-rc.d; fi
  [[ $rc -eq 0 ]] || die "apt-get install $* failed (exit $rc)"
}

# ---------------------------------------------------------------- postgres --

PG_DIR="$SHOP_INFRA_STATE/postgres"      # socket dir, log; owned by the db user
PG_DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/postgres.log"

pg_bindir() {
  local p
  p=$(ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sort -V | tail -n1 || true)
  [[ -n $p ]] && dirname "$p"
}

# Postgres refuses to run as root: as root, run it as the `postgres` OS user.
as_pg() {
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

is_up_postgres() {
  local bin
  bin=$(pg_bindir) || return 1
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2
}

endpoint_postgres() {
  echo "POSTGRES_URL=postgres://postgres:postgres@127.0.0.1:$PG_PORT/postgres"
}

# ensure_traversable USER DIR: as root, make sure the OS user USER can enter
# DIR. Under /root (mode 700) it cannot: grant search (x) permission -- not
# read -- on the blocking parents.
ensure_traversable() {
  local user=$1 dir=$2
  [[ $EUID -eq 0 ]] || return 0
  (cd / && runuser -u "$user" -- test -x "$dir") && return 0
  local path="" part
  local -a parts
  IFS=/ read -ra parts <<<"$dir"
  for part in "${parts[@]}"; do
    [[ -n $part ]] || continue
    path="$path/$part"
    if ! (cd / && runuser -u "$user" -- test -x "$path"); then
      log "granting the $user user search permission (chmod o+x) on $path"
      chmod o+x "$path"
    fi
  done
}

# The postgres user must be able to reach the data dir.
pg_ensure_traversable() { ensure_traversable postgres "$PG_DIR"; }

up_postgres() {
  if is_up_postgres; then
    log "postgres: already up on 127.0.0.1:$PG_PORT"
    return 0
  fi
  local bin
  if ! bin=$(pg_bindir); then
    apt_install postgresql postgresql-contrib
    bin=$(pg_bindir) || die "postgres binaries still missing after apt-get install"
  fi
  if [[ $EUID -eq 0 ]]; then id postgres >/dev/null 2>&1 || die "no 'postgres' OS user (it comes with the postgresql package)"; fi

  mkdir -p "$PG_DIR"
  if [[ $EUID -eq 0 ]]; then chown postgres: "$PG_DIR"; fi
  chmod 700 "$PG_DIR"
  pg_ensure_traversable

  if [[ ! -s $PG_DATA/PG_VERSION ]]; then
    log "postgres: initdb $PG_DATA ($("$bin/postgres" --version))"
    rm -rf "$PG_DATA"
    local pwfile="$PG_DIR/.pwfile"
    printf 'postgres\n' >"$pwfile"
    if [[ $EUID -eq 0 ]]; then chown postgres: "$pwfile"; fi
    chmod 600 "$pwfile"
    as_pg "$bin/initdb" -D "$PG_DATA" -U postgres --pwfile="$pwfile" \
      --locale=C.UTF-8 --encoding=UTF8 \
      --auth-local=trust --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1 ||
      { tail -n 30 "$PG_DIR/initdb.log" >&2; rm -f "$pwfile"; die "postgres: initdb failed"; }
    rm -f "$pwfile"
    echo "include_if_exists = 'shop-test.conf'" >>"$PG_DATA/postgresql.conf"
  fi

  # Test-cluster settings, rewritten on every start so edits here take effect.
  cat >"$PG_DATA/shop-test.conf" <<EOF
# Written by scripts/infra/up.sh -- a throwaway cluster for tests.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
password_encryption = 'scram-sha-256'
max_connections = 300
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
log_min_messages = warning
log_min_error_statement = error
EOF
  if [[ $EUID -eq 0 ]]; then chown postgres: "$PG_DATA/shop-test.conf"; fi

  # Stale postmaster.pid (e.g. after a reboot the pid may now belong to some
  # other process, which makes postgres refuse to start): remove it.
  local pidf="$PG_DATA/postmaster.pid"
  if [[ -s $pidf ]]; then
    local pid
    pid=$(head -n1 "$pidf")
    if ! [[ -r /proc/$pid/comm ]] || ! grep -qE '^(postgres|postmaster)' "/proc/$pid/comm"; then
      log "postgres: removing stale $pidf (pid $pid is not a running postgres)"
      rm -f "$pidf"
    else
      die "postgres: pid $pid is running on $PG_DATA but 127.0.0.1:$PG_PORT does not answer; see $PG_LOG"
    fi
  fi
  if port_open "$PG_PORT"; then
    die "postgres: port 127.0.0.1:$PG_PORT is taken by another process"
  fi

  log "postgres: starting on 127.0.0.1:$PG_PORT"
  # 9>&-: the daemon must not inherit the up.sh lock (it would hold it forever).
  as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null 9>&- ||
    { tail -n 30 "$PG_LOG" >&2 || true; die "postgres: pg_ctl start failed; log: $PG_LOG"; }
  local i
  for ((i = 0; i < 60; i++)); do
    is_up_postgres && return 0
    sleep 0.5
  done
  tail -n 30 "$PG_LOG" >&2 || true
  die "postgres: pg_isready did not answer within 30 s; log: $PG_LOG"
}

# ------------------------------------------------------------------- redis --

REDIS_DIR="$SHOP_INFRA_STATE/redis"
REDIS_PID="$REDIS_DIR/redis.pid"
REDIS_LOG="$REDIS_DIR/redis.log"

is_up_redis() {
  command -v redis-cli >/dev/null || return 1
  [[ $(timeout 2 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
}

endpoint_redis() {
  echo "REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
}

up_redis() {
  if is_up_redis; then
    log "redis: already up on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
    apt_install redis-server
  fi
  mkdir -p "$REDIS_DIR"
  if [[ -e $REDIS_PID ]] && ! pid_alive "$REDIS_PID" redis-server; then
    log "redis: removing stale pid file $REDIS_PID"
    rm -f "$REDIS_PID"
  fi
  if port_open "$REDIS_PORT"; then
    die "redis: port 127.0.0.1:$REDIS_PORT is taken by something that does not answer PING"
  fi
  log "redis: starting on 127.0.0.1:$REDIS_PORT"
  # Empty config from stdin ('-'), everything on the command line; no RDB, no AOF.
  redis-server - --bind 127.0.0.1 --port "$REDIS_PORT" \
    --daemonize yes --pidfile "$REDIS_PID" --logfile "$REDIS_LOG" \
    --dir "$REDIS_DIR" --save '' --appendonly no \
    --databases 64 --maxclients 2000 </dev/null >"$REDIS_DIR/start.log" 2>&1 9>&- ||
    { cat "$REDIS_DIR/start.log" >&2; die "redis: redis-server failed to start; log: $REDIS_LOG"; }
  local i
  for ((i = 0; i < 60; i++)); do
    is_up_redis && return 0
    sleep 0.25
  done
  tail -n 30 "$REDIS_LOG" >&2 || true
  die "redis: no PONG within 15 s; log: $REDIS_LOG"
}

# ------------------------------------------------------------------- kafka --

KAFKA_HOME="$SHOP_CACHE_DIR/kafka-$KAFKA_VERSION"   # pom.xml + libs/ (cache)
KAFKA_LIBS="$KAFKA_HOME/libs"
KAFKA_DIR="$SHOP_INFRA_STATE/kafka"                  # state
KAFKA_DATA="$KAFKA_DIR/data"
KAFKA_PROPS="$KAFKA_DIR/server.properties"
KAFKA_PID="$KAFKA_DIR/kafka.pid"
KAFKA_LOG="$KAFKA_DIR/kafka.log"
KAFKA_CLUSTER_ID="$KAFKA_DIR/cluster.id"
KAFKA_MAIN="kafka.Kafka"

is_up_kafka() {
  pid_alive "$KAFKA_PID" "$KAFKA_MAIN" && port_open "$KAFKA_PORT"
}

endpoint_kafka() {
  echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
}

# Resolve kafka_2.13 (+ kafka-tools for the admin CLI classes, + the slf4j ->
# reload4j binding the Kafka distribution ships) from Maven Central into
# $KAFKA_LIBS. Skipped when a previous fetch completed.
kafka_fetch() {
  if [[ -f $KAFKA_LIBS/.complete ]]; then return 0; fi
  command -v mvn >/dev/null || die "kafka: mvn not found (Maven is needed to fetch Kafka)"
  command -v java >/dev/null || die "kafka: java not found"
  mkdir -p "$KAFKA_HOME"
  cat >"$KAFKA_HOME/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by scripts/infra/up.sh: only used to fetch Kafka's jars. -->
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 http://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.shop-platform.infra</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>$KAFKA_VERSION</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_$KAFKA_SCALA</artifactId>
      <version>$KAFKA_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka-tools</artifactId>
      <version>$KAFKA_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-reload4j</artifactId>
      <version>1.7.36</version>
    </dependency>
    <dependency>
      <groupId>ch.qos.reload4j</groupId>
      <artifactId>reload4j</artifactId>
      <version>1.2.25</version>
    </dependency>
  </dependencies>
  <build>
    <pluginManagement>
      <plugins>
        <plugin>
          <groupId>org.apache.maven.plugins</groupId>
          <artifactId>maven-dependency-plugin</artifactId>
          <version>3.8.1</version>
        </plugin>
      </plugins>
    </pluginManagement>
  </build>
</project>
EOF
  log "kafka: fetching org.apache.kafka:kafka_$KAFKA_SCALA:$KAFKA_VERSION and its dependencies with Maven"
  local tmp="$KAFKA_HOME/libs.tmp"
  rm -rf "$tmp"
  if ! mvn -B -q -f "$KAFKA_HOME/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp" >"$KAFKA_HOME/mvn.log" 2>&1; then
    tail -n 40 "$KAFKA_HOME/mvn.log" >&2
    die "kafka: mvn dependency:copy-dependencies failed; log: $KAFKA_HOME/mvn.log"
  fi
  [[ -f $tmp/kafka_$KAFKA_SCALA-$KAFKA_VERSION.jar ]] || die "kafka: fetch finished but kafka_$KAFKA_SCALA-$KAFKA_VERSION.jar is missing in $tmp"
  rm -rf "$KAFKA_LIBS"
  mv "$tmp" "$KAFKA_LIBS"
  touch "$KAFKA_LIBS/.complete"
  log "kafka: $(ls "$KAFKA_LIBS"/*.jar | wc -l) jars in $KAFKA_LIBS"
}

kafka_java() { # kafka_java LOG4J_CONFIG MAINCLASS ARGS...
  local cfg=$1; shift
  java -Dlog4j.configuration="file:$cfg" -cp "$KAFKA_LIBS/*" "$@"
}

kafka_write_config() {
  mkdir -p "$KAFKA_DATA"
  cat >"$KAFKA_PROPS" <<EOF
# Written by scripts/infra/up.sh -- single-node KRaft (broker + controller) for tests.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA
auto.create.topics.enable=true
delete.topic.enable=true
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
# A test broker: old test events are dropped within the hour so new consumer groups start quickly.
log.retention.ms=3600000
log.roll.ms=900000
log.retention.check.interval.ms=300000
EOF
  cat >"$KAFKA_DIR/log4j.properties" <<'EOF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.org.apache.kafka.storage.internals.log=WARN
EOF
  cat >"$KAFKA_DIR/tools-log4j.properties" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.appender.stderr.Target=System.err
EOF
}

up_kafka() {
  # Test runs and benches make topics of their own (a run's prefix) and leave them behind. Past a few
  # thousand partitions the broker spends its CPU on metadata, answers "not the leader" for minutes
  # after a topic is made and takes over a minute to start: its data is throwaway test data, so
  # Kafka is started again, empty.
  local partitions
  partitions=$(find "$KAFKA_DATA" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l)
  if ((partitions > KAFKA_MAX_PARTITIONS)); then
    log "kafka: $partitions partitions left by earlier test runs (more than $KAFKA_MAX_PARTITIONS): starting it again, empty"
    if pid_alive "$KAFKA_PID" "$KAFKA_MAIN"; then
      local old
      old=$(<"$KAFKA_PID")
      kill "$old" 2>/dev/null || true
      local deadline=$((SECONDS + 60))
      while kill -0 "$old" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
      kill -9 "$old" 2>/dev/null || true
    fi
    rm -f "$KAFKA_PID"
    rm -rf "$KAFKA_DATA"
  fi
  if is_up_kafka; then
    log "kafka: already up on 127.0.0.1:$KAFKA_PORT (pid $(<"$KAFKA_PID"))"
    return 0
  fi
  mkdir -p "$KAFKA_DIR"
  if [[ -e $KAFKA_PID ]]; then
    if pid_alive "$KAFKA_PID" "$KAFKA_MAIN"; then
      # Alive but not listening yet (another up.sh started it moments ago?)
      log "kafka: pid $(<"$KAFKA_PID") is alive, waiting for it"
      kafka_wait "$(<"$KAFKA_PID")"
      return 0
    fi
    log "kafka: removing stale pid file $KAFKA_PID"
    rm -f "$KAFKA_PID"
  fi
  if port_open "$KAFKA_PORT" || port_open "$KAFKA_CONTROLLER_PORT"; then
    die "kafka: port 127.0.0.1:$KAFKA_PORT or :$KAFKA_CONTROLLER_PORT is taken by a process this script did not start"
  fi

  kafka_fetch
  kafka_write_config

  if [[ ! -s $KAFKA_CLUSTER_ID ]]; then
    kafka_java "$KAFKA_DIR/tools-log4j.properties" kafka.tools.StorageTool random-uuid \
      >"$KAFKA_CLUSTER_ID.tmp"
    mv "$KAFKA_CLUSTER_ID.tmp" "$KAFKA_CLUSTER_ID"
  fi
  if [[ ! -f $KAFKA_DATA/meta.properties ]]; then
    log "kafka: formatting $KAFKA_DATA (cluster id $(<"$KAFKA_CLUSTER_ID"))"
    kafka_java "$KAFKA_DIR/tools-log4j.properties" kafka.tools.StorageTool format \
      -t "$(<"$KAFKA_CLUSTER_ID")" -c "$KAFKA_PROPS" --ignore-formatted >"$KAFKA_DIR/format.log" 2>&1 ||
      { cat "$KAFKA_DIR/format.log" >&2; die "kafka: storage format failed"; }
  fi

  [[ -f $KAFKA_LOG ]] && mv -f "$KAFKA_LOG" "$KAFKA_LOG.1"
  log "kafka: starting $KAFKA_VERSION (KRaft) on 127.0.0.1:$KAFKA_PORT, controller :$KAFKA_CONTROLLER_PORT"
  # setsid: own session, so the broker outlives the shell/CI step that started it.
  setsid nohup java $KAFKA_HEAP -Xms256m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$KAFKA_DIR/log4j.properties" \
    -Dkafka.logs.dir="$KAFKA_DIR" \
    -cp "$KAFKA_LIBS/*" "$KAFKA_MAIN" "$KAFKA_PROPS" \
    >"$KAFKA_LOG" 2>&1 </dev/null 9>&- &
  local pid=$!
  echo "$pid" >"$KAFKA_PID"
  kafka_wait "$pid"
}

# Wait for the port, then for a real admin round trip (list topics).
kafka_wait() {
  local pid=$1 deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  while ! port_open "$KAFKA_PORT"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 40 "$KAFKA_LOG" >&2 || true
      rm -f "$KAFKA_PID"
      die "kafka: the broker process ($pid) exited during start-up; log: $KAFKA_LOG"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 40 "$KAFKA_LOG" >&2 || true
      die "kafka: 127.0.0.1:$KAFKA_PORT not listening after ${KAFKA_START_TIMEOUT}s (pid $pid still running); log: $KAFKA_LOG"
    fi
    sleep 0.5
  done
  local out
  while :; do
    if out=$(timeout 30 java -Dlog4j.configuration="file:$KAFKA_DIR/tools-log4j.properties" \
        -cp "$KAFKA_LIBS/*" org.apache.kafka.tools.TopicCommand \
        --bootstrap-server "127.0.0.1:$KAFKA_PORT" --list 2>&1); then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null || ((SECONDS >= deadline)); then
      printf '%s\n' "$out" | tail -n 10 >&2
      tail -n 40 "$KAFKA_LOG" >&2 || true
      die "kafka: broker on 127.0.0.1:$KAFKA_PORT does not answer admin requests after ${KAFKA_START_TIMEOUT}s; log: $KAFKA_LOG"
    fi
    sleep 1
  done
}

# ----------------------------------------------------------- elasticsearch --

ES_GROUP_ID="org.elasticsearch.distribution.integ-test-zip"
ES_HOME="$SHOP_CACHE_DIR/elasticsearch-$ES_VERSION"   # unpacked distribution (cache, not written to)
ES_DIR="$SHOP_INFRA_STATE/elasticsearch"              # state, owned by $ES_USER
ES_CONF="$ES_DIR/config"                               # ES_PATH_CONF, rewritten on every start
ES_DATA="$ES_DIR/data"
ES_LOGS="$ES_DIR/logs"
ES_TMP="$ES_DIR/tmp"
ES_PID="$ES_DIR/elasticsearch.pid"
ES_START_LOG="$ES_DIR/start.log"
ES_CLUSTER="shop-test"
ES_LOG="$ES_LOGS/$ES_CLUSTER.log"
ES_MAIN="org.elasticsearch.server"   # in the server JVM's command line (-Djdk.module.main=...)

es_health_ok() {
  local out
  out=$(curl -s -m 5 "http://127.0.0.1:$ES_PORT/_cluster/health?wait_for_status=yellow&timeout=1s" 2>/dev/null) || return 1
  [[ $out =~ \"status\":\"(green|yellow)\" ]]
}

is_up_elasticsearch() {
  pid_alive "$ES_PID" "$ES_MAIN" && es_health_ok
}

endpoint_elasticsearch() {
  echo "ELASTICSEARCH_URL=http://127.0.0.1:$ES_PORT"
}

# Fetch the integ-test-zip distribution from Maven Central and unpack it into
# $ES_HOME, once ($ES_HOME/.complete marks a finished unpack).
es_fetch() {
  if [[ -f $ES_HOME/.complete ]]; then return 0; fi
  command -v mvn >/dev/null || die "elasticsearch: mvn not found (Maven is needed to fetch Elasticsearch)"
  command -v unzip >/dev/null || apt_install unzip
  local tmp="$ES_HOME.tmp" coords="$ES_GROUP_ID:elasticsearch:$ES_VERSION:zip"
  local mvnlog="$SHOP_CACHE_DIR/elasticsearch-$ES_VERSION.mvn.log"
  rm -rf "$tmp" "$ES_HOME"
  mkdir -p "$tmp"
  log "elasticsearch: fetching $coords with Maven"
  # dependency:copy needs no project; run it in a folder without a pom.xml.
  if ! (cd "$tmp" && mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="$coords" -DoutputDirectory="$tmp" -Dmdep.overWriteReleases=true) >"$mvnlog" 2>&1; then
    tail -n 40 "$mvnlog" >&2
    rm -rf "$tmp"
    die "elasticsearch: mvn dependency:copy of $coords failed (is $ES_VERSION on Maven Central?); log: $mvnlog"
  fi
  local zip="$tmp/elasticsearch-$ES_VERSION.zip" dist="$tmp/elasticsearch-$ES_VERSION"
  [[ -f $zip ]] || die "elasticsearch: fetch finished but $zip is missing"
  unzip -q "$zip" -d "$tmp" || die "elasticsearch: unzip $zip failed"
  rm -f "$zip" "$mvnlog"
  [[ -f $dist/bin/elasticsearch ]] || die "elasticsearch: unexpected zip layout (no elasticsearch-$ES_VERSION/bin/elasticsearch)"
  chmod -R a+rX "$dist"
  touch "$dist/.complete"
  mv "$dist" "$ES_HOME"
  rm -rf "$tmp"
  log "elasticsearch: unpacked to $ES_HOME ($(du -sh "$ES_HOME" | cut -f1); modules: $(ls "$ES_HOME/modules" | tr '\n' ' '))"
}

java_major() { # java_major JAVA_HOME -> 17, 21, ... (1 for Java 8)
  local v
  v=$("$1/bin/java" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n1)
  [[ -n $v ]] && echo "$v"
}

# The integ-test-zip has no bundled JDK. ES 8.x needs Java 17+, 9.x needs 21+.
# First fit of: $SHOP_ES_JAVA_HOME (only that, when set), the `java` on PATH,
# $JAVA_HOME, the JDKs in /usr/lib/jvm.
es_java_home() {
  local need=17 cand major
  if [[ ${ES_VERSION%%.*} -ge 9 ]]; then need=21; fi
  local -a cands=()
  if [[ -n ${SHOP_ES_JAVA_HOME:-} ]]; then
    cands=("$SHOP_ES_JAVA_HOME")
  else
    if command -v java >/dev/null; then cands+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"); fi
    if [[ -n ${JAVA_HOME:-} ]]; then cands+=("$JAVA_HOME"); fi
    for cand in /usr/lib/jvm/*/; do cands+=("${cand%/}"); done
  fi
  for cand in "${cands[@]}"; do
    [[ -x $cand/bin/java ]] || continue
    major=$(java_major "$cand") || continue
    if ((major >= need)); then echo "$cand"; return 0; fi
  done
  die "elasticsearch: $ES_VERSION needs Java $need+; none found (tried: ${cands[*]:-nothing}); set SHOP_ES_JAVA_HOME"
}

es_ensure_user() {
  [[ $EUID -eq 0 ]] || return 0
  id "$ES_USER" >/dev/null 2>&1 && return 0
  log "elasticsearch: creating system user $ES_USER"
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin "$ES_USER" || die "elasticsearch: useradd $ES_USER failed"
}

es_write_config() {
  mkdir -p "$ES_CONF" "$ES_DATA" "$ES_LOGS" "$ES_TMP"
  cp "$ES_HOME/config/jvm.options" "$ES_HOME/config/log4j2.properties" "$ES_CONF/"
  {
    echo "# Written by scripts/infra/up.sh -- a throwaway single-node cluster for tests."
    echo "cluster.name: $ES_CLUSTER"
    echo "node.name: $ES_CLUSTER-1"
    echo "discovery.type: single-node"
    echo "network.host: 127.0.0.1"
    echo "http.port: $ES_PORT"
    echo "transport.port: $ES_TRANSPORT_PORT"
    echo "path.data: $ES_DATA"
    echo "path.logs: $ES_LOGS"
    echo "action.destructive_requires_name: false"
    echo "cluster.routing.allocation.disk.threshold_enabled: false"
    # Module settings only where the module exists: an unknown setting makes
    # Elasticsearch refuse to start.
    if [[ -d $ES_HOME/modules/x-pack-security ]]; then echo "xpack.security.enabled: false"; fi
    if [[ -d $ES_HOME/modules/ingest-geoip ]]; then echo "ingest.geoip.downloader.enabled: false"; fi
  } >"$ES_CONF/elasticsearch.yml"
  if [[ $EUID -eq 0 ]]; then
    chown "$ES_USER:" "$ES_DIR" "$ES_CONF" "$ES_LOGS" "$ES_TMP" "$ES_CONF"/*
    # data: recursively only when needed (first start); it can be large.
    [[ $(stat -c %U "$ES_DATA") == "$ES_USER" ]] || chown -R "$ES_USER:" "$ES_DATA"
  fi
}

up_elasticsearch() {
  if is_up_elasticsearch; then
    log "elasticsearch: already up on 127.0.0.1:$ES_PORT (pid $(<"$ES_PID"))"
    return 0
  fi
  command -v curl >/dev/null || apt_install curl
  mkdir -p "$ES_DIR"
  if [[ -e $ES_PID ]]; then
    if pid_alive "$ES_PID" "$ES_MAIN"; then
      # Alive but not healthy (yet): another up.sh started it moments ago?
      log "elasticsearch: pid $(<"$ES_PID") is alive, waiting for it"
      es_wait ""
      return 0
    fi
    log "elasticsearch: removing stale pid file $ES_PID"
    rm -f "$ES_PID"
  fi
  if port_open "$ES_PORT"; then
    die "elasticsearch: port 127.0.0.1:$ES_PORT is taken by a process this script did not start"
  fi

  es_fetch
  local java_home
  java_home=$(es_java_home)
  es_ensure_user
  es_write_config
  ensure_traversable "$ES_USER" "$ES_HOME"
  ensure_traversable "$ES_USER" "$ES_DIR"

  if [[ -f $ES_LOG ]]; then mv -f "$ES_LOG" "$ES_LOG.1"; fi
  log "elasticsearch: starting $ES_VERSION on 127.0.0.1:$ES_PORT, transport :$ES_TRANSPORT_PORT (Java $(java_major "$java_home") from $java_home)"
  local -a cmd=(env ES_JAVA_HOME="$java_home" ES_PATH_CONF="$ES_CONF" ES_TMPDIR="$ES_TMP"
    ES_JAVA_OPTS="$ES_HEAP" "$ES_HOME/bin/elasticsearch" -d -p "$ES_PID")
  # Elasticsearch refuses to run as root: as root, run it as $ES_USER.
  if [[ $EUID -eq 0 ]]; then cmd=(runuser -u "$ES_USER" -- "${cmd[@]}"); fi
  # -d: the launcher exits once the node has started (or failed to) and leaves
  # the server daemonized; -p: the server writes its pid file (and removes it
  # on shutdown). setsid: own session, so it outlives the shell/CI step.
  # 9>&-: the daemon must not inherit the up.sh lock.
  (cd "$ES_DIR" && exec setsid "${cmd[@]}") >"$ES_START_LOG" 2>&1 </dev/null 9>&- &
  es_wait "$!"
}

# es_wait [LAUNCHER_PID]: wait until the cluster health is green or yellow.
es_wait() {
  local launcher=$1 deadline=$((SECONDS + ES_START_TIMEOUT)) rc why=""
  while ! es_health_ok; do
    if [[ -n $launcher ]] && ! kill -0 "$launcher" 2>/dev/null; then
      rc=0
      wait "$launcher" || rc=$?
      launcher=""
      ((rc == 0)) || why="start failed (launcher exit $rc)"
    fi
    if [[ -z $why && -z $launcher ]] && ! pid_alive "$ES_PID" "$ES_MAIN"; then
      why="the server process is gone"
    fi
    if [[ -z $why ]] && ((SECONDS >= deadline)); then
      why="cluster health on 127.0.0.1:$ES_PORT not green/yellow after ${ES_START_TIMEOUT}s"
    fi
    if [[ -n $why ]]; then
      tail -n 20 "$ES_START_LOG" >&2 2>/dev/null || true
      tail -n 40 "$ES_LOG" >&2 2>/dev/null || true
      die "elasticsearch: $why; logs: $ES_START_LOG, $ES_LOG"
    fi
    sleep 0.5
  done
  if [[ -n $launcher ]]; then wait "$launcher" 2>/dev/null || true; fi
}

# ----------------------------------------------------------------- mailpit --

# An SMTP server that keeps what it receives and shows it through an HTTP API
# (GET /api/v1/messages, /api/v1/search?query=to:...), for the notification service's tests.
MAILPIT_HOME="$SHOP_CACHE_DIR/mailpit-$MAILPIT_VERSION"   # the binary (cache)
MAILPIT_BIN="$MAILPIT_HOME/mailpit"
MAILPIT_DIR="$SHOP_INFRA_STATE/mailpit"                   # state: database, pid, log
MAILPIT_PID="$MAILPIT_DIR/mailpit.pid"
MAILPIT_LOG="$MAILPIT_DIR/mailpit.log"

is_up_mailpit() {
  pid_alive "$MAILPIT_PID" mailpit && port_open "$MAILPIT_SMTP_PORT" &&
    [[ $(curl -s -o /dev/null -w '%{http_code}' -m 2 "http://127.0.0.1:$MAILPIT_HTTP_PORT/api/v1/info" 2>/dev/null) == 200 ]]
}

endpoint_mailpit() {
  echo "MAILPIT_URL=http://127.0.0.1:$MAILPIT_HTTP_PORT"
  echo "MAILPIT_SMTP_URL=smtp://127.0.0.1:$MAILPIT_SMTP_PORT"
}

# go install from the Go module proxy into $MAILPIT_HOME, once.
mailpit_fetch() {
  [[ -x $MAILPIT_BIN ]] && return 0
  command -v go >/dev/null || die "mailpit: go is needed to fetch github.com/axllent/mailpit (not found on PATH)"
  local tmp="$MAILPIT_HOME.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  log "mailpit: go install github.com/axllent/mailpit@$MAILPIT_VERSION"
  (cd "$tmp" && GOBIN="$tmp" go install "github.com/axllent/mailpit@$MAILPIT_VERSION") >"$SHOP_CACHE_DIR/mailpit-install.log" 2>&1 ||
    { tail -n 30 "$SHOP_CACHE_DIR/mailpit-install.log" >&2; rm -rf "$tmp"; die "mailpit: go install failed; log: $SHOP_CACHE_DIR/mailpit-install.log"; }
  [[ -x $tmp/mailpit ]] || die "mailpit: go install finished but $tmp/mailpit is missing"
  mkdir -p "$MAILPIT_HOME"
  mv "$tmp/mailpit" "$MAILPIT_BIN"
  rm -rf "$tmp" "$SHOP_CACHE_DIR/mailpit-install.log"
}

up_mailpit() {
  if is_up_mailpit; then
    log "mailpit: already up on 127.0.0.1:$MAILPIT_SMTP_PORT (SMTP), 127.0.0.1:$MAILPIT_HTTP_PORT (HTTP)"
    return 0
  fi
  command -v curl >/dev/null || apt_install curl
  mkdir -p "$MAILPIT_DIR"
  if [[ -e $MAILPIT_PID ]] && ! pid_alive "$MAILPIT_PID" mailpit; then
    log "mailpit: removing stale pid file $MAILPIT_PID"
    rm -f "$MAILPIT_PID"
  fi
  if ! pid_alive "$MAILPIT_PID" mailpit; then
    if port_open "$MAILPIT_SMTP_PORT" || port_open "$MAILPIT_HTTP_PORT"; then
      die "mailpit: port 127.0.0.1:$MAILPIT_SMTP_PORT or :$MAILPIT_HTTP_PORT is taken by a process this script did not start"
    fi
    mailpit_fetch
    log "mailpit: starting $MAILPIT_VERSION, SMTP on 127.0.0.1:$MAILPIT_SMTP_PORT, HTTP API on 127.0.0.1:$MAILPIT_HTTP_PORT"
    # Any SMTP credentials are accepted (over plain SMTP too), so SMTP_URL may carry user:pass;
    # 20,000 messages are kept (the oldest go first). setsid: it outlives this script's session;
    # 9>&-: it must not inherit the up.sh lock.
    setsid "$MAILPIT_BIN" --smtp "127.0.0.1:$MAILPIT_SMTP_PORT" --listen "127.0.0.1:$MAILPIT_HTTP_PORT" \
      --database "$MAILPIT_DIR/mailpit.db" --max 20000 --smtp-auth-accept-any --smtp-auth-allow-insecure \
      --smtp-disable-rdns --disable-version-check --quiet \
      </dev/null >"$MAILPIT_LOG" 2>&1 9>&- &
    echo $! >"$MAILPIT_PID"
  fi
  local deadline=$((SECONDS + MAILPIT_START_TIMEOUT))
  until is_up_mailpit; do
    if ! launched_alive "$MAILPIT_PID"; then tail -n 20 "$MAILPIT_LOG" >&2 || true; die "mailpit: exited during start; log: $MAILPIT_LOG"; fi
    ((SECONDS < deadline)) || die "mailpit: no answer within ${MAILPIT_START_TIMEOUT}s; log: $MAILPIT_LOG"
    sleep 0.2
  done
}

# ---------------------------------------------------------------- ferretdb --

# The MongoDB wire protocol (FerretDB v1.24, built once from the Go module proxy by
# ferretdb-build.sh) over the test Postgres: its database `ferretdb` holds one schema per Mongo
# database. For the services that keep their data in MongoDB (review, chatbot-bridge).
FERRETDB_DIR="$SHOP_INFRA_STATE/ferretdb"
FERRETDB_PID="$FERRETDB_DIR/ferretdb.pid"
FERRETDB_LOG="$FERRETDB_DIR/ferretdb.log"
FERRETDB_PG_DB="ferretdb"
FERRETDB_PG_POOL="${SHOP_FERRETDB_PG_POOL:-150}"

is_up_ferretdb() {
  pid_alive "$FERRETDB_PID" ferretdb && port_open "$FERRETDB_PORT"
}

endpoint_ferretdb() {
  echo "MONGO_URL=mongodb://127.0.0.1:$FERRETDB_PORT/"
}

up_ferretdb() {
  if is_up_ferretdb; then
    log "ferretdb: already up on 127.0.0.1:$FERRETDB_PORT"
    return 0
  fi
  is_up_postgres || up_postgres
  mkdir -p "$FERRETDB_DIR"
  if [[ -e $FERRETDB_PID ]] && ! pid_alive "$FERRETDB_PID" ferretdb; then
    log "ferretdb: removing stale pid file $FERRETDB_PID"
    rm -f "$FERRETDB_PID"
  fi
  if ! pid_alive "$FERRETDB_PID" ferretdb; then
    port_open "$FERRETDB_PORT" && die "ferretdb: port 127.0.0.1:$FERRETDB_PORT is taken by a process this script did not start"
    local bin
    bin=$(bash "$(dirname "${BASH_SOURCE[0]}")/ferretdb-build.sh" 9>&-) || die "ferretdb: build failed"
    local psql
    psql="$(pg_bindir)/psql"
    if [[ $(PGPASSWORD=postgres "$psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$FERRETDB_PG_DB'") != 1 ]]; then
      PGPASSWORD=postgres "$psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "CREATE DATABASE $FERRETDB_PG_DB" >/dev/null ||
        die "ferretdb: could not create database $FERRETDB_PG_DB on the test Postgres"
    fi
    log "ferretdb: starting $("$bin" --version | sed -n 's/^version: //p') on 127.0.0.1:$FERRETDB_PORT over postgres://127.0.0.1:$PG_PORT/$FERRETDB_PG_DB"
    # setsid: it outlives this script's session; 9>&-: it must not inherit the up.sh lock.
    # pool_max_conns: FerretDB 1.24 deadlocks for good once as many operations as its Postgres pool
    # holds (50 by default) are in flight while one creates a database or collection (it waits for a
    # connection under the lock the others wait for); the services' client pools (review 20,
    # chatbot-bridge 100) and the tests' stay below 150 at once, and the test Postgres allows 300.
    (cd "$FERRETDB_DIR" && exec setsid "$bin" --handler=postgresql \
      --postgresql-url="postgres://postgres:postgres@127.0.0.1:$PG_PORT/$FERRETDB_PG_DB?pool_max_conns=$FERRETDB_PG_POOL" \
      --listen-addr="127.0.0.1:$FERRETDB_PORT" --debug-addr=- --state-dir="$FERRETDB_DIR" \
      --telemetry=disable --log-level=warn) </dev/null >"$FERRETDB_LOG" 2>&1 9>&- &
    echo $! >"$FERRETDB_PID"
  fi
  local deadline=$((SECONDS + FERRETDB_START_TIMEOUT))
  until is_up_ferretdb; do
    if ! launched_alive "$FERRETDB_PID"; then tail -n 20 "$FERRETDB_LOG" >&2 || true; die "ferretdb: exited during start; log: $FERRETDB_LOG"; fi
    ((SECONDS < deadline)) || die "ferretdb: no answer within ${FERRETDB_START_TIMEOUT}s; log: $FERRETDB_LOG"
    sleep 0.2
  done
}

# -------------------------------------------------------------------- main --

main() {
  local -a servers=("$@")
  ((${#servers[@]})) || servers=("${ALL_SERVERS[@]}")
  local s
  for s in "${servers[@]}"; do
    declare -F "up_$s" >/dev/null || die "unknown server '$s' (known: ${ALL_SERVERS[*]})"
  done

  mkdir -p "$SHOP_CACHE_DIR" "$SHOP_INFRA_STATE"
  # One up.sh at a time (test runners may call it concurrently).
  exec 9>>"$SHOP_INFRA_STATE/.up.lock"
  flock -w 900 9 || die "timed out waiting for another up.sh ($SHOP_INFRA_STATE/.up.lock)"

  local t0 t
  for s in "${servers[@]}"; do
    t0=$(now_ms)
    "up_$s"
    t=$(($(now_ms) - t0))
    log "$s: ready ($((t / 1000)).$(printf '%03d' $((t % 1000)))s)"
  done

  # Endpoints of every known server that is up (selected in this run or not).
  local env_file="$SHOP_INFRA_STATE/endpoints.env" content=""
  for s in "${ALL_SERVERS[@]}"; do
    if "is_up_$s"; then content+="$("endpoint_$s")"$'\n'; fi
  done
  if [[ ! -f $env_file ]] || [[ $(<"$env_file")$'\n' != "$content" ]]; then
    printf '%s' "$content" >"$env_file.tmp"
    mv "$env_file.tmp" "$env_file"
  fi
  log "endpoints ($env_file):"
  printf '%s' "$content"
}

main "$@"
