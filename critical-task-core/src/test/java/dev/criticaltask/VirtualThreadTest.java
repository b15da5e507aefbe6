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

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.EnabledOnJre;
import org.junit.jupiter.api.condition.JRE;

/** Virtual threads are found at run time: used on Java 21+, a clear error before. */
@Tag("core")
class VirtualThreadTest {

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void tasksRunOnNamedVirtualThreads() throws Exception {
        assertThat(CriticalTaskRegistry.virtualThreadsAvailable()).isTrue();
        CriticalTaskRegistry registry = CriticalTaskRegistry.builder().virtualThreads(true).build();
        AtomicReference<Thread> thread = new AtomicReference<>();
        registry.spawn("virtual", token -> thread.set(Thread.currentThread())).join();
        assertThat(isVirtual(thread.get())).isTrue();
        assertThat(thread.get().getName()).isEqualTo("critical-task-virtual");
        registry.close();
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void aFailureReachesTenThousandParkedVirtualSiblings() throws Exception {
        int siblings = 10_000;
        CriticalTaskRegistry registry = CriticalTaskRegistry.builder().virtualThreads(true).build();
        CountDownLatch parked = new CountDownLatch(siblings);
        List<CriticalTaskHandle> handles = new ArrayList<>(siblings);
        for (int i = 0; i < siblings; i++) {
            handles.add(registry.spawn("v" + i, token -> {
                parked.countDown();
                token.await();
            }));
        }
        parked.await();
        assertThatThrownBy(registry.spawn("failing", token -> {
            throw new IOException("down");
        })::join).isInstanceOf(CriticalTaskFailedException.class);
        for (CriticalTaskHandle handle : handles) {
            assertThat(handle.join(Duration.ofSeconds(30))).isTrue();
            assertThat(handle.state()).isEqualTo(TaskState.CANCELLED);
        }
        assertThat(registry.rootToken().linkedCount()).isZero();
    }

    @Test
    @EnabledOnJre({ JRE.JAVA_17, JRE.JAVA_18, JRE.JAVA_19, JRE.JAVA_20 })
    void askingForVirtualThreadsBeforeJava21IsAClearError() {
        assertThat(CriticalTaskRegistry.virtualThreadsAvailable()).isFalse();
        assertThatThrownBy(() -> CriticalTaskRegistry.builder().virtualThreads(true).build())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("Virtual threads need Java 21 or later");
    }

    private static boolean isVirtual(Thread thread) throws ReflectiveOperationException {
        return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    }

}
