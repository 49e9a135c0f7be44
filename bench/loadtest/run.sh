#!/usr/bin/env bash
# Load-test harness benchmark: how many paced viewers one machine sustains.
#
# The origin (a low-bitrate synthetic VOD ladder: 64 and 128 kbit/s, 4 s segments) runs in its own
# JVM on 127.0.0.1; for each viewer count, a fresh `abrfetch loadtest` JVM ramps the viewers up and
# holds them, then prints one JSON line. Per count the table shows the harness's scheduling lag
# (how late requests left versus the viewers' plans: the saturation signal; over the whole run,
# and in the steady state after the ramp, JIT warm-up and the heap probe), requests per second,
# harness CPU per 1,000 requests (seconds for the whole loadtest process, JVM start and JIT
# included; and milliseconds in the steady state after the ramp, which is the marginal cost), heap
# bytes per viewer (heap after a full GC with every viewer active, minus the heap before any viewer
# started, divided by the viewers), stalls and errors, and the load average when the count started.
#
# Usage: bench/loadtest/run.sh [COUNT ...]          (default: 1000 2500 5000 10000)
# Env:   LOADTEST_BENCH_RAMP_S (15), LOADTEST_BENCH_STEADY_S (20), LOADTEST_BENCH_HEAP (1g),
#        LOADTEST_BENCH_REBUILD=1 to rebuild demo-player/target/abrfetch.jar first.
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNTS=("$@")
[ ${#COUNTS[@]} -gt 0 ] || COUNTS=(1000 2500 5000 10000)
RAMP_S=${LOADTEST_BENCH_RAMP_S:-15}
STEADY_S=${LOADTEST_BENCH_STEADY_S:-20}
HEAP=${LOADTEST_BENCH_HEAP:-1g}
JAR=demo-player/target/abrfetch.jar

if [ ! -f "$JAR" ] || [ "${LOADTEST_BENCH_REBUILD:-0}" = 1 ]; then
  mvn -B -ntp -q -pl demo-player -am package -DskipTests
fi
ulimit -n 65536 2>/dev/null || true

OUT=$(mktemp)
RESULT=$(mktemp)
java -Xmx1g -jar "$JAR" origin --synthetic --bitrates 64000,128000 --segment-s 4 \
  --vod-segments 300 > "$OUT" 2>&1 &
ORIGIN_PID=$!
trap 'kill $ORIGIN_PID 2>/dev/null || true; rm -f "$OUT" "$RESULT"' EXIT
for _ in $(seq 1 150); do
  grep -q 'origin listening on' "$OUT" && break
  sleep 0.2
done
URL=$(grep -o 'master http[^ ]*' "$OUT" | cut -d' ' -f2)
[ -n "$URL" ] || { echo "origin did not start:"; cat "$OUT"; exit 1; }

echo "machine: $(nproc) cores, $(uname -sr), $(java -version 2>&1 | head -1)"
echo "origin: $URL (64/128 kbit/s, 4 s segments); ramp ${RAMP_S} s, hold ${STEADY_S} s, buffer 12 s, heap $HEAP"
printf '%8s %9s %9s %11s %11s %8s %9s %10s %13s %12s %7s %7s %6s\n' viewers lagP99ms \
  lagMaxMs steadyLagP99 steadyLagMax 'req/s' segP99ms cpuS/1kReq steadyMs/1kReq heapB/viewer \
  stalls errors load1
for N in "${COUNTS[@]}"; do
  LOAD=$(cut -d' ' -f1 /proc/loadavg)
  java -Xmx"$HEAP" -jar "$JAR" loadtest "$URL" --viewers "$N" --ramp "$RAMP_S" \
    --duration $((RAMP_S + STEADY_S)) --buffer 12 --no-progress --json --measure-heap \
    > "$RESULT" 2>&1 || { echo "loadtest failed for $N viewers:"; cat "$RESULT"; exit 1; }
  tail -1 "$RESULT" | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
n, load = sys.argv[1], sys.argv[2]
cpu_per_k = r["processCpuS"] * 1000 / max(1, r["requests"])
print("%8s %9.1f %9.1f %11.1f %11.1f %8.1f %9.1f %10.3f %13.0f %12d %7d %7d %6s" % (n,
    r["schedulingLagMsP99"], r["schedulingLagMsMax"], r.get("steadyLagMsP99", -1),
    r.get("steadyLagMsMax", -1), r["requestsPerSecond"], r["segmentMsP99"], cpu_per_k,
    r.get("steadyCpuMsPer1kRequests", -1), r["heapBytesPerViewer"], r["stalls"], r["errors"],
    load))
' "$N" "$LOAD"
done
