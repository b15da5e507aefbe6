#!/usr/bin/env bash
# main against main + lazy log line, warm and cold, alternated, 3 rounds.   ab-lazylog.sh JAVA JAR_DIR OUT_DIR
set -euo pipefail
JAVA=$1; JARS=$2; OUT=$3; mkdir -p "$OUT"
row() { "$JAVA" -jar "$JARS/$2.jar" 'JvmFloorBenchmark.failureFanOut$' -p siblings=100 -f 3 -wi "$3" -i 50 \
  -rf json -rff "$OUT/$1-r$ROUND.json" > "$OUT/$1-r$ROUND.log" 2>&1; }
for ROUND in 1 2 3; do
  row warm-main main 1000; row warm-lazylog lazylog 1000; row cold-main main 30; row cold-lazylog lazylog 30
done
