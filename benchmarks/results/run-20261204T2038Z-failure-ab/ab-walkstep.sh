#!/usr/bin/env bash
# main + lazy log line against that + the walk's per-child step in a method of its own, cold and warm, alternated, 3 rounds.
set -euo pipefail
JAVA=$1; JARS=$2; OUT=$3; mkdir -p "$OUT"
row() { "$JAVA" -jar "$JARS/$2.jar" 'JvmFloorBenchmark.failureFanOut$' -p siblings=100 -f 3 -wi "$3" -i 50 \
  -rf json -rff "$OUT/$1-r$ROUND.json" > "$OUT/$1-r$ROUND.log" 2>&1; }
for ROUND in 1 2 3; do
  row cold-lazylog lazylog 30; row cold-walkstep walkstep 30; row cold-main main 30; row warm-lazylog lazylog 1000; row warm-walkstep walkstep 1000
done
