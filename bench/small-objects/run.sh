#!/usr/bin/env bash
# Small-object fetch rate: 16 KiB objects, keep-alive, 64 in flight, against one nginx on
# 127.0.0.1. Per round, alternating: wrk -t2 -c64 (the target to beat), the abrfetch Downloader
# (maxInFlight 64, maxInFlightPerOrigin 64) and a bare Vert.x HttpClient (64 in flight, the JVM
# peer). Prints medians, ratios vs wrk, the JVM's CPU per 1,000 requests, nginx's CPU and the
# machine's load. nginx, wrk and the JVM share this machine's cores: read the load column.
#
# Usage: bench/small-objects/run.sh
# Environment: ROUNDS (3), RUN_SECONDS (10), WARMUP_SECONDS (5), IN_FLIGHT (64), OBJECTS (1000),
#   OBJECT_BYTES (16384), DOWNLOADERS (1: one Downloader on one event loop; 2: two, one per
#   event loop, requests split evenly), NGINX_WORKERS (auto), JFR (set: record the last
#   Downloader run to bench/small-objects/out/downloader.jfr), SKIP_BUILD (set: reuse classes),
#   FETCHER_CLASSES (the fetcher main classes to run, default fetcher/target/classes).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
ROUNDS=${ROUNDS:-3}
RUN_SECONDS=${RUN_SECONDS:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
IN_FLIGHT=${IN_FLIGHT:-64}
OBJECTS=${OBJECTS:-1000}
OBJECT_BYTES=${OBJECT_BYTES:-16384}
DOWNLOADERS=${DOWNLOADERS:-1}
NGINX_WORKERS=${NGINX_WORKERS:-auto}
OUT_DIR="$ROOT/bench/small-objects/out"
mkdir -p "$OUT_DIR"

need() { # need <command> <debian package>
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "installing $2"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get install -y -q "$2" >/dev/null 2>&1 \
    || { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q "$2" >/dev/null; }
}
need nginx nginx
need wrk wrk
need python3 python3
NGINX=$(command -v nginx)

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "building (fetcher test classes and classpath)"
  mvn -B -ntp -q -pl fetcher -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
fi
# FETCHER_CLASSES: another build's fetcher classes (e.g. an older commit's), for before/after.
CP="fetcher/target/test-classes:${FETCHER_CLASSES:-fetcher/target/classes}:$(cat fetcher/target/bench-classpath.txt)"

WORK=$(mktemp -d /tmp/abrfetch-small-objects.XXXXXX)
NGINX_PID=
cleanup() {
  if [ -n "$NGINX_PID" ]; then kill "$NGINX_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The objects: $OBJECTS files of $OBJECT_BYTES random bytes, and their path list.
mkdir -p "$WORK/www/o" "$WORK/logs" "$WORK/tmp"
head -c $((OBJECTS * OBJECT_BYTES)) /dev/urandom > "$WORK/all.bin"
(cd "$WORK/www/o" && split -a 5 -d -b "$OBJECT_BYTES" "$WORK/all.bin" obj-)
rm "$WORK/all.bin"
(cd "$WORK/www" && ls o | sed 's|^|/o/|') > "$WORK/paths.txt"
chmod -R a+rX "$WORK" # nginx's workers run unprivileged when started as root

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$WORK/nginx.conf" <<EOF
worker_processes $NGINX_WORKERS;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 10000000;
  keepalive_timeout 120s;
  open_file_cache max=4096 inactive=120s;
  client_body_temp_path $WORK/tmp/body;
  proxy_temp_path $WORK/tmp/proxy;
  fastcgi_temp_path $WORK/tmp/fastcgi;
  uwsgi_temp_path $WORK/tmp/uwsgi;
  scgi_temp_path $WORK/tmp/scgi;
  server {
    listen 127.0.0.1:$PORT reuseport; # one accept queue per worker: connections spread evenly
    root $WORK/www;
  }
}
EOF
"$NGINX" -p "$WORK" -e "$WORK/logs/error.log" -c "$WORK/nginx.conf" &
NGINX_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 50); do
  curl -sf -o /dev/null "$BASE/o/obj-00000" 2>/dev/null && break
  sleep 0.1
