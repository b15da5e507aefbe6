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

import dev.criticaltask.spring.autoconfigure.ConditionalOnCriticalTaskEnabled;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.Candidacy;
import dev.criticaltask.CriticalTaskFailedException;
import dev.criticaltask.LeaderElection;
import dev.criticaltask.LeadershipListener;
import dev.criticaltask.LocalLeaderElection;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.CriticalTaskProperties;
import dev.criticaltask.spring.leadership.JdbcLeadershipTerms;
import dev.criticaltask.spring.leadership.LeadershipTerms;
import dev.criticaltask.spring.leadership.LockRegistryLeaderElection;
import dev.criticaltask.spring.leadership.ProcessLeadershipTerms;
import dev.criticaltask.spring.leadership.PublishingLeaderElection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of leadership roles, active when a
 * {@code critical-task.tasks.<name>.leadership.role} is set (or
 * {@code critical-task.leadership.election=lock-registry}): the {@link LeaderElection}
 * that the registry's role tasks wait on. With {@code spring-integration-core} and a
 * {@link LockRegistry} bean it is Spring Integration's lock-based election; with a
 * {@link DataSource}, {@code spring-integration-jdbc} and no registry of the user's, a
 * {@link JdbcLockRegistry} is created on the data source (beans
 * {@code criticalTaskLockRepository} and {@code criticalTaskLockRegistry}) with fencing
 * terms in the same database; otherwise leadership is local (this instance leads every
 * role), which is logged. Without {@code spring-integration-core} this does not apply:
 * the registry's own {@link LocalLeaderElection} grants every role (and no leadership
 * events are published).
 */
