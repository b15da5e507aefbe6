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

package dev.criticaltask.spring.testapp.leadership;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;

import javax.sql.DataSource;

import dev.criticaltask.LeadershipTerm;
import dev.criticaltask.SupervisedTask;
import dev.criticaltask.spring.CriticalTaskLeadershipGrantedEvent;
import dev.criticaltask.spring.CriticalTaskLeadershipRevokedEvent;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.leadership.CriticalTaskLeadershipAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.scheduling.CriticalJobAutoConfiguration;
import dev.criticaltask.spring.scheduling.Critical;
import dev.criticaltask.testsupport.boot.ChildApplication;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * One replica of a service whose task {@code writer} has the leadership role
 * {@code writer}, on the PostgreSQL that {@code --replica.jdbc-url} names. While it
 * leads, the task records its run in {@code RUNS} (replica, term, start, last accepted
 * write) and extends it every 50 ms, each write fenced by its term in the same
 * transaction. Markers on standard output: {@code RUNNING replica=<id> term=<n>},
 * {@code STOPPED replica=<id> term=<n>}, {@code FENCED replica=<id> term=<n>},
 * {@code GRANTED term=<n>}, {@code REVOKED term=<n> reason=<r>}.
 *
 * <p>
 * Scenario {@code job}: a {@code @Critical @Scheduled(fixedDelay = 100)} method with the
 * role instead, each run one row of {@code JOB_RUNS}.
 */
public final class ReplicaApplication {

    private ReplicaApplication() {
    }

    public static void main(String[] args) {
        Class<?> scenario = switch (args[0]) {
            case "writer" -> Writer.class;
            case "job" -> Job.class;
            default -> throw new IllegalArgumentException("Unknown scenario " + args[0]);
        };
        ChildApplication.run(scenario, false, Arrays.copyOfRange(args, 1, args.length));
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ CriticalTaskLeadershipAutoConfiguration.class, CriticalTaskAutoConfiguration.class,
            CriticalJobAutoConfiguration.class })
    @Import(ChildApplication.Markers.class)
    static class Common {

        /**
         * The pool: short connection waits, so that a cut-off replica's calls fail fast.
         */
        @Bean
        HikariDataSource dataSource(@Value("${replica.jdbc-url}") String url) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setMaximumPoolSize(4);
            config.setConnectionTimeout(2000);
            return new HikariDataSource(config);
        }

        @EventListener
        void granted(CriticalTaskLeadershipGrantedEvent event) {
            System.out.println("GRANTED term=" + event.getTerm().term());
        }

        @EventListener
        void revoked(CriticalTaskLeadershipRevokedEvent event) {
            System.out.println("REVOKED term=" + event.getTerm() + " reason=" + event.getReason());
        }

    }

    @Configuration(proxyBeanMethods = false)
    @Import(Common.class)
    static class Writer {

        @Bean
        SupervisedTask writer(DataSource dataSource, @Value("${replica}") String replica) {
            return (context) -> {
                LeadershipTerm term = context.leadership().orElseThrow();
                long run;
                try {
                    run = fenced(dataSource, term, -1, replica);
                }
                catch (SQLException ex) {
                    System.out.println("WRITE FAILED replica=" + replica + " " + ex.getClass().getName());
                    run = -1;
                }
                if (run < 0) {
                    System.out.println("FENCED replica=" + replica + " term=" + term.term());
                    context.cancellation().await();
                    return;
                }
                System.out.println("RUNNING replica=" + replica + " term=" + term.term());
                while (!context.cancellation().await(Duration.ofMillis(50))) {
                    try {
                        if (fenced(dataSource, term, run, replica) < 0) {
                            System.out.println("FENCED replica=" + replica + " term=" + term.term());
                            context.cancellation().await();
                            break;
                        }
                    }
                    catch (SQLException ex) {
                        // cut off from the database: the lease guard stops this task
                        System.out.println("WRITE FAILED replica=" + replica + " " + ex.getClass().getName());
                    }
                }
                System.out.println("STOPPED replica=" + replica + " term=" + term.term() + " reason="
                        + context.cancellation().reason().map(Throwable::getMessage).orElse("none"));
            };
        }

        /**
         * One fenced write: the term checked in the write's own transaction. Inserts the
         * run when {@code run} is -1, else extends it.
         * @return the run's id, or -1 when the term is stale
         */
        private static long fenced(DataSource dataSource, LeadershipTerm term, long run, String replica)
                throws SQLException {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try (PreparedStatement check = connection
                    .prepareStatement("SELECT TERM FROM CRITICAL_TASK_LEADER_TERM WHERE ROLE = ? FOR SHARE")) {
                    check.setString(1, term.role());
                    try (ResultSet row = check.executeQuery()) {
                        if (!row.next() || row.getLong(1) != term.term()) {
                            connection.rollback();
                            return -1;
                        }
                    }
                }
                long id = run;
                if (run < 0) {
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO RUNS (REPLICA, TERM, "
                            + "STARTED_AT, LAST_WRITE) VALUES (?, ?, clock_timestamp(), clock_timestamp()) RETURNING ID")) {
                        insert.setString(1, replica);
                        insert.setLong(2, term.term());
                        try (ResultSet row = insert.executeQuery()) {
                            row.next();
                            id = row.getLong(1);
                        }
                    }
                }
                else {
                    try (PreparedStatement extend = connection
                        .prepareStatement("UPDATE RUNS SET LAST_WRITE = clock_timestamp() WHERE ID = ?")) {
                        extend.setLong(1, run);
                        extend.executeUpdate();
                    }
                }
                connection.commit();
                return id;
            }
        }

    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    @Import(Common.class)
    static class Job {

        @Bean
        Refresher refresher(DataSource dataSource, @Value("${replica}") String replica) {
            return new Refresher(dataSource, replica);
        }

    }

    /** A scheduled job that records each run. */
    public static class Refresher {

        private final DataSource dataSource;

        private final String replica;

        Refresher(DataSource dataSource, String replica) {
            this.dataSource = dataSource;
            this.replica = replica;
        }

        @Critical
        @Scheduled(fixedDelay = 100)
        public void refresh() throws SQLException, InterruptedException {
            try (Connection connection = this.dataSource.getConnection();
                    PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO JOB_RUNS (REPLICA, STARTED_AT, ENDED_AT) VALUES (?, clock_timestamp(), NULL) "
                                    + "RETURNING ID")) {
                insert.setString(1, this.replica);
                long id;
                try (ResultSet row = insert.executeQuery()) {
                    row.next();
                    id = row.getLong(1);
                }
                Thread.sleep(20); // the run's work
                try (PreparedStatement end = connection
                    .prepareStatement("UPDATE JOB_RUNS SET ENDED_AT = clock_timestamp() WHERE ID = ?")) {
                    end.setLong(1, id);
                    end.executeUpdate();
                }
            }
        }

    }

}
