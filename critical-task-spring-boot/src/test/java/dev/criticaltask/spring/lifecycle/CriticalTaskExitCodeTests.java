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

package dev.criticaltask.spring.lifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTask;
import dev.criticaltask.CriticalTaskFailedException;
import dev.criticaltask.spring.CriticalTaskFailedEvent;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.ExitCodeEvent;
import org.springframework.boot.ExitCodeExceptionMapper;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the exit code of a task failure, by Spring Boot's rules, and the termination
 * message, in real contexts. These contexts belong to a test: the process is never
 * exited, and the log says which code it would have exited with.
 */
@Tag("spring")
@ExtendWith(OutputCaptureExtension.class)
class CriticalTaskExitCodeTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CriticalTaskAutoConfiguration.class,
                ApplicationAvailabilityAutoConfiguration.class))
        .withPropertyValues("critical-task.shutdown.grace-period=2s")
        .withBean(ExitCodes.class)
        .withUserConfiguration(FailOnSignal.class);

    @Test
    void whenATaskFailsWithoutGeneratorsOrMappersShouldUseThePropertysCode(CapturedOutput output) {
        this.contextRunner.withPropertyValues("critical-task.shutdown.exit-code=42").run((context) -> {
            CriticalTaskExitCodeGenerator generator = context.getBean(CriticalTaskExitCodeGenerator.class);
            assertThat(generator.getExitCode()).isZero();
            assertThat(failAndAwaitClose(context)).containsExactly(42);
            // read after the close, without the context
            assertThat(generator.getExitCode()).isEqualTo(42);
        });
        assertThat(output).contains("Exit code 42 after the failure of critical task 'failing'",
                "Not exiting the process: the application context belongs to a test; the exit code is 42");
    }

    @Test
    void whenTheDefaultsApplyShouldUseOne() {
        this.contextRunner.run((context) -> assertThat(failAndAwaitClose(context)).containsExactly(1));
    }

    @Test
    void whenAnApplicationGeneratorGivesACodeShouldThatCodeWin(CapturedOutput output) {
        this.contextRunner.withPropertyValues("critical-task.shutdown.exit-code=42")
            .withBean("applicationExitCode", ExitCodeGenerator.class, () -> () -> 3)
            .run((context) -> assertThat(failAndAwaitClose(context)).containsExactly(3));
        assertThat(output).contains("the exit code is 3");
    }

    @Test
    void whenAnApplicationGeneratorGivesZeroShouldTheFailuresCodeApply() {
        this.contextRunner.withPropertyValues("critical-task.shutdown.exit-code=42")
            .withBean("applicationExitCode", ExitCodeGenerator.class, () -> () -> 0)
            .run((context) -> assertThat(failAndAwaitClose(context)).containsExactly(42));
    }

    @Test
    void whenGeneratorsAreOrderedShouldTheFirstNonZeroWin() {
        this.contextRunner.withUserConfiguration(OrderedGenerators.class)
            .run((context) -> assertThat(failAndAwaitClose(context)).containsExactly(5));
    }

    @Test
    void whenAMapperMapsTheCauseShouldItsCodeBeTheFailuresCode() {
        this.contextRunner.withPropertyValues("critical-task.shutdown.exit-code=42")
            .withBean("stateMapper", ExitCodeExceptionMapper.class,
                    () -> (ex) -> (ex instanceof IllegalStateException) ? 9 : 0)
            .run((context) -> {
                CriticalTaskExitCodeGenerator generator = context.getBean(CriticalTaskExitCodeGenerator.class);
                assertThat(failAndAwaitClose(context)).containsExactly(9);
                assertThat(generator.getExitCode()).isEqualTo(9);
            });
    }

    @Test
    void whenAMapperBlocksOnOneThreadShouldAnotherThreadStillGetTheCode() {
        this.contextRunner.withBean(BlockingMapper.class).run((context) -> {
            BlockingMapper mapper = context.getBean(BlockingMapper.class);
            CriticalTaskExitCodeGenerator generator = context.getBean(CriticalTaskExitCodeGenerator.class);
            context.getBean(FailOnSignal.class).fail.countDown();
            assertThat(mapper.entered.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            try {
                // the user's mapper must not hold a lock of the starter's
                CompletableFuture<Integer> other = CompletableFuture.supplyAsync(generator::getExitCode);
                assertThat(other).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(7);
            }
            finally {
                mapper.release.countDown();
            }
            assertThat(failAndAwaitClose(context)).containsExactly(7);
            assertThat(generator.getExitCode()).isEqualTo(7);
        });
    }

    @Test
    void whenAnApplicationGeneratorWinsShouldTheStartersGeneratorReturnItsCodeAfterTheClose() {
        this.contextRunner
            .withPropertyValues("critical-task.shutdown.exit-code=42", "critical-task.shutdown.exit-process=false")
            .withBean("applicationExitCode", ExitCodeGenerator.class, () -> () -> 3)
            .withBean(RecordingMapper.class)
            .run((context) -> {
                CriticalTaskExitCodeGenerator generator = context.getBean(CriticalTaskExitCodeGenerator.class);
                RecordingMapper mapper = context.getBean(RecordingMapper.class);
                assertThat(failAndAwaitClose(context)).containsExactly(3);
                // the code published and used, not the failure's own 42
                assertThat(generator.getExitCode()).isEqualTo(3);
                // looked up and asked while the context was open, never after the close
                assertThat(mapper.whileActive).containsExactly(true);
            });
    }

    @Test
    void whenAMapperDoesNotMapTheCauseShouldThePropertysCodeApply() {
        this.contextRunner.withPropertyValues("critical-task.shutdown.exit-code=42")
            .withBean("ioMapper", ExitCodeExceptionMapper.class, () -> (ex) -> (ex instanceof IOException) ? 9 : 0)
            .run((context) -> assertThat(failAndAwaitClose(context)).containsExactly(42));
    }

    @Test
    void whenAMapperAndAnApplicationGeneratorBothGiveACodeShouldTheGeneratorWin() {
        this.contextRunner.withBean("stateMapper", ExitCodeExceptionMapper.class, () -> (ex) -> 9)
            .withBean("applicationExitCode", ExitCodeGenerator.class, () -> () -> 3)
            .run((context) -> assertThat(failAndAwaitClose(context)).containsExactly(3));
    }

    @Test
    void whenTheCauseIsAnExitCodeGeneratorShouldItsCodeApply() {
        this.contextRunner.withPropertyValues("critical-task.shutdown.exit-code=42").run((context) -> {
            FailOnSignal signal = context.getBean(FailOnSignal.class);
            signal.cause = new CodedException(12);
            assertThat(failAndAwaitClose(context)).containsExactly(12);
        });
    }

    @Test
    void whenAListenerCallsSpringApplicationExitShouldItGetTheCodeAndEveryEventArriveOnce(CapturedOutput output) {
        this.contextRunner.withPropertyValues("critical-task.shutdown.exit-code=42")
            .withBean(ExitFromListener.class)
            .run((context) -> {
                ExitFromListener listener = context.getBean(ExitFromListener.class);
                assertThat(failAndAwaitClose(context)).containsExactly(42);
                assertThat(listener.codes).containsExactly(42);
            });
        assertThat(output).doesNotContain("has been closed already", "Could not publish")
            .contains("the exit code is 42");
    }

    @Test
    void whenExitProcessIsOffShouldStillComputePublishAndLogTheCode(CapturedOutput output) {
        this.contextRunner
            .withPropertyValues("critical-task.shutdown.exit-code=42", "critical-task.shutdown.exit-process=false")
            .run((context) -> {
                CriticalTaskExitCodeGenerator generator = context.getBean(CriticalTaskExitCodeGenerator.class);
                assertThat(failAndAwaitClose(context)).containsExactly(42);
                assertThat(generator.getExitCode()).isEqualTo(42);
            });
        assertThat(output).contains(
                "Not exiting the process: critical-task.shutdown.exit-process is false; " + "the exit code is 42");
    }

    @Test
    void whenAPathIsSetShouldWriteOneLineNamingTheTaskAndTheExceptionClassOnly(@TempDir Path directory) {
        Path file = directory.resolve("termination-log");
        this.contextRunner.withPropertyValues("critical-task.shutdown.termination-message-path=" + file)
            .run((context) -> {
                failAndAwaitClose(context);
                await().atMost(TIMEOUT).until(() -> Files.exists(file));
                assertThat(Files.readString(file, StandardCharsets.UTF_8))
                    .isEqualTo("Critical task 'failing' crashed: java.lang.IllegalStateException\n")
                    .doesNotContain("boom");
            });
    }

    @Test
    void whenTheFileExistsShouldReplaceItsContent(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("termination-log");
        Files.writeString(file, "an older and much longer message than the new one\nsecond line\n");
        this.contextRunner.withPropertyValues("critical-task.shutdown.termination-message-path=" + file)
            .run((context) -> {
                failAndAwaitClose(context);
                await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(Files.readString(file))
                        .isEqualTo("Critical task 'failing' crashed: java.lang.IllegalStateException\n"));
            });
    }

    @Test
    void whenTheWriteFailsShouldLogItAndChangeNothingElse(@TempDir Path directory, CapturedOutput output) {
        // a directory cannot be written as a file
        this.contextRunner.withPropertyValues("critical-task.shutdown.termination-message-path=" + directory)
            .run((context) -> assertThat(failAndAwaitClose(context)).containsExactly(1));
        assertThat(output).contains("Could not write the termination message to " + directory)
            .contains("the exit code is 1");
    }

    @Test
    void whenThePathIsEmptyShouldWriteNothingNotEvenTheDefaultFile(@TempDir Path directory) throws IOException {
        Path defaultFile = Files.createFile(directory.resolve("termination-log"));
        new ProcessExit(1, false, false, "", defaultFile).writeTerminationMessage(failure(), false);
        assertThat(defaultFile).isEmptyFile();
    }

    @Test
    void whenNoPathIsSetOutsideATestShouldWriteTheDefaultFile(@TempDir Path directory) throws IOException {
        Path defaultFile = Files.createFile(directory.resolve("termination-log"));
        new ProcessExit(1, false, false, null, defaultFile).writeTerminationMessage(failure(), false);
        assertThat(defaultFile).hasContent("Critical task 'failing' crashed: java.lang.IllegalStateException");
    }

    @Test
    void whenNoPathIsSetInsideATestShouldNeverWriteTheDefaultFile(@TempDir Path directory) throws IOException {
        Path defaultFile = Files.createFile(directory.resolve("termination-log"));
        new ProcessExit(1, false, false, null, defaultFile).writeTerminationMessage(failure(), true);
        assertThat(defaultFile).isEmptyFile();
    }

    @Test
    void whenNoPathIsSetAndTheDefaultFileIsMissingShouldCreateNothing(@TempDir Path directory) {
        Path defaultFile = directory.resolve("termination-log");
        new ProcessExit(1, false, false, null, defaultFile).writeTerminationMessage(failure(), false);
        assertThat(defaultFile).doesNotExist();
    }

    @Test
    void whenThePathIsInvalidShouldFailStartupNamingTheProperty() {
        this.contextRunner.withPropertyValues("critical-task.shutdown.termination-message-path=bad\u0000path")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("critical-task.shutdown.termination-message-path"));
    }

    @Test
    void terminationMessageIsOneLineWhateverTheTaskIsCalled() {
        CriticalTaskFailedException failure = new CriticalTaskFailedException("two\nlines", new IOException("x"));
        assertThat(ProcessExit.terminationMessage(failure))
            .isEqualTo("Critical task 'two lines' failed: java.io.IOException");
    }

    private static CriticalTaskFailedException failure() {
        return new CriticalTaskFailedException("failing", new IllegalStateException("boom"));
    }

    /**
     * Fails the task, waits for the shutdown to close the context, and returns the codes
     * of the {@code ExitCodeEvent}s published meanwhile.
     */
    private static List<Integer> failAndAwaitClose(AssertableApplicationContext context) {
        ConfigurableApplicationContext source = context.getSourceApplicationContext();
        ExitCodes codes = context.getBean(ExitCodes.class);
        context.getBean(FailOnSignal.class).fail.countDown();
        await().atMost(TIMEOUT).until(() -> !source.isActive());
        // the exit code is logged once the close has ended
        await().atMost(TIMEOUT).until(() -> !shutdownThreadAlive());
        return List.copyOf(codes.codes);
    }

    private static boolean shutdownThreadAlive() {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .anyMatch((thread) -> thread.getName().equals(FailureShutdown.THREAD_NAME) && thread.isAlive());
    }

    static final class ExitCodes implements ApplicationListener<ExitCodeEvent> {

        final List<Integer> codes = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(ExitCodeEvent event) {
            this.codes.add(event.getExitCode());
        }

    }

    /** Calls {@code SpringApplication.exit} on the failure, as an application may. */
    static final class ExitFromListener {

        final List<Integer> codes = new CopyOnWriteArrayList<>();

        private final ConfigurableApplicationContext context;

        ExitFromListener(ConfigurableApplicationContext context) {
            this.context = context;
        }

        @EventListener
        void failed(CriticalTaskFailedEvent event) {
            this.codes.add(SpringApplication.exit(this.context));
        }

    }

    /** Maps every cause to 7; its first call waits until released. */
    static final class BlockingMapper implements ExitCodeExceptionMapper {

        final CountDownLatch entered = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        private final AtomicBoolean first = new AtomicBoolean(true);

        @Override
        public int getExitCode(Throwable exception) {
            if (this.first.compareAndSet(true, false)) {
                this.entered.countDown();
                try {
                    this.release.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            return 7;
        }

    }

    /** Maps nothing; records whether the context was active at each call. */
    static final class RecordingMapper implements ExitCodeExceptionMapper {

        final List<Boolean> whileActive = new CopyOnWriteArrayList<>();

        private final ConfigurableApplicationContext context;

        RecordingMapper(ConfigurableApplicationContext context) {
            this.context = context;
        }

        @Override
        public int getExitCode(Throwable exception) {
            this.whileActive.add(this.context.isActive());
            return 0;
        }

    }

    static final class CodedException extends RuntimeException implements ExitCodeGenerator {

        private final int code;

        CodedException(int code) {
            super("coded");
            this.code = code;
        }

        @Override
        public int getExitCode() {
            return this.code;
        }

    }

    /** Ordered as instances, as {@code SpringApplication.exit} orders them. */
    @Configuration(proxyBeanMethods = false)
    static class OrderedGenerators {

        @Bean
        ExitCodeGenerator second() {
            return new OrderedGenerator(2, 6);
        }

        @Bean
        ExitCodeGenerator first() {
            return new OrderedGenerator(1, 5);
        }

        @Bean
        ExitCodeGenerator zero() {
            return new OrderedGenerator(0, 0);
        }

    }

    record OrderedGenerator(int order, int code) implements ExitCodeGenerator, Ordered {

        @Override
        public int getExitCode() {
            return this.code;
        }

        @Override
        public int getOrder() {
            return this.order;
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class FailOnSignal {

        final CountDownLatch fail = new CountDownLatch(1);

        volatile RuntimeException cause = new IllegalStateException("boom");

        @Bean
        CriticalTask worker() {
            return CancellationToken::await;
        }

        @Bean
        CriticalTask failing() {
            return (token) -> {
                this.fail.await();
                throw this.cause;
            };
        }

    }

}
