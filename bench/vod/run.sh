#!/usr/bin/env bash
# Whole-variant VOD download: abrfetch vs ffmpeg, aria2c -j 8 and curl, from nginx on 127.0.0.1.
#
# Usage: bench/vod/run.sh [rounds]        (default 3; medians over the rounds)
# Env:   LIMITED_SEGMENTS=100   segments of the rate-limited legs (b) and (c) (whole variant: 600)
#        ABRFETCH_JAR=path      the jar (default demo-player/target/abrfetch.jar)
#        SKIP_INSTALL=1         never call apt-get
#
# Needs the project built first (this script builds nothing):
#   mvn -B -ntp package -DskipTests
# Generates once into bench/.cache/vod (gitignored): one HLS variant, 20 minutes of 2-second
# MPEG-TS segments at about 1.5 Mbit/s (600 segments, about 235 MB), H.264 from ffmpeg's lavfi.
# Starts its own nginx (prefix in a temp dir, free ports, 127.0.0.1 only, access_log off,
# sendfile, keep-alive): server (a) plain, server (b) `limit_rate 2m`. nginx applies limit_rate
# per request and grants each request a one-second burst (rate x (elapsed + 1 s)), so segments
# under 2 MB are never slowed; leg (c) therefore caps each connection at 2 MB/s (16 Mbit/s, no
# burst) with the project's own origin (`abrfetch origin DIR --rate-bps 16000000`) serving the
# same files.
# Each tool's wall time (start-up included), CPU seconds (user + sys) and peak RSS come from
# /usr/bin/time; the tools run in rotation within each round. Talks only to 127.0.0.1.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=${1:-3}
LIMITED_SEGMENTS=${LIMITED_SEGMENTS:-100}
JAR=${ABRFETCH_JAR:-$ROOT/demo-player/target/abrfetch.jar}
CACHE=$ROOT/bench/.cache/vod
SEGMENTS=600

log() { printf '%s\n' "$*" >&2; }
calc() { awk "BEGIN {printf \"%.6f\", $1}"; }

# ---------------------------------------------------------------- prerequisites
if [ ! -f "$JAR" ]; then
  log "no $JAR: build it first with: (cd $ROOT && mvn -B -ntp package -DskipTests)"
  exit 2
fi
missing=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
command -v ffprobe >/dev/null || missing+=(ffmpeg)
command -v aria2c >/dev/null || missing+=(aria2)
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "${SKIP_INSTALL:-0}" = 1 ]; then
    log "missing: ${missing[*]} (SKIP_INSTALL=1)"; exit 2
  fi
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  log "installing ${missing[*]}"
  $SUDO apt-get install -y nginx ffmpeg aria2 wrk time curl >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
command -v java >/dev/null || { log "java (17+) not found"; exit 2; }

# ---------------------------------------------------------------- the ladder (once)
if [ ! -f "$CACHE/complete" ]; then
  log "generating the ladder into $CACHE (once; about a minute)"
  rm -rf "$CACHE.tmp"
  mkdir -p "$CACHE.tmp/v0"
  # Noise keeps x264 from compressing the test pattern below the constant 1.5 Mbit/s.
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i "testsrc2=size=320x240:rate=25,noise=alls=60:allf=t" -t $((SEGMENTS * 2)) \
    -c:v libx264 -preset ultrafast -b:v 1500k -minrate 1500k -maxrate 1500k -bufsize 1500k \
    -x264-params nal-hrd=cbr -g 50 -keyint_min 50 -sc_threshold 0 \
    -f hls -hls_time 2 -hls_playlist_type vod \
    -hls_segment_filename "$CACHE.tmp/v0/seg%05d.ts" "$CACHE.tmp/v0/index.m3u8"
  printf '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=1700000,AVERAGE-BANDWIDTH=1550000,RESOLUTION=320x240,CODECS="avc1.42c00d"\nv0/index.m3u8\n' \
    > "$CACHE.tmp/master.m3u8"
  rm -rf "$CACHE"
  mv "$CACHE.tmp" "$CACHE"
  touch "$CACHE/complete"
fi
# The limit_rate leg (b) uses the first LIMITED_SEGMENTS segments (single-connection tools
# need about 2 minutes for all 600 at 2 MB/s), as its own variant and master.
if [ ! -f "$CACHE/v0/first$LIMITED_SEGMENTS.m3u8" ]; then
  awk -v n="$LIMITED_SEGMENTS" '/^#EXT-X-ENDLIST/ {next}
    /^#EXTINF/ {if (count == n) exit} /^seg/ {count++} {print}
    END {print "#EXT-X-ENDLIST"}' "$CACHE/v0/index.m3u8" > "$CACHE/v0/first$LIMITED_SEGMENTS.m3u8"
  sed "s#v0/index.m3u8#v0/first$LIMITED_SEGMENTS.m3u8#" "$CACHE/master.m3u8" \
    > "$CACHE/master-first$LIMITED_SEGMENTS.m3u8"
fi
SEGMENTS_FOUND=$(grep -c '^seg' "$CACHE/v0/index.m3u8")
VARIANT_BYTES=$(cat "$CACHE"/v0/seg*.ts | wc -c)

