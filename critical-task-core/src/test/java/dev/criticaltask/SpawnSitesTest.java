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

package dev.criticaltask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 18: the spawn site of a forgotten handle is recorded by a policy, all, sampled or
 * off, and every forgotten handle is reported whichever is set. The build runs its tests
 * with {@code all}; the default is tested here in child JVMs.
 */
@Tag("core")
class SpawnSitesTest {

    @Test
    void parsingWhenNothingIsSetShouldSampleOneSpawnIn1024() {
        assertThat(SpawnSites.of(null, null)).hasToString("sampled, 1 in 1024");
    }

    @Test
    void parsingShouldAcceptEachLevelInAnyCase() {
        assertThat(SpawnSites.of("ALL", null)).hasToString("all");
        assertThat(SpawnSites.of(" off ", null)).hasToString("off");
        assertThat(SpawnSites.of("Sampled", "16")).hasToString("sampled, 1 in 16");
    }

    @Test
    void parsingWhenTheLevelIsUnknownShouldNameThePropertyAndTheValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> SpawnSites.of("always", null))
            .withMessage("Invalid value 'always' for dev.criticaltask.spawnSites: expected off, sampled or all");
    }

    @Test
    void parsingWhenTheIntervalIsNotPositiveShouldNameThePropertyAndTheValue() {
        for (String interval : List.of("0", "-3", "ten", "")) {
            assertThatIllegalArgumentException().isThrownBy(() -> SpawnSites.of("sampled", interval))
                .withMessage("Invalid value '" + interval
                        + "' for dev.criticaltask.spawnSites.interval: expected a positive whole number");
        }
    }

    @Test
    void recordingWhenAllShouldNameTheCallerOfTheSpawn() {
        StackTraceElement site = spawnFromHere(SpawnSites.of("all", null));
        assertThat(site).isNotNull();
        assertThat(site.getClassName()).isEqualTo(SpawnSitesTest.class.getName());
        assertThat(site.getMethodName()).isEqualTo("spawnFromHere");
    }

    @Test
    void recordingWhenOffShouldNeverWalkTheStack() {
        SpawnSites off = SpawnSites.of("off", null);
        for (int i = 0; i < 1_000; i++) {
            assertThat(spawnFromHere(off)).isNull();
        }
        assertThat(off.unrecorded()).contains("not recorded").contains("-Ddev.criticaltask.spawnSites=all");
    }

    @Test
    void recordingWhenSampledOneInOneShouldRecordEverySpawn() {
        SpawnSites everyOne = SpawnSites.of("sampled", "1");
        for (int i = 0; i < 100; i++) {
            assertThat(spawnFromHere(everyOne)).isNotNull();
        }
    }

    @Test
    void recordingWhenSampledShouldRecordAboutOneSpawnInTheInterval() {
        // 8,000 draws at 1 in 8: 1,000 expected, standard deviation about 30; the bounds
        // are
        // 10 deviations away, so a correct sampler fails this about never
        SpawnSites sampled = SpawnSites.of("sampled", "8");
        int recorded = 0;
        for (int i = 0; i < 8_000; i++) {
            if (spawnFromHere(sampled) != null) {
                recorded++;
            }
        }
        assertThat(recorded).isBetween(700, 1_300);
        assertThat(sampled.unrecorded()).contains("one spawn in 8 records its site");
    }

    @Test
    @Tag("child-jvm")
    @Timeout(120)
    void aForgottenHandleWhenItsSpawnWasNotSampledShouldStillBeReportedAndCounted() throws Exception {
        String output = ChildJvm.run(Forgetter.class, "-Ddev.criticaltask.spawnSites.interval=1000000000");
        assertThat(output).contains("ABANDONED 1")
            .contains("'forgotten' was neither joined nor detached")
            .contains("spawned at an unrecorded place (one spawn in 1000000000 records its site; "
                    + "set -Ddev.criticaltask.spawnSites=all to record every one)");
    }

    @Test
    @Tag("child-jvm")
    @Timeout(120)
    void aForgottenHandleWhenItsSpawnWasSampledShouldNameItsSite() throws Exception {
        String output = ChildJvm.run(Forgetter.class, "-Ddev.criticaltask.spawnSites.interval=1");
        assertThat(output).contains("ABANDONED 1").contains("spawned at " + Forgetter.class.getName() + ".forget(");
    }

    @Test
    @Tag("child-jvm")
    @Timeout(120)
    void aSpawnWhenTheLevelIsInvalidShouldFailNamingTheProperty() throws Exception {
        String output = ChildJvm.run(Forgetter.class, "-Ddev.criticaltask.spawnSites=sometimes");
        assertThat(output).contains("REFUSED java.lang.ExceptionInInitializerError")
            .contains("Invalid value 'sometimes' for dev.criticaltask.spawnSites");
    }

    private static StackTraceElement spawnFromHere(SpawnSites sites) {
        return sites.record();
    }

    /**
     * The child JVM: forgets one handle, waits until it is reported, and prints the
     * count; or prints why the spawn was refused.
     */
    static final class Forgetter {

        public static void main(String[] args) {
            CancellationToken parent = CancellationToken.create();
            try {
                forget(parent);
            }
            catch (Throwable refused) {
                System.out.println("REFUSED " + refused + " " + refused.getCause());
                return;
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                System.gc();
                return CriticalTaskHandle.abandonedCount() > 0;
            });
            System.out.println("ABANDONED " + CriticalTaskHandle.abandonedCount());
        }

        private static void forget(CancellationToken parent) {
            CriticalTaskHandle.spawn("forgotten", token -> {
            }, parent);
        }

    }

}
