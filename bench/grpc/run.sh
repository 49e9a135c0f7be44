#!/usr/bin/env bash
# gRPC multi-range benchmark: N random ranges of a 1 GiB synthetic object over one multiplexed
# gRPC stream vs one HTTP Range request each vs one gRPC stream per read.
# The origin (HTTP + gRPC range-read front end) runs in its own JVM; both JVMs' CPU is reported.
# Usage: bench/grpc/run.sh [reads] [rangeBytes] [concurrency]   (defaults 1000 262144 32)
set -euo pipefail
cd "$(dirname "$0")/../.."
READS=${1:-1000}
RANGE_BYTES=${2:-262144}
CONCURRENCY=${3:-32}

mvn -B -ntp -q -pl fetcher -am install -DskipTests
mvn -B -ntp -q -pl fetcher test-compile
mvn -B -ntp -q -pl fetcher dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/grpc-bench-classpath.txt
# A private copy of the compiled classes, so a concurrent build cannot pull them from under us.
SNAP=$(mktemp -d)
cp -r fetcher/target/classes "$SNAP/classes"
cp -r fetcher/target/test-classes "$SNAP/test-classes"
CP="$SNAP/test-classes:$SNAP/classes:$(cat fetcher/target/grpc-bench-classpath.txt)"

OUT=$(mktemp)
java -Xmx512m -cp "$CP" io.abrfetch.fetcher.MultiRangeReadBenchmark origin > "$OUT" 2>&1 &
ORIGIN_PID=$!
trap 'kill $ORIGIN_PID 2>/dev/null || true; rm -rf "$OUT" "$SNAP"' EXIT
for _ in $(seq 1 100); do
  grep -q '^ORIGIN ' "$OUT" && break
  sleep 0.2
done
read -r _ HTTP_PORT GRPC_PORT PID < <(grep '^ORIGIN ' "$OUT") || { echo "origin did not start:"; cat "$OUT"; exit 1; }

java -Xmx1g -cp "$CP" io.abrfetch.fetcher.MultiRangeReadBenchmark \
  "$HTTP_PORT" "$GRPC_PORT" "$PID" "$READS" "$RANGE_BYTES" "$CONCURRENCY"