# ---------------------------------------------------------------- nginx
WORK=$(mktemp -d /tmp/abrfetch-bench-vod.XXXXXX)
NGINX_STARTED=0
ORIGIN_PID=
cleanup() {
  if [ "$NGINX_STARTED" = 1 ] && [ -f "$WORK/nginx.pid" ]; then
    kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
    sleep 0.2
  fi
  if [ -n "$ORIGIN_PID" ]; then
    kill "$ORIGIN_PID" 2>/dev/null || true
    wait "$ORIGIN_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
PLAIN_PORT=$(free_port)
LIMIT_PORT=$(free_port)
while [ "$LIMIT_PORT" = "$PLAIN_PORT" ]; do LIMIT_PORT=$(free_port); done
USER_LINE=
[ "$(id -u)" -eq 0 ] && USER_LINE="user root;"
mkdir -p "$WORK/logs" "$WORK/tmp"
cat > "$WORK/nginx.conf" <<EOF
$USER_LINE
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 100000;
  client_body_temp_path $WORK/tmp;
  proxy_temp_path $WORK/tmp;
  fastcgi_temp_path $WORK/tmp;
  uwsgi_temp_path $WORK/tmp;
  scgi_temp_path $WORK/tmp;
  types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
  default_type application/octet-stream;
  server { listen 127.0.0.1:$PLAIN_PORT; root $CACHE; }
  server { listen 127.0.0.1:$LIMIT_PORT; root $CACHE; limit_rate 2m; }
}
EOF
"$NGINX" -p "$WORK" -c "$WORK/nginx.conf"
NGINX_STARTED=1
for _ in $(seq 1 50); do
  curl -sf -o /dev/null "http://127.0.0.1:$PLAIN_PORT/master.m3u8" && break
  sleep 0.1
done
curl -sf -o /dev/null "http://127.0.0.1:$PLAIN_PORT/master.m3u8" \
  || { log "nginx did not start:"; cat "$WORK/logs/error.log" >&2; exit 1; }

# The shaped origin of leg (c): every connection capped at 2 MB/s, no burst.
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m -jar "$JAR" origin "$CACHE" \
  --rate-bps 16000000 --port 0 > "$WORK/origin.out" 2>&1 &
ORIGIN_PID=$!
for _ in $(seq 1 100); do
  grep -q 'origin listening on' "$WORK/origin.out" && break
  sleep 0.1
done
SHAPED_BASE=$(sed -n 's#.*origin listening on \(http://127.0.0.1:[0-9]*\).*#\1#p' "$WORK/origin.out" \
  | head -1)
[ -n "$SHAPED_BASE" ] || { log "the shaped origin did not start:"; cat "$WORK/origin.out" >&2; exit 1; }

# ---------------------------------------------------------------- the tools
# AppCDS archive of the jar's classes, made once per jar by a training run (JVM start-up).
JAR_KEY=$(stat -c '%s-%Y' "$JAR")
CDS=$CACHE/abrfetch-$JAR_KEY.jsa
if [ ! -f "$CDS" ]; then
  rm -f "$CACHE"/abrfetch-*.jsa
  java -XX:ArchiveClassesAtExit="$CDS" -jar "$JAR" download \
    "http://127.0.0.1:$PLAIN_PORT/master.m3u8" --variant 0 --output "$WORK/train.ts" \
    --progress never >/dev/null 2>&1 || log "warning: CDS training run failed"
  rm -f "$WORK/train.ts"
fi
TUNED_OPTS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
[ -f "$CDS" ] && TUNED_OPTS+=(-XX:SharedArchiveFile="$CDS")

segment_list() { # base url, playlist -> one absolute URL per line
  grep '^seg' "$CACHE/v0/$2" | sed "s#^#$1/v0/#"
}