@AutoConfiguration(before = CriticalTaskAutoConfiguration.class,
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(LockRegistryLeaderInitiator.class)
@ConditionalOnCriticalTaskEnabled
@Conditional(OnLeadershipCondition.class)
@EnableConfigurationProperties(CriticalTaskProperties.class)
public final class CriticalTaskLeadershipAutoConfiguration {

    /**
     * Creates the auto-configuration; Spring Boot does so when its conditions match.
     */
    public CriticalTaskLeadershipAutoConfiguration() {
    }

    /** The name of the election bean. */
    public static final String ELECTION_BEAN_NAME = "criticalTaskLeaderElection";

    private static final Log logger = LogFactory.getLog(CriticalTaskLeadershipAutoConfiguration.class);

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ JdbcLockRegistry.class, JdbcTransactionManager.class })
    @ConditionalOnSingleCandidate(DataSource.class)
    @ConditionalOnMissingBean(LockRegistry.class)
    @Conditional(OnLockRegistryElectionCondition.class)
    static class JdbcLeadershipConfiguration {

        /**
         * This instance's client id in INT_LOCK, shared by the repository and the terms.
         */
        private final String clientId = UUID.randomUUID().toString();

        @Bean
        @ConditionalOnMissingBean
        DefaultLockRepository criticalTaskLockRepository(DataSource dataSource, CriticalTaskProperties properties) {
            CriticalTaskProperties.Jdbc jdbc = properties.getLeadership().getJdbc();
            // before the repository's start, which checks that its table exists
            switch (jdbc.getInitializeSchema()) {
                case ALWAYS -> JdbcLeadershipTerms.initializeSchema(dataSource, jdbc.getTablePrefix(), false);
                case EMBEDDED -> JdbcLeadershipTerms.initializeSchema(dataSource, jdbc.getTablePrefix(), true);
                case NEVER -> {
                }
            }
            DefaultLockRepository repository = new DefaultLockRepository(dataSource, this.clientId);
            repository.setRegion(jdbc.getRegion());
            repository.setPrefix(jdbc.getTablePrefix());
            repository.setTimeToLive((int) properties.getLeadership().getLease().getTimeToLive().toMillis());
            // its own, so that a user's JPA or JTA transaction manager is never asked
            repository.setTransactionManager(new JdbcTransactionManager(dataSource));
            return repository;
        }

        @Bean
        @ConditionalOnMissingBean
        JdbcLockRegistry criticalTaskLockRegistry(DefaultLockRepository criticalTaskLockRepository,
                CriticalTaskProperties properties) {
            return new JdbcLockRegistry(criticalTaskLockRepository,
                    properties.getLeadership().getLease().getTimeToLive());
        }

        @Bean
        @ConditionalOnMissingBean
        LeadershipTerms criticalTaskLeadershipTerms(DataSource dataSource, CriticalTaskProperties properties) {
            CriticalTaskProperties.Jdbc jdbc = properties.getLeadership().getJdbc();
            return new JdbcLeadershipTerms(dataSource, jdbc.getTablePrefix(), jdbc.getRegion(), this.clientId);
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class LockRegistryElectionConfiguration {

        @Bean(ELECTION_BEAN_NAME)
        @ConditionalOnMissingBean(LeaderElection.class)
        LeaderElection criticalTaskLeaderElection(CriticalTaskProperties properties, ApplicationContext context,
                ObjectProvider<LeadershipTerms> terms,
                @Qualifier(CriticalTaskAutoConfiguration.ROOT_TOKEN_BEAN_NAME) ObjectProvider<CancellationToken> root) {
            CriticalTaskProperties.Leadership leadership = properties.getLeadership();
            LockRegistry<?> locks = lockRegistry(leadership, context);
            if (locks == null) {
                return local(context, "no LockRegistry bean (define one, or add spring-integration-jdbc and a "
                        + "DataSource for a JdbcLockRegistry)");
            }
            CriticalTaskProperties.LeadershipRestart restart = leadership.getRestart();
            LockRegistryLeaderElection.Settings settings = new LockRegistryLeaderElection.Settings(
                    leadership.getHeartbeat(), leadership.getBusyWait(), leadership.getLease().getTimeToLive(),
                    leadership.getLease().getMargin(), restart.getMaxRestarts(), restart.getWithin(),
                    restart.getBackoff().getInitial(), restart.getBackoff().getMax());
            LockRegistryLeaderElection election = new LockRegistryLeaderElection(locks,
                    terms.getIfAvailable(ProcessLeadershipTerms::new), settings, context, (failed) -> {
                        CancellationToken token = root.getIfAvailable();
                        if (token != null) {
                            token.cancel(
                                    new CriticalTaskFailedException("leadership[" + failed.getRole() + "]", failed));
                        }
                    });
            logger.info("Critical task leadership roles are elected through " + locks.getClass().getSimpleName());
            return new ClosingPublishingLeaderElection(election, context);
        }

        private static @Nullable LockRegistry<?> lockRegistry(CriticalTaskProperties.Leadership leadership,
                ApplicationContext context) {
            if (leadership.getElection() == CriticalTaskProperties.Election.LOCAL) {
                return null;
            }
            String name = leadership.getLockRegistry();
            if (name != null) {
                return context.getBean(name, LockRegistry.class);
            }
            @SuppressWarnings("rawtypes")
            Map<String, LockRegistry> registries = context.getBeansOfType(LockRegistry.class);
            if (registries.size() == 1) {
                return registries.values().iterator().next();
            }
            if (registries.size() > 1) {
                throw new IllegalStateException(
                        "Critical task leadership found " + registries.size() + " LockRegistry beans "
                                + registries.keySet() + ": name one with critical-task.leadership.lock-registry");
            }
            if (leadership.getElection() == CriticalTaskProperties.Election.LOCK_REGISTRY) {
                throw new IllegalStateException("critical-task.leadership.election is lock-registry, but there is no "
                        + "LockRegistry bean: define one, or add spring-integration-jdbc and a DataSource for a "
                        + "JdbcLockRegistry");
            }
            return null;
        }

    }

    static LeaderElection local(ApplicationContext context, String why) {
        logger.info("Critical task leadership roles are local (this instance leads every role): " + why);
        return new PublishingLeaderElection(new LocalLeaderElection(), context);
    }

    /**
     * Closes the lock-registry election with the context (its guard thread, its
     * candidacies).
     */
    static final class ClosingPublishingLeaderElection implements LeaderElection, AutoCloseable {

        private final LockRegistryLeaderElection election;

        private final PublishingLeaderElection publishing;

        ClosingPublishingLeaderElection(LockRegistryLeaderElection election, ApplicationContext context) {
            this.election = election;
            this.publishing = new PublishingLeaderElection(election, context);
        }

        @Override
        public Candidacy campaign(String role, LeadershipListener listener) {
            return this.publishing.campaign(role, listener);
        }

        @Override
        public void close() {
            this.election.close();
        }

        @Override
        public String toString() {
            return this.election.toString();
        }

    }

}
