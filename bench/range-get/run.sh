#!/usr/bin/env bash
# Parallel range GET benchmark: one object from an origin on loopback (its own JVM), with one plain
# GET through the downloader and with ParallelRangeGet at concurrency 1, 4 and 8; MB/s, fetcher
# CPU seconds and peak buffered bytes per run. Two origins: unshaped, then limited per connection
# (the case parallel ranges exist for: a CDN or object store that caps each stream).
# Usage: bench/range-get/run.sh [sizeMiB] [chunkMiB] [perConnectionMBps] [shapedSizeMiB]
#        (defaults 1024 4 25 256)
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE_MIB=${1:-1024}
CHUNK_MIB=${2:-4}
RATE_MBPS=${3:-25}
SHAPED_MIB=${4:-256}
HEAP=${RANGE_BENCH_HEAP:-512m}

mvn -B -ntp -q -pl fetcher -am install -DskipTests
mvn -B -ntp -q -pl fetcher test-compile
mvn -B -ntp -q -pl fetcher dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt
CP="fetcher/target/test-classes:fetcher/target/classes:$(cat fetcher/target/bench-classpath.txt)"

run_against() { # label, size MiB, origin args...
  local label=$1 size=$2
  shift 2
  local out
  out=$(mktemp)
  java -Xmx512m -cp "$CP" 'io.abrfetch.fetcher.ParallelRangeGetBenchmark$Origin' "$@" > "$out" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do
    grep -q '^ORIGIN_URL ' "$out" && break
    sleep 0.2
  done
  local url
  url=$(grep '^ORIGIN_URL ' "$out" | cut -d' ' -f2 || true)
  if [ -z "$url" ]; then echo "origin did not start:"; cat "$out"; kill "$pid" || true; exit 1; fi
  java -Xmx"$HEAP" -cp "$CP" io.abrfetch.fetcher.ParallelRangeGetBenchmark "$url" "$size" \
    "$CHUNK_MIB" "$label" || { kill "$pid" || true; exit 1; }
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  rm -f "$out"
}

run_against "loopback, unshaped" "$SIZE_MIB"
run_against "loopback, ${RATE_MBPS} MB/s per connection" "$SHAPED_MIB" "$RATE_MBPS"
