/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.criticaltask.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs the whole suite in phases (issue 18's {@link JvmFloorBenchmark} rows first),
 * either {@code quick} (one fork, 1+2 short iterations, 3+5 single shots, one JVM per
 * Boot figure, one memory round: a smoke test) or {@code full} (the iteration counts and
 * forks in each benchmark's annotations, three memory rounds). Further arguments are
 * passed to JMH in every phase (e.g. {@code -prof gc}). Each phase writes
 * {@code jmh-<mode>-<phase>-jdk<N>.json} into the working directory.
 *
 * <p>
 * On Java 17 to 20 the thread kind is {@code platform} and the benchmarks that park
 * 100,000 threads are left out (100,000 platform threads is not what this measures; the
 * floor rows park 1,000 there); the Boot shutdown runs without its virtual-thread
 * variant.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.criticaltask.bench.Suite quick
 * java -cp benchmarks/target/benchmarks.jar dev.criticaltask.bench.Suite full
 * </pre>
 */
public final class Suite {

    private Suite() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("quick") || args[0].equals("full"))) {
            System.err.println("usage: Suite quick|full [JMH options...]");
            System.exit(2);
        }
        boolean quick = args[0].equals("quick");
        List<String> extra = Arrays.asList(args).subList(1, args.length);
        boolean virtual = Threads.virtualAvailable();
        int jdk = Runtime.version().feature();
        String tag = args[0];

        List<String> common = new ArrayList<>();
        if (!virtual) {
            common.addAll(List.of("-p", "threads=platform", "-e", "CancelTreeBenchmark\\.(cancelParked|latchParked)"));
        }

        // issue 18: each row against the JVM's floor, both sides in the same invocation
        // issue 18's targets are virtual-thread rows; on platform threads the 10,000
        // siblings measure the start of 10,000 OS threads (seconds an invocation, some 40
        // minutes a row), so a JDK without virtual threads runs 100 siblings, as the
        // JDK 17 tables always did
        List<String> floor = new ArrayList<>(List.of("-p", virtual ? "siblings=100,10000" : "siblings=100"));
        if (!virtual) {
            floor.addAll(List.of("-p", "threads=platform", "-p", "children=1000"));
        }
        if (quick) {
            floor.addAll(List.of("-f", "1", "-wi", "2", "-i", "5", "-w", "1s", "-r", "1s"));
        }
        run(tag, "floor", jdk, List.of(), extra, floor, "JvmFloorBenchmark");
        // items 1, 4 and 7: average time
        run(tag, "throughput", jdk, common, extra,
                quick ? List.of("-f", "1", "-wi", "1", "-i", "2", "-w", "1s", "-r", "1s") : List.of(),
                "SpawnJoinBenchmark|SpawnJoinBatchBenchmark|SpawnSiteBenchmark|TokenBenchmark"
                        + "|AsyncTaskBenchmark|FailureRecordBenchmark");
        // items 2 and 3: single shot, a fresh set-up before each measured invocation
        List<String> singleShot = new ArrayList<>(quick ? List.of("-f", "1", "-wi", "3", "-i", "5") : List.of());
        if (!virtual) {
            // the same reason: the JDK 17 tables give 1 and 100 siblings
            singleShot.addAll(List.of("-p", "siblings=1,100"));
        }
        run(tag, "singleshot", jdk, common, extra, singleShot,
                "FailurePropagationBenchmark|StructuredTaskScopeBenchmark|CancelTreeBenchmark");
        // item 6: one cold start or shutdown per JVM
        List<String> boot = new ArrayList<>(quick ? List.of("-f", "1") : List.of());
        if (!virtual) {
            boot.addAll(List.of("-p", "starter=PLATFORM,NONE"));
        }
        run(tag, "boot", jdk, List.of(), extra, boot, "dev\\.criticaltask\\.bench\\.boot\\.");
        // item 5: one-shot memory measurement, in this JVM
        System.out.println("# item 5: MemoryFootprint");
        // on platform threads 2,000 tasks (as RESULTS.md's JDK 17 table), not 100,000 OS
        // threads
        String rounds = quick ? "1" : "3";
        MemoryFootprint
            .main(virtual ? new String[] { "100000", rounds } : new String[] { "2000", rounds, Threads.PLATFORM });
    }

    private static void run(String mode, String phase, int jdk, List<String> common, List<String> extra,
            List<String> phaseOptions, String include) throws Exception {
        List<String> argv = new ArrayList<>(phaseOptions);
        argv.addAll(common);
        argv.addAll(List.of("-rf", "json", "-rff", "jmh-" + mode + "-" + phase + "-jdk" + jdk + ".json"));
        argv.addAll(extra);
        argv.add(include);
        System.out.println("# phase " + phase + ": " + String.join(" ", argv));
        new Runner(new CommandLineOptions(argv.toArray(String[]::new))).run();
    }

}
