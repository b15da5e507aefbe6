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

/**
 * Leadership for critical tasks on more than one replica: Spring Integration's lock-based
 * leader election ({@code LockRegistryLeaderInitiator}) behind the core's
 * {@link dev.criticaltask.LeaderElection}, with a lease guard and fencing terms.
 */
@NullMarked
package dev.criticaltask.spring.leadership;

import org.jspecify.annotations.NullMarked;
