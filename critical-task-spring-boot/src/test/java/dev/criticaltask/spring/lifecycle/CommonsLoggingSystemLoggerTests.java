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

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CommonsLoggingSystemLogger}.
 */
@Tag("spring")
@ExtendWith(OutputCaptureExtension.class)
class CommonsLoggingSystemLoggerTests {

    private final System.Logger logger = new CommonsLoggingSystemLogger("dev.criticaltask.Test");

    @Test
    void writesMessagesAndThrowablesThroughSpringLogging(CapturedOutput output) {
        this.logger.log(System.Logger.Level.ERROR, "Critical task 'x' crashed", new IllegalStateException("boom"));
        assertThat(output).contains("ERROR")
            .contains("Critical task 'x' crashed")
            .contains("java.lang.IllegalStateException: boom")
            .contains("\tat ");
    }

    @Test
    void formatsParameters(CapturedOutput output) {
        this.logger.log(System.Logger.Level.WARNING, "{0} of {1}", 1, 2);
        assertThat(output).contains("WARN").contains("1 of 2");
    }

    @Test
    void mapsLevels() {
        assertThat(this.logger.getName()).isEqualTo("dev.criticaltask.Test");
        assertThat(this.logger.isLoggable(System.Logger.Level.ERROR)).isTrue();
        assertThat(this.logger.isLoggable(System.Logger.Level.OFF)).isFalse();
    }

}
