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

package dev.criticaltask.spring.autoconfigure.leadership;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.LeaderElection;
import dev.criticaltask.LeadershipTerm;
import dev.criticaltask.TaskContext;
import dev.criticaltask.TaskState;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.integration.support.locks.DefaultLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Leadership on a {@link LockRegistry} that is not the JDBC one: the election takes any
 * registry bean (Redis and ZooKeeper ones included), here Spring Integration's in-memory
 * {@link DefaultLockRegistry}, shared by two contexts as two replicas share a store.
 */
@Tag("spring")
class LockRegistryLeadershipTests {

    private final DefaultLockRegistry shared = new DefaultLockRegistry();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CriticalTaskAutoConfiguration.class,
                CriticalTaskLeadershipAutoConfiguration.class))
        .withBean(LockRegistry.class, () -> this.shared)
        .withPropertyValues("critical-task.shutdown.grace-period=2s",
                "critical-task.tasks.keeper.leadership.role=leases", "critical-task.leadership.election=lock-registry")
        .withUserConfiguration(RecordingKeeper.class);

    @Test
    void whenTwoContextsShareALockRegistryShouldRunTheTaskOnOneAndHandItOverWhenItCloses() {
        this.contextRunner.run((first) -> {
            assertThat(first).hasNotFailed().hasSingleBean(LeaderElection.class);
            TaskContext leading = first.getBean(RecordingKeeper.class).runs.poll(30, TimeUnit.SECONDS);
            assertThat(leading).isNotNull();
            assertThat(leading.leadership()).get().satisfies((term) -> {
                assertThat(term.role()).isEqualTo("leases");
                // no store of terms beside this registry: terms of this process, not
                // fencing
                assertThat(term.isFencing()).isFalse();
            });
            this.contextRunner.run((second) -> {
                CriticalTaskRegistry standby = second.getBean(CriticalTaskRegistry.class);
                await().atMost(Duration.ofSeconds(20))
                    .until(() -> standby.find("keeper").map((task) -> task.state() == TaskState.STANDBY).orElse(false));
                assertThat(second.getBean(RecordingKeeper.class).runs).isEmpty();

                first.close();

                TaskContext took = second.getBean(RecordingKeeper.class).runs.poll(30, TimeUnit.SECONDS);
                assertThat(took).isNotNull();
                assertThat(took.leadership()).map(LeadershipTerm::role).contains("leases");
                assertThat(leading.cancellation().isCancelled()).isTrue();
            });
        });
    }

}
