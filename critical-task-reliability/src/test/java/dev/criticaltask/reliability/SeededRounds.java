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

package dev.criticaltask.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs seeded rounds that each end in a named outcome: consecutive seeds from a base, or
 * the one seed {@code -Dreliability.seed=N} replays. A failing round names its seed.
 */
public final class SeededRounds {

    /** One round: its outcome's name, or an exception. */
    @FunctionalInterface
    public interface Round {

        String run(long seed) throws Exception;

    }

    private SeededRounds() {
    }

    /**
     * Runs the rounds and prints how many ended in each outcome.
     * @param what the rounds' name, for the printed line
     * @param baseSeed the first seed
     * @param roundsProperty the system property that sets how many rounds run
     * @param defaultRounds how many rounds run without it
     * @param round one round
     * @return how many rounds ended in each outcome
     * @throws AssertionError naming the seed of the first round that failed
     */
    public static Map<String, Integer> run(String what, long baseSeed, String roundsProperty, int defaultRounds,
            Round round) {
        String replay = System.getProperty("reliability.seed", "");
        List<Long> seeds = new ArrayList<>();
        if (!replay.isBlank()) {
            seeds.add(Long.parseLong(replay.trim()));
        }
        else {
            int rounds = Integer.getInteger(roundsProperty, defaultRounds);
            for (int i = 0; i < rounds; i++) {
                seeds.add(baseSeed + i);
            }
        }
        Map<String, Integer> outcomes = new TreeMap<>();
        long started = System.nanoTime();
        for (long seed : seeds) {
            try {
                outcomes.merge(round.run(seed), 1, Integer::sum);
            }
            catch (Throwable failed) {
                System.out.println(what + " round FAILED; replay with -Dreliability.seed=" + seed);
                throw new AssertionError(
                        "round with seed " + seed + " failed (replay: -Dreliability.seed=" + seed + ")", failed);
            }
        }
        System.out.printf("%s: %d rounds in %d ms (seeds %d..%d): %s%n", what, seeds.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), seeds.get(0), seeds.get(seeds.size() - 1),
                outcomes);
        return outcomes;
    }

    /**
     * {@return whether a single round is replayed with {@code -Dreliability.seed}}
     */
    public static boolean isReplay() {
        return !System.getProperty("reliability.seed", "").isBlank();
    }

}
