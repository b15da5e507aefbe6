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

package dev.criticaltask.spring.leadership;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import dev.criticaltask.testsupport.Postgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock wrapper on Spring Integration's real {@link JdbcLockRegistry} and PostgreSQL,
 * called as {@code LockRegistryLeaderInitiator} 7.0.x calls it: a leader whose renewal
 * fails gets {@code onRevoked} and never {@code unlock}. Without the wrapper the leaked
 * local hold makes every later release of that lock a local decrement only: the row stays
 * until it expires, and a standby waits for the TTL instead of taking over at once.
 */
@Tag("spring")
class GuardedLockTests {

    private static final String ROLE = "leases";

    private final List<DefaultLockRepository> repositories = new ArrayList<>();

    private final List<SingleConnectionDataSource> dataSources = new ArrayList<>();

    private String url;

    @BeforeEach
    void database() throws Exception {
        this.url = Postgres.createDatabase();
        SingleConnectionDataSource schema = dataSource();
        JdbcLeadershipTerms.initializeSchema(schema, "INT_", false);
    }

    @AfterEach
    void close() {
        this.repositories.forEach(DefaultLockRepository::close);
        this.dataSources.forEach(SingleConnectionDataSource::destroy);
    }

    private SingleConnectionDataSource dataSource() {
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(this.url, true);
        this.dataSources.add(dataSource);
        return dataSource;
    }

    /** One client: its own repository (client id) and registry, as one replica has. */
    private JdbcLockRegistry client() {
        SingleConnectionDataSource dataSource = dataSource();
        DefaultLockRepository repository = new DefaultLockRepository(dataSource, UUID.randomUUID().toString());
        repository.setTransactionManager(new JdbcTransactionManager(dataSource));
        repository.afterPropertiesSet();
        repository.afterSingletonsInstantiated();
        this.repositories.add(repository);
        return new JdbcLockRegistry(repository);
    }

    @Test
    void aLeaderThatLostItsLockOnceStillReleasesAtOnceWhenItLeadsAgain() throws Exception {
        JdbcLockRegistry a = client();
        JdbcLockRegistry b = client();
        Lock leader = new GuardedLock(a.obtain(ROLE), new NoObserver());
        Lock other = b.obtain(ROLE);

        // a leads: acquire, then the initiator's steady state of one hold
        assertThat(leader.tryLock(100, TimeUnit.MILLISECONDS)).isTrue();
        // a's lock expires (a paused process, a lost network); b takes it over
        expireAll();
        assertThat(other.tryLock(100, TimeUnit.MILLISECONDS)).isTrue();
        // a's renewal fails: the initiator revokes and, in 7.0.x, does not unlock
        assertThat(leader.tryLock(100, TimeUnit.MILLISECONDS)).isFalse();
        // b releases; a leads again
        other.unlock();
        assertThat(leader.tryLock(100, TimeUnit.MILLISECONDS)).isTrue();

        // a stops gracefully: the initiator unlocks once, which must delete the row
        leader.unlock();

        assertThat(other.tryLock(100, TimeUnit.MILLISECONDS))
            .as("b takes the lock at once after a's release (the row was deleted)")
            .isTrue();
        other.unlock();
    }

    private void expireAll() throws SQLException {
        Postgres.execute(this.url, "UPDATE INT_LOCK SET EXPIRED_AFTER = EXPIRED_AFTER - INTERVAL '1 hour'");
    }

    private static final class NoObserver implements GuardedLock.Observer {

        @Override
        public void confirmed(long startNanos) {
        }

        @Override
        public void engineError(RuntimeException error) {
            throw error;
        }

    }

}
