#!/usr/bin/env bash
# Fetcher benchmark: 20,000 x 16 KiB and 2 GiB in 4 MiB objects from an origin on loopback.
# The origin runs in its own JVM so the figures printed by FetcherBenchmark are the fetcher's own.
# Usage: bench/fetcher/run.sh [smallCount] [largeTotalMiB]   (defaults 20000 2048)
set -euo pipefail
cd "$(dirname "$0")/../.."
SMALL=${1:-20000}
LARGE_MIB=${2:-2048}
HEAP=${FETCHER_BENCH_HEAP:-512m}

mvn -B -ntp -q -pl fetcher -am install -DskipTests
mvn -B -ntp -q -pl fetcher test-compile
mvn -B -ntp -q -pl fetcher dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt
CP="fetcher/target/test-classes:fetcher/target/classes:$(cat fetcher/target/bench-classpath.txt)"

OUT=$(mktemp)
java -Xmx1g -cp "$CP" io.abrfetch.fetcher.BenchOrigin > "$OUT" 2>&1 &
ORIGIN_PID=$!
trap 'kill $ORIGIN_PID 2>/dev/null || true; rm -f "$OUT"' EXIT
for _ in $(seq 1 100); do
  grep -q '^ORIGIN_URL ' "$OUT" && break
  sleep 0.2
done
URL=$(grep '^ORIGIN_URL ' "$OUT" | cut -d' ' -f2)
[ -n "$URL" ] || { echo "origin did not start:"; cat "$OUT"; exit 1; }

java -Xmx"$HEAP" -cp "$CP" io.abrfetch.fetcher.FetcherBenchmark "$URL" "$SMALL" "$LARGE_MIB"

kill "$ORIGIN_PID"
wait "$ORIGIN_PID" 2>/dev/null || true
grep '^ORIGIN_CPU_SECONDS' "$OUT" || true
