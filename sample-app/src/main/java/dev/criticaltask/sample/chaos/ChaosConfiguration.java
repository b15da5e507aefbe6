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

package dev.criticaltask.sample.chaos;

import dev.criticaltask.CriticalTask;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The worker that ignores cancellation, only with
 * {@code sample.chaos.stubborn-worker=true}. ({@code sample.chaos.fail-after} acts in the
 * price feed, {@code sample.chaos.http-enabled} on {@link ChaosController}, whose
 * {@code POST /chaos/lose-order} breaks the ledger audit's invariant.)
 */
@Configuration(proxyBeanMethods = false)
class ChaosConfiguration {

    @Bean
    @ConditionalOnBooleanProperty("sample.chaos.stubborn-worker")
    CriticalTask stubbornWorker() {
        return new StubbornWorker();
    }

}
