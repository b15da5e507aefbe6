#!/usr/bin/env bash
# Re-measures every table of benchmarks/RESULTS.md in one step: builds the benchmark jar for JDK 25
# (with the StructuredTaskScope baseline) and for JDK 17, runs the whole suite on each (Suite: issue
# 18's floor rows, items 1-7), records the machine and the load, and writes the Markdown tables.
# With PROFILE=1 it also takes the async-profiler CPU and allocation profiles of issue 18's rows and
# summarises them. Run it from anywhere, on a quiet machine (nothing else running: `uptime` in
# steps.log says whether it was).
#
#   benchmarks/measure-all.sh            # full, with PROFILE=1 on 2 cores: 22 min on the Intel machine, 31 min on the AMD one (2026-12-04)
#   benchmarks/measure-all.sh quick      # smoke test of the whole pipeline, an estimated 10 min
#
# Output: benchmarks/results/run-<UTC time>/ with machine.txt, steps.log, suite-25.log,
# suite-17.log, the JMH JSON files, tables-25.md, tables-17.md (and profiles/ with PROFILE=1).
set -euo pipefail

MODE=${1:-full}
case "$MODE" in quick|full) ;; *) echo "usage: $0 [quick|full]" >&2; exit 2 ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
J25_HOME=${J25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
J17_HOME=${J17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
ASYNC_PROFILER_VERSION=${ASYNC_PROFILER_VERSION:-4.2}
OUT=$ROOT/benchmarks/results/run-$(date -u +%Y%m%dT%H%MZ)
JARS=$ROOT/benchmarks/target/measure
mkdir -p "$OUT" "$JARS"

step() { echo "=== $(date -u +%T) $1 | $(uptime)" | tee -a "$OUT/steps.log"; }

step "build jdk25"
# the jars only run the benchmarks: the Javadoc and formatting checks are the README build's
(cd "$ROOT" && JAVA_HOME=$J25_HOME mvn -B -q -Pjdk25 -pl benchmarks -am package -DskipTests -Dmaven.javadoc.skip=true -Dformat.skip=true)
cp "$ROOT/benchmarks/target/benchmarks.jar" "$JARS/benchmarks-25.jar"
step "build jdk17"
(cd "$ROOT" && JAVA_HOME=$J17_HOME mvn -B -q -pl benchmarks -am package -DskipTests -Dmaven.javadoc.skip=true -Dformat.skip=true)
cp "$ROOT/benchmarks/target/benchmarks.jar" "$JARS/benchmarks-17.jar"

{
  echo "date: $(date -u +%FT%TZ)"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD) $(git -C "$ROOT" status --porcelain --untracked-files=no | grep -q . && echo '(with uncommitted changes)')"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), nproc $(nproc)"
  echo "memory: $(free -g | awk '/Mem:/ {print $2 " GiB"}')"
  echo "os: $(uname -sr)"
  echo "jdk25: $("$J25_HOME/bin/java" -version 2>&1 | sed -n 2p)"
  echo "jdk17: $("$J17_HOME/bin/java" -version 2>&1 | sed -n 2p)"
  echo "mode: $MODE"
} > "$OUT/machine.txt"

cd "$OUT"
step "suite jdk25 $MODE"
nice -n 10 "$J25_HOME/bin/java" -cp "$JARS/benchmarks-25.jar" dev.criticaltask.bench.Suite "$MODE" > suite-25.log 2>&1
for f in jmh-*-jdk25.json; do mv "$f" "25-$f"; done
# the profiles explain the JDK 25 rows, so they are taken right after them
if [ "${PROFILE:-0}" = 1 ]; then
  step "profiles"
  (cd "$ROOT" && mvn -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$ASYNC_PROFILER_VERSION:jar:linux-x64")
  AP_JAR=~/.m2/repository/tools/profiler/async-profiler/$ASYNC_PROFILER_VERSION/async-profiler-$ASYNC_PROFILER_VERSION-linux-x64.jar
  (cd "$JARS" && unzip -o -q "$AP_JAR" linux-x64/libasyncProfiler.so)
  "$ROOT/benchmarks/profile-rows.sh" "$J25_HOME/bin/java" "$JARS/benchmarks-25.jar" "$JARS/linux-x64/libasyncProfiler.so" "$OUT/profiles"
fi
step "suite jdk17 $MODE"
nice -n 10 "$J17_HOME/bin/java" -cp "$JARS/benchmarks-17.jar" dev.criticaltask.bench.Suite "$MODE" > suite-17.log 2>&1
for f in jmh-*-jdk17.json; do mv "$f" "17-$f"; done
step "tables"
python3 "$ROOT/benchmarks/tables.py" 25-jmh-*.json > tables-25.md
python3 "$ROOT/benchmarks/tables.py" 17-jmh-*.json > tables-17.md

step "done"
echo "tables: $OUT/tables-25.md $OUT/tables-17.md"