# run_tool LEG TOOL ROUND: one timed run, appended to $WORK/results as
# leg tool round wall_s cpu_s rss_kib bytes_out
run_tool() {
  local leg=$1 tool=$2 round=$3 base master playlist out=$WORK/out
  master=master-first$LIMITED_SEGMENTS.m3u8; playlist=first$LIMITED_SEGMENTS.m3u8
  case $leg in
    a) base=http://127.0.0.1:$PLAIN_PORT; master=master.m3u8; playlist=index.m3u8 ;;
    b) base=http://127.0.0.1:$LIMIT_PORT ;;
    c) base=$SHAPED_BASE ;;
  esac
  rm -rf "$out"; mkdir -p "$out"
  local cmd
  case $tool in
    abrfetch) cmd=(java -jar "$JAR" download "$base/$master" --variant 0 --output "$out/v.ts"
                   --progress never) ;;
    abrfetch-tuned) cmd=(java "${TUNED_OPTS[@]}" -jar "$JAR" download "$base/$master"
                   --variant 0 --output "$out/v.ts" --progress never) ;;
    abrfetch-tuned-c16) cmd=(java "${TUNED_OPTS[@]}" -jar "$JAR" download "$base/$master"
                   --variant 0 --output "$out/v.ts" --progress never --concurrency 16) ;;
    ffmpeg) cmd=(ffmpeg -hide_banner -loglevel error -nostdin -y -i "$base/$master" -c copy
                 "$out/v.ts") ;;
    aria2c) segment_list "$base" "$playlist" > "$WORK/list.txt"
            cmd=(aria2c -q -j 8 -x 1 --file-allocation=none --allow-overwrite=true
                 --auto-file-renaming=false -i "$WORK/list.txt" -d "$out") ;;
    curl) segment_list "$base" "$playlist" | awk '{n=split($0, p, "/");
            printf "url = \"%s\"\noutput = \"%s\"\n", $0, p[n]}' > "$WORK/curl.cfg"
          cmd=(curl -s -f --config "$WORK/curl.cfg" --output-dir "$out") ;;
  esac
  if ! /usr/bin/time -f '%e %U %S %M' -o "$WORK/time.txt" "${cmd[@]}" >/dev/null 2>"$WORK/err.txt"
  then
    log "$tool ($leg, round $round) failed:"; head -5 "$WORK/err.txt" >&2; exit 1
  fi
  local wall user sys rss bytes
  read -r wall user sys rss < <(tail -1 "$WORK/time.txt")
  bytes=$(cat "$out"/* | wc -c)
  echo "$leg $tool $round $wall $(calc "$user + $sys") $rss $bytes" >> "$WORK/results"
}

# abrfetch with the JVM's default flags runs in leg (a) only: it shows what the tuned flags buy;
# 16 in flight runs in leg (c) only: what a per-connection cap rewards.
tools_of() { case $1 in
  a) echo abrfetch abrfetch-tuned ffmpeg aria2c curl ;;
  b) echo abrfetch-tuned ffmpeg aria2c curl ;;
  c) echo abrfetch-tuned abrfetch-tuned-c16 ffmpeg aria2c curl ;;
  esac; }
log "(a) nginx plain :$PLAIN_PORT, (b) nginx limit_rate 2m :$LIMIT_PORT, (c) origin 2 MB/s per" \
  "connection $SHAPED_BASE; $SEGMENTS_FOUND segments, $VARIANT_BYTES bytes; (b) and (c) use the" \
  "first $LIMITED_SEGMENTS; $ROUNDS rounds"
# Warm the page cache and check abrfetch's output against the segments, byte for byte.
cat "$CACHE"/v0/seg*.ts > /dev/null
java -jar "$JAR" download "http://127.0.0.1:$PLAIN_PORT/master.m3u8" --output "$WORK/check.ts" \
  --progress never > /dev/null
cat "$CACHE"/v0/seg*.ts | cmp -s - "$WORK/check.ts" \
  || { log "abrfetch output differs from the concatenated segments"; exit 1; }
rm -f "$WORK/check.ts"
: > "$WORK/results"
for leg in a b c; do
  read -r -a TOOLS <<< "$(tools_of $leg)"
  for round in $(seq 1 "$ROUNDS"); do
    # Rotate the order each round so no tool always runs first.
    n=${#TOOLS[@]}
    for i in $(seq 0 $((n - 1))); do
      tool=${TOOLS[$(((i + round) % n))]}
      run_tool "$leg" "$tool" "$round"
      log "  ($leg) round $round $tool: $(tail -1 "$WORK/results" | cut -d' ' -f4-6)"
    done
  done
done

# ---------------------------------------------------------------- the table
median() { sort -g | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR + 1) / 2];
  else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
col() { awk -v l="$1" -v t="$2" -v c="$3" '$1 == l && $2 == t {print $c}' "$WORK/results"; }
echo
echo "machine: $(nproc) cpus, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), rounds: $ROUNDS, medians"
printf '%-4s %-18s %9s %8s %9s %10s %9s %9s\n' leg tool wall_s cpu_s rss_MiB MB/s \
  vs_ffmpeg vs_aria2c
for leg in a b c; do
  ff=$(col $leg ffmpeg 4 | median); ar=$(col $leg aria2c 4 | median)
  for tool in $(tools_of $leg); do
    wall=$(col $leg "$tool" 4 | median); cpu=$(col $leg "$tool" 5 | median)
    rss=$(col $leg "$tool" 6 | median); bytes=$(col $leg "$tool" 7 | median)
    printf '%-4s %-18s %9.2f %8.2f %9.0f %10.1f %8.2fx %8.2fx\n' "$leg" "$tool" "$wall" "$cpu" \
      "$(calc "$rss / 1024")" "$(calc "$bytes / $wall / 1000000")" \
      "$(calc "$ff / $wall")" "$(calc "$ar / $wall")"
  done
done
echo "(vs_X = X's median wall time / this tool's: above 1 is faster than X)"
echo "(a) nginx, plain loopback, whole variant; (b) nginx limit_rate 2m, first $LIMITED_SEGMENTS" \
  "segments; (c) 2 MB/s per connection (abrfetch origin), first $LIMITED_SEGMENTS segments"
echo "abrfetch-tuned: java ${TUNED_OPTS[*]} -jar abrfetch.jar"