done
curl -sf -o /dev/null "$BASE/o/obj-00000" || { echo "nginx did not start:"; cat "$WORK/logs/error.log"; exit 1; }
NGINX_WORKER_COUNT=$(pgrep -P "$NGINX_PID" | wc -l)

# wrk cycles over the same path list as the JVM clients (one counter per wrk thread).
{
  echo 'local paths = {}'
  while read -r p; do echo "paths[#paths + 1] = \"$p\""; done < "$WORK/paths.txt"
  echo 'local i = 0'
  echo 'request = function() i = i + 1; if i > #paths then i = 1 end; return wrk.format(nil, paths[i]) end'
} > "$WORK/paths.lua"

TICKS=$(getconf CLK_TCK)
nginx_cpu_ticks() { # user+system ticks of nginx's workers
  local total=0 pid
  for pid in $(pgrep -P "$NGINX_PID"); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}
machine_busy_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat; }

RESULTS="$WORK/results.tsv" # tool rps jvm_cpu_ms_per_1k nginx_cpu_ms_per_1k machine_busy_pct load1
: > "$RESULTS"
record() { # record <tool> <rps> <jvm cpu ms/1k or -> <requests> <nginx ticks before> <busy before>
  local tool=$1 rps=$2 jvmcpu=$3 requests=$4 n0=$5 b0=$6
  local n1 b1 nginx_ms busy
  n1=$(nginx_cpu_ticks)
  b1=$(machine_busy_ticks)
  nginx_ms=$(awk -v d=$((n1 - n0)) -v t="$TICKS" -v r="$requests" 'BEGIN{printf "%.1f", (r > 0) ? d * 1e6 / t / r : 0}')
  busy=$(awk -v a="$b0" -v b="$b1" 'BEGIN{split(a,x," "); split(b,y," "); printf "%.0f", (y[1]-x[1])*100/((y[2]-x[2])>0?(y[2]-x[2]):1)}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$rps" "$jvmcpu" "$nginx_ms" "$busy" \
    "$(cut -d' ' -f1 /proc/loadavg)" >> "$RESULTS"
  printf '  %-10s %8s req/s  jvm cpu %5s ms/1k req  nginx cpu %5s ms/1k req  machine busy %3s%%  load1 %s\n' \
    "$tool" "$rps" "$jvmcpu" "$nginx_ms" "$busy" "$(cut -d' ' -f1 /proc/loadavg)"
}

run_wrk() {
  local n0 b0 out rps requests
  n0=$(nginx_cpu_ticks); b0=$(machine_busy_ticks)
  out=$(wrk -t2 -c"$IN_FLIGHT" -d"${RUN_SECONDS}s" -s "$WORK/paths.lua" "$BASE")
  rps=$(echo "$out" | awk '/^Requests\/sec:/{printf "%.0f", $2}')
  requests=$(echo "$out" | awk '/requests in/{print $1}')
  if echo "$out" | grep -q 'Non-2xx'; then echo "$out"; echo "wrk saw errors"; exit 1; fi
  record wrk "$rps" - "$requests" "$n0" "$b0"
}

run_jvm() { # run_jvm <client> [jfr file]
  local client=$1 jfr=${2:-} n0 b0 line rps cpu requests failures
  local flags=(-Xms512m -Xmx512m)
  [ -n "$jfr" ] && flags+=("-XX:StartFlightRecording=filename=$jfr,settings=profile")
  # The JVM's own warm-up window is not measured; nginx's CPU is sampled around the whole run
  # and divided by the whole run's requests (printed by the JVM as total_requests).
  n0=$(nginx_cpu_ticks); b0=$(machine_busy_ticks)
  line=$(java "${flags[@]}" -cp "$CP" io.abrfetch.fetcher.FetcherBenchmark --base "$BASE" \
    --paths "$WORK/paths.txt" --client "$client" --in-flight "$IN_FLIGHT" \
    --downloaders "$DOWNLOADERS" --object-bytes "$OBJECT_BYTES" \
    --warmup-seconds "$WARMUP_SECONDS" --seconds "$RUN_SECONDS" 2>"$WORK/$client.err" \
    | grep '^RESULT') || { cat "$WORK/$client.err"; exit 1; }
  rps=$(echo "$line" | sed -E 's/.* rps=([0-9.]+).*/\1/')
  cpu=$(echo "$line" | sed -E 's/.* cpu_ms_per_1k=([0-9.]+).*/\1/')
  requests=$(echo "$line" | sed -E 's/.* total_requests=([0-9]+).*/\1/')
  failures=$(echo "$line" | sed -E 's/.* total_failures=([0-9]+).*/\1/')
  [ "$failures" = 0 ] || { echo "$line"; echo "$client: $failures failed requests"; exit 1; }
  local label=$client
  [ "$client" = downloader ] && label=abrfetch
  [ "$client" = vertx ] && label=vertx-bare
  record "$label" "$rps" "$cpu" "$requests" "$n0" "$b0"
}

echo "small objects: $OBJECTS x $OBJECT_BYTES B at $BASE, nginx $("$NGINX" -v 2>&1 | sed 's|.*/||')" \
  "worker_processes $NGINX_WORKERS ($NGINX_WORKER_COUNT workers), $IN_FLIGHT in flight," \
  "$RUN_SECONDS s per run (JVM: +$WARMUP_SECONDS s warm-up), $ROUNDS rounds," \
  "abrfetch downloaders: $DOWNLOADERS"
echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
  "java $(java -version 2>&1 | head -1 | cut -d'"' -f2), load $(cut -d' ' -f1-3 /proc/loadavg)," \
  "$(date -u '+%Y-%m-%d %H:%M UTC')"
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round"
  run_wrk
  jfr=
  [ -n "${JFR:-}" ] && [ "$round" = "$ROUNDS" ] && jfr="$OUT_DIR/downloader.jfr"
  run_jvm downloader "$jfr"
  run_jvm vertx
done

median() { # median <tool> <column>
  awk -F'\t' -v t="$1" -v c="$2" '$1==t{print $c}' "$RESULTS" | sort -g \
    | awk '{v[NR]=$1} END{if (NR==0) print "-"; else if (NR%2) print v[(NR+1)/2]; else printf "%.1f\n", (v[NR/2]+v[NR/2+1])/2}'
}
WRK=$(median wrk 2)
echo
echo "medians over $ROUNDS rounds (machine busy: all cpus, during the run; load1: at its end)"
printf '| %-10s | %9s | %8s | %16s | %18s | %12s | %5s |\n' tool 'req/s' 'vs wrk' \
  'JVM CPU ms/1k req' 'nginx CPU ms/1k req' 'machine busy' load1
printf '|%s|\n' '------------|-----------|----------|------------------|--------------------|--------------|-------'
for tool in wrk abrfetch vertx-bare; do
  rps=$(median "$tool" 2)
  ratio=$(awk -v a="$rps" -v b="$WRK" 'BEGIN{printf "%.2fx", a/b}')
  printf '| %-10s | %9s | %8s | %16s | %18s | %11s%% | %5s |\n' "$tool" "$rps" "$ratio" \
    "$(median "$tool" 3)" "$(median "$tool" 4)" "$(median "$tool" 5)" "$(median "$tool" 6)"
done
ABR=$(median abrfetch 2)
BARE=$(median vertx-bare 2)
awk -v a="$ABR" -v b="$BARE" 'BEGIN{printf "abrfetch / bare Vert.x: %.2fx\n", a/b}'
cp "$RESULTS" "$OUT_DIR/last-results.tsv"
