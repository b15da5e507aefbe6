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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("core")
class LeadershipTest {

    private static final Duration LONG = Duration.ofSeconds(10);

    private final List<CriticalTaskRegistry> registries = new ArrayList<>();

    private final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (CriticalTaskRegistry registry : registries) {
            registry.stop(LONG);
        }
    }

    private CriticalTaskRegistry registry(LeaderElection election, String label) {
        CriticalTaskRegistry registry = CriticalTaskRegistry.builder().leaderElection(election).build();
        registry.addListener(new CriticalTaskListener() {
            @Override
            public void granted(CriticalTaskHandle task, LeadershipTerm term) {
                events.add(label + " granted " + task.description() + " " + term.term());
            }

            @Override
            public void standby(CriticalTaskHandle task, LeadershipRevokedException reason) {
                events.add(label + " standby " + task.description() + " " + reason.reason());
            }

            @Override
            public void failed(CriticalTaskHandle task, CriticalTaskFailedException failure) {
                events.add(label + " failed " + task.description());
            }
        });
        registries.add(registry);
        return registry;
    }

    /** A task that reports each term it runs under and runs until cancelled. */
    private static CriticalTaskSpec recording(String name, String role, BlockingQueue<TaskContext> runs) {
        return CriticalTaskSpec.supervised(name, context -> {
            runs.add(context);
            context.cancellation().await();
        }).withLeadership(role);
    }

    @Test
    void aTaskWithARoleRunsAtOnceUnderTheDefaultLocalElectionWithItsTermInTheContext() throws Exception {
        CriticalTaskRegistry registry = new CriticalTaskRegistry();
        registries.add(registry);
        BlockingQueue<TaskContext> runs = new LinkedBlockingQueue<>();
        CriticalTaskHandle handle = registry.spawn(recording("keeper", "leases", runs));
        TaskContext context = runs.poll(10, TimeUnit.SECONDS);
        assertThat(context).isNotNull();
        assertThat(context.leadership()).get().satisfies(term -> {
            assertThat(term.role()).isEqualTo("leases");
            assertThat(term.term()).isEqualTo(1);
            assertThat(term.isFencing()).isFalse();
        });
        assertThat(context.attempt()).isEqualTo(1);
        await().until(() -> handle.state() == TaskState.RUNNING);
        assertThat(handle.snapshot().leadership()).map(LeadershipTerm::term).contains(1L);
    }

    @Test
    void aTaskWithoutARoleHasNoLeadershipInItsContext() throws Exception {
        CriticalTaskRegistry registry = new CriticalTaskRegistry();
        registries.add(registry);
        BlockingQueue<Optional<LeadershipTerm>> seen = new LinkedBlockingQueue<>();
        registry.spawn(CriticalTaskSpec.supervised("plain", context -> seen.add(context.leadership())));
        assertThat(seen.poll(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void onlyTheLeadingRegistryRunsTheRoleAndTheOtherTakesOverWhenItStops() throws Exception {
        LocalLeaderElection election = new LocalLeaderElection();
        CriticalTaskRegistry first = registry(election, "a");
        CriticalTaskRegistry second = registry(election, "b");
        BlockingQueue<TaskContext> runsA = new LinkedBlockingQueue<>();
        BlockingQueue<TaskContext> runsB = new LinkedBlockingQueue<>();
        CriticalTaskHandle a = first.spawn(recording("keeper", "leases", runsA));
        assertThat(runsA.poll(10, TimeUnit.SECONDS)).isNotNull();
        CriticalTaskHandle b = second.spawn(recording("keeper", "leases", runsB));
        await().until(() -> b.state() == TaskState.STANDBY);
        assertThat(b.isFinished()).isFalse();
        assertThat(b.join(Duration.ofMillis(50))).isFalse();
        assertThat(runsB).isEmpty();

        first.stop(LONG);

        TaskContext took = runsB.poll(10, TimeUnit.SECONDS);
        assertThat(took).isNotNull();
        assertThat(took.leadership()).map(LeadershipTerm::term).contains(2L);
        // the old leader's task had ended before the new one's grant
        assertThat(a.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(events).containsSubsequence("a granted keeper 1", "b granted keeper 2");
        assertThat(first.firstFailure()).isEmpty();
    }

    @Test
    void aYieldCancelsGracefullyWithTheReasonAndTheNextGrantRunsTheTaskFromTheStart() throws Exception {
        LocalLeaderElection election = new LocalLeaderElection();
        CriticalTaskRegistry first = registry(election, "a");
        CriticalTaskRegistry second = registry(election, "b");
        BlockingQueue<TaskContext> runsA = new LinkedBlockingQueue<>();
        BlockingQueue<TaskContext> runsB = new LinkedBlockingQueue<>();
        // a's body says when it has returned: a yield stops the role's tasks before it
        // gives the
        // role up (the standby event comes after the release, so it may follow b's grant)
        CriticalTaskHandle a = first.spawn(CriticalTaskSpec.supervised("keeper", (context) -> {
            runsA.add(context);
            try {
                context.cancellation().await();
            }
            finally {
                events.add("a returned keeper " + context.leadership().map(LeadershipTerm::term).orElse(0L));
            }
        }).withLeadership("leases"));
        TaskContext firstRun = runsA.poll(10, TimeUnit.SECONDS);
        second.spawn(recording("keeper", "leases", runsB));

        assertThat(first.yieldLeadership("leases")).isTrue();

        assertThat(runsB.poll(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(firstRun.cancellation().reason()).get()
            .isInstanceOfSatisfying(LeadershipRevokedException.class, revoked -> {
                assertThat(revoked.reason()).isEqualTo(Revocation.YIELDED);
                assertThat(revoked.role()).isEqualTo("leases");
                assertThat(revoked.term()).isEqualTo(1);
            });
        await().until(() -> a.state() == TaskState.STANDBY);
        assertThat(a.snapshot().leadership()).isEmpty();
        assertThat(first.rootToken().isCancelled()).isFalse();

        // b yields back: a runs again, attempt 1 of a new term
        assertThat(second.yieldLeadership("leases")).isTrue();
        TaskContext again = runsA.poll(10, TimeUnit.SECONDS);
        assertThat(again).isNotNull();
        assertThat(again.attempt()).isEqualTo(1);
        assertThat(again.leadership()).map(LeadershipTerm::term).contains(3L);
        assertThat(a.restartCount()).isZero();
        assertThat(events).containsSubsequence("a granted keeper 1", "a standby keeper YIELDED", "a granted keeper 3");
        // the yielding registry's task had stopped before the role was handed over
        assertThat(events).containsSubsequence("a returned keeper 1", "b granted keeper 2");
        await().until(() -> events.contains("b standby keeper YIELDED"));
    }

    @Test
    void whatATaskThrowsAfterItsRoleWasRevokedIsNotAFailure() throws Exception {
        ManualElection election = new ManualElection();
        CriticalTaskRegistry registry = registry(election, "a");
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(1);
        CriticalTaskHandle handle = registry.spawn(CriticalTaskSpec.supervised("writer", context -> {
            runs.incrementAndGet();
            running.countDown();
            context.cancellation().await();
            throw new IllegalStateException("fenced write refused");
        }).withLeadership("ledger"));
        await().until(() -> handle.state() == TaskState.STANDBY);
        assertThat(runs).hasValue(0);
        election.grant(7);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        election.revoke(7, Revocation.LOST);
        await().until(() -> events.contains("a standby writer LOST"));
        assertThat(handle.state()).isEqualTo(TaskState.STANDBY);
        assertThat(registry.firstFailure()).isEmpty();
        assertThat(registry.rootToken().isCancelled()).isFalse();
    }

    @Test
    void aFailureInsideATermGoesThroughTheRestartPolicyAndASpentBudgetIsCritical() throws Exception {
        CriticalTaskRegistry registry = registry(new LocalLeaderElection(), "a");
        AtomicInteger attempts = new AtomicInteger();
        CriticalTaskHandle handle = registry.spawn(CriticalTaskSpec.supervised("flaky", context -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("boom " + context.attempt());
        })
            .withRestartPolicy(RestartPolicy.limited(2, Duration.ofMinutes(1))
                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(2)))
            .withLeadership("leases"));
        await().until(handle::isFinished);
        assertThat(handle.state()).isEqualTo(TaskState.FAILED);
        assertThat(attempts).hasValue(3);
        assertThat(registry.rootToken().isCancelled()).isTrue();
    }

    @Test
    void tasksOfOneRoleStartTogetherAndStopTogether() throws Exception {
        ManualElection election = new ManualElection();
        CriticalTaskRegistry registry = registry(election, "a");
        BlockingQueue<TaskContext> runs = new LinkedBlockingQueue<>();
        CriticalTaskHandle one = registry.spawn(recording("one", "shard", runs));
        CriticalTaskHandle two = registry.spawn(recording("two", "shard", runs));
        CriticalTaskHandle other = registry.spawn(CriticalTaskSpec.of("other", token -> token.await()));
        await().until(() -> one.state() == TaskState.STANDBY && two.state() == TaskState.STANDBY);
        assertThat(election.campaigns).hasValue(1);
        election.grant(1);
        TaskContext first = runs.poll(10, TimeUnit.SECONDS);
        TaskContext second = runs.poll(10, TimeUnit.SECONDS);
        assertThat(List.of(first.name(), second.name())).containsExactlyInAnyOrder("one", "two");
        election.revoke(1, Revocation.LEASE_EXPIRED);
        await().until(() -> one.state() == TaskState.STANDBY && two.state() == TaskState.STANDBY);
        assertThat(other.state()).isEqualTo(TaskState.RUNNING);
        election.grant(2);
        assertThat(runs.poll(10, TimeUnit.SECONDS).leadership()).map(LeadershipTerm::term).contains(2L);
        assertThat(runs.poll(10, TimeUnit.SECONDS).leadership()).map(LeadershipTerm::term).contains(2L);
    }

    @Test
    void aStopInStandbyCancelsTheTaskAndClosesTheCandidacy() throws Exception {
        ManualElection election = new ManualElection();
        CriticalTaskRegistry registry = registry(election, "a");
        CriticalTaskHandle handle = registry.spawn(recording("keeper", "leases", new LinkedBlockingQueue<>()));
        await().until(() -> handle.state() == TaskState.STANDBY);
        assertThat(registry.stop(LONG).isClean()).isTrue();
        assertThat(handle.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(election.closed).hasValue(1);
    }

    @Test
    void theLastTaskOfARoleToEndReleasesTheRole() throws Exception {
        LocalLeaderElection election = new LocalLeaderElection();
        CriticalTaskRegistry first = registry(election, "a");
        CriticalTaskRegistry second = registry(election, "b");
        CriticalTaskHandle done = first.spawn(CriticalTaskSpec.of("once", token -> {
        }).withLeadership("batch"));
        await().until(done::isFinished);
        assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
        BlockingQueue<TaskContext> runsB = new LinkedBlockingQueue<>();
        second.spawn(recording("next", "batch", runsB));
        assertThat(runsB.poll(10, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void aBlankRoleIsRefusedAndTheSpecIsUnchanged() {
        CriticalTaskSpec spec = CriticalTaskSpec.of("keeper", token -> {
        });
        assertThatThrownBy(() -> spec.withLeadership(" ")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("keeper")
            .hasMessageContaining("role");
        assertThat(spec.leadershipRole()).isEmpty();
    }

    @Test
    void aCampaignThatThrowsFailsTheSpawnAndLeavesNothingBehind() {
        CriticalTaskRegistry registry = registry((role, listener) -> {
            throw new IllegalStateException("no lock store");
        }, "a");
        assertThatThrownBy(() -> registry.spawn(recording("keeper", "leases", new LinkedBlockingQueue<>())))
            .hasMessage("no lock store");
        assertThat(registry.find("keeper")).isEmpty();
        assertThat(registry.tasks()).isEmpty();
    }

    @Test
    void revocationsRacingGrantsNeverLeaveATaskRunningUnderAnEndedTerm() throws Exception {
        ManualElection election = new ManualElection();
        CriticalTaskRegistry registry = registry(election, "a");
        List<Long> violations = new CopyOnWriteArrayList<>();
        AtomicInteger current = new AtomicInteger();
        CriticalTaskHandle handle = registry.spawn(CriticalTaskSpec.supervised("keeper", context -> {
            long term = context.leadership().orElseThrow().term();
            while (!context.cancellation().isCancelled()) {
                if (current.get() != term) {
                    // the election moved on: the token must say so by now
                    if (!context.cancellation().isCancelled()) {
                        violations.add(term);
                    }
                    return;
                }
                Thread.onSpinWait();
            }
        }).withLeadership("leases"));
        for (int term = 1; term <= 300; term++) {
            current.set(term);
            election.grant(term);
            if (term % 3 == 0) {
                Thread.yield();
            }
            election.revoke(term, Revocation.LOST);
            current.set(-term);
        }
        await().until(() -> handle.state() == TaskState.STANDBY);
        assertThat(violations).isEmpty();
        assertThat(registry.firstFailure()).isEmpty();
        assertThat(handle.isFinished()).isFalse();
    }

    /** An election driven by the test: grants and revokes when told. */
    private static final class ManualElection implements LeaderElection {

        final AtomicInteger campaigns = new AtomicInteger();

        final AtomicInteger closed = new AtomicInteger();

        private volatile LeadershipListener listener;

        private volatile String role;

        @Override
        public Candidacy campaign(String role, LeadershipListener listener) {
            campaigns.incrementAndGet();
            this.role = role;
            this.listener = listener;
            return new Candidacy() {
                @Override
                public void yield() {
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }

        void grant(long term) {
            if (listener == null) {
                await().pollDelay(Duration.ZERO).until(() -> listener != null);
            }
            listener.granted(new LeadershipTerm(role, term, java.time.Instant.now(), true));
        }

        void revoke(long term, Revocation reason) {
            listener.revoked(new LeadershipRevokedException(role, term, reason));
        }

    }

}
