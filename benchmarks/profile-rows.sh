#!/usr/bin/env bash
# async-profiler CPU and allocation profiles of issue 18's rows, each side alone (so that every
# sample belongs to one side), and their summaries (profile-summary.py).
#   benchmarks/profile-rows.sh JAVA BENCHMARKS_JAR LIBASYNCPROFILER_SO OUT_DIR
# async-profiler: tools.profiler:async-profiler:<version>:jar:linux-x64 from Maven Central holds
# linux-x64/libasyncProfiler.so (measure-all.sh with PROFILE=1 fetches it).
set -euo pipefail
JAVA=$1; JAR=$2; AP=$3; OUT=$4
HERE=$(cd "$(dirname "$0")" && pwd)
SUMMARY="python3 $HERE/profile-summary.py"
mkdir -p "$OUT"

profile() { # event, JMH options...
  local ev=$1; shift
  local opts="libPath=$AP;output=collapsed;dir=$OUT/$ev;event=$ev"
  [ "$ev" = cpu ] && opts="$opts;interval=100000"
  nice -n 10 "$JAVA" -jar "$JAR" -prof "async:$opts" "$@" >> "$OUT/jmh-$ev.log" 2>&1
}
for ev in cpu alloc; do
  profile $ev -f 1 -wi 3 -i 5 -w 1s -r 2s "SpawnJoinBatchBenchmark.(handleSpawnJoin|registrySpawnJoin|threadStartJoin)"
  profile $ev -f 1 -wi 10 -i 30 -p siblings=10000 "FailurePropagationBenchmark.(criticalTask|latchFanOut)"
  profile $ev -f 1 -wi 200 -i 1000 -p siblings=100 "FailurePropagationBenchmark.criticalTask"
  profile $ev -f 1 -wi 3 -i 5 "CancelTreeBenchmark.(cancelNoWaiters|cancelParkedThreads|latchParkedThreads|cancelParkedThreadsFromTask)"
done

dir() { ls -d "$OUT/$1/"*"$2"* | head -1; }
{
  echo "# Profiles of issue 18's rows ($(date -u +%F), $("$JAVA" -version 2>&1 | sed -n 2p))"
  echo
  for ev in cpu alloc; do
    f=collapsed-$ev.csv
    $SUMMARY "$(dir $ev handleSpawnJoin)/$f" --title "$ev: CriticalTaskHandle.spawn+join, the joining virtual thread" \
      --only 'lambda\$handleSpawnJoin' --frame 'SpawnSites.record' --frame 'Ownership.<init>' \
      --frame 'CancellationToken.child' --frame 'TaskRun.<init>' --frame 'VirtualThread.start' \
      --frame 'CriticalTaskHandle.join' --frame 'settle'
    $SUMMARY "$(dir $ev handleSpawnJoin)/$f" --title "$ev: CriticalTaskHandle.spawn+join, the task's own thread" \
      --only 'TaskRun.run' --frame 'TaskRun.finish' --frame 'unlinkFromParent' --frame 'TaskTime.now|Clock' \
      --frame 'CompletableFuture.complete'
    $SUMMARY "$(dir $ev threadStartJoin)/$f" --title "$ev: raw virtual thread start+join (floor), the joining thread" \
      --only 'lambda\$threadStartJoin' --frame 'VirtualThread.start' --frame 'Thread.join'
    for n in 10000 100; do
      $SUMMARY "$(dir $ev criticalTask-SingleShotTime-siblings-$n-)/$f" --title "$ev: failure, $n siblings: failing task's thread from the escalation" \
        --only 'Escalation.escalate' --frame 'CriticalTaskFailedException.<init>' \
        --frame 'CancellationToken.cancelTree' --frame 'runCallbacks' --frame 'LockSupport.unpark' --frame 'TaskRun.log' \
        --frame 'TaskEvents.failed'
      $SUMMARY "$(dir $ev criticalTask-SingleShotTime-siblings-$n-)/$f" --title "$ev: failure, $n siblings: the siblings' ends" \
        --only 'AttemptCycle.ended' --drop 'Escalation.escalate' \
        --frame 'TaskRun.finish' --frame 'TaskTime.now' --frame 'unlinkFromParent' --frame 'CompletableFuture.complete'
    done
    $SUMMARY "$(dir $ev cancelParkedThreads-)/$f" --title "$ev: cancel of 100,000 parked children from a platform thread" \
      --only 'cancelTree' --frame 'markCancelled' --frame 'CallbackLink.claim' --frame 'LockSupport.unpark' \
      --frame 'ForkJoinPool' --frame 'ArrayDeque'
    $SUMMARY "$(dir $ev cancelParkedThreadsFromTask)/$f" --title "$ev: the same cancel from a virtual thread" \
      --only 'cancelTree' --frame 'markCancelled' --frame 'LockSupport.unpark' --frame 'ForkJoinPool'
    $SUMMARY "$(dir $ev latchParkedThreads)/$f" --title "$ev: latch floor: 100,000 waiters woken by each other" \
      --only 'CountDownLatch.await' --drop 'Continuation.yield|acquireSharedInterruptibly.*park' \
      --frame 'signalNext|LockSupport.unpark' --frame 'ForkJoinPool'
    $SUMMARY "$(dir $ev cancelNoWaiters)/$f" --title "$ev: cancel of 100,000 children without waiters" \
      --only 'cancelTree' --frame 'markCancelled' --frame 'CallbackLink.claim' --frame 'ChildLink'
  done
} > "$OUT/summary.md"
echo "profile summaries: $OUT/summary.md"
