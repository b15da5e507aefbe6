#!/usr/bin/env bash
# Issue 18, failure row with 100 siblings: main against experiments, alternated, 3 rounds, one jar at a time.
#   ab-failure.sh JAVA JAR_DIR OUT_DIR
# Jars: main.jar (main), chain.jar (main + chained-wake-ups.patch), diag.jar (main + hold-direct.patch).
set -euo pipefail
JAVA=$1; JARS=$2; OUT=$3; mkdir -p "$OUT"
row() { # name jar warmups benchmark jvm-options...
  local name=$1 jar=$2 wi=$3 bench=$4; shift 4
  local jvm=("$@")
  "$JAVA" -jar "$JARS/$jar.jar" "$bench" -p siblings=100 -p children=100 -f 3 -wi "$wi" -i 50 \
    ${jvm:+-jvmArgsAppend "${jvm[*]}"} -rf json -rff "$OUT/$name-r$ROUND.json" > "$OUT/$name-r$ROUND.log" 2>&1
}
F='JvmFloorBenchmark.failureFanOut$'
for ROUND in 1 2 3; do
  row cold-main main 30 "$F"
  row cold-chain16 chain 30 "$F" -Dct.chain=16
  row cold-chain16-yield chain 30 "$F" -Dct.chain=16 -Dct.yield=true
  row warm-main main 1000 "$F"
  row warm-chain16 chain 1000 "$F" -Dct.chain=16
  row warm-chain16-yield chain 1000 "$F" -Dct.chain=16 -Dct.yield=true
  row warm-chainall-yield chain 1000 "$F" -Dct.chain=1000000 -Dct.yield=true
  row warm-yield chain 1000 "$F" -Dct.chain=1 -Dct.yield=true
  row warm-hold diag 1000 "$F" -Dct.hold=true
  row warm-direct diag 1000 "$F" -Dct.direct=true
  row warm-hold-direct diag 1000 "$F" -Dct.hold=true -Dct.direct=true
  row warm-token-cancel-from-vt main 1000 'JvmFloorBenchmark.cancelParkedFromVirtualThread$'
done
