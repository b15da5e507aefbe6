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

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import javax.sql.DataSource;

import dev.criticaltask.LeadershipTerm;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.integration.util.UUIDConverter;

/**
 * Fencing terms from the database that holds Spring Integration's {@code INT_LOCK}: one
 * row per role in {@value #TABLE}, incremented on each grant only while the grantee's
 * lock row is still its own and unexpired, in one transaction that holds that lock row
 * ({@code SELECT ... FOR UPDATE}). A competitor's take-over {@code UPDATE} of the lock
 * row waits for that commit, so its increment comes later and its term is larger: terms
 * grow strictly with every grant, across replicas ({@link LeadershipTerm#isFencing()} is
 * true).
 *
 * <p>
 * A task fences a write to the same database by checking its term in the write's own
 * transaction:
 * {@code SELECT TERM FROM CRITICAL_TASK_LEADER_TERM WHERE ROLE = ? FOR SHARE} equal to
 * its term, then the write. A successor's increment waits for that transaction, and after
 * it the stale leader's check fails. Thread-safe.
 */
public final class JdbcLeadershipTerms implements LeadershipTerms {

    /** The table of terms. */
    public static final String TABLE = "CRITICAL_TASK_LEADER_TERM";

    /** The schema script of {@value #TABLE} (and of Spring Integration's lock table). */
    public static final String SCHEMA = "dev/criticaltask/spring/leadership/schema.sql";

    private static final Set<String> EMBEDDED = Set.of("h2", "hsql database engine", "apache derby");

    private final DataSource dataSource;

    private final String lockTable;

    private final String region;

    private final String clientId;

    /**
     * Terms for the locks of one {@code DefaultLockRepository}.
     * @param dataSource the repository's data source
     * @param tablePrefix the repository's table prefix ({@code INT_} by default)
     * @param region the repository's region
     * @param clientId the repository's id, a UUID
     */
    public JdbcLeadershipTerms(DataSource dataSource, String tablePrefix, String region, String clientId) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
        this.lockTable = tablePrefix + "LOCK";
        this.region = region;
        this.clientId = UUIDConverter.getUUID(clientId).toString();
    }

    @Override
    public LeadershipTerm next(String role) {
        Instant now = Clock.systemUTC().instant();
        Timestamp nowUtc = Timestamp.valueOf(LocalDateTime.ofInstant(now, ZoneOffset.UTC));
        try (Connection connection = this.dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                long term = next(connection, role, nowUtc);
                connection.commit();
                return new LeadershipTerm(role, term, now, true);
            }
            catch (SQLException | RuntimeException ex) {
                connection.rollback();
                throw ex;
            }
            finally {
                connection.setAutoCommit(autoCommit);
            }
        }
        catch (SQLException ex) {
            throw new DataAccessResourceFailureException("Could not take the next leadership term of role '" + role
                    + "' from " + TABLE + ": " + ex.getClass().getName(), ex);
        }
    }

    private long next(Connection connection, String role, Timestamp nowUtc) throws SQLException {
        try (PreparedStatement held = connection.prepareStatement("SELECT 1 FROM " + this.lockTable
                + " WHERE REGION = ? AND LOCK_KEY = ? AND CLIENT_ID = ? AND EXPIRED_AFTER >= ? FOR UPDATE")) {
            held.setString(1, this.region);
            held.setString(2, UUIDConverter.getUUID(role).toString());
            held.setString(3, this.clientId);
            held.setTimestamp(4, nowUtc);
            try (ResultSet row = held.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("This instance no longer holds the lock of role '" + role
                            + "': no term is given, and the grant is refused");
                }
            }
        }
        int updated;
        try (PreparedStatement increment = connection
            .prepareStatement("UPDATE " + TABLE + " SET TERM = TERM + 1, HOLDER = ?, GRANTED_AT = ? WHERE ROLE = ?")) {
            increment.setString(1, this.clientId);
            increment.setTimestamp(2, nowUtc);
            increment.setString(3, role);
            updated = increment.executeUpdate();
        }
        if (updated == 0) {
            try (PreparedStatement first = connection
                .prepareStatement("INSERT INTO " + TABLE + " (ROLE, TERM, HOLDER, GRANTED_AT) VALUES (?, 1, ?, ?)")) {
                first.setString(1, role);
                first.setString(2, this.clientId);
                first.setTimestamp(3, nowUtc);
                first.executeUpdate();
            }
        }
        try (PreparedStatement read = connection.prepareStatement("SELECT TERM FROM " + TABLE + " WHERE ROLE = ?")) {
            read.setString(1, role);
            try (ResultSet row = read.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /**
     * Runs {@link #SCHEMA}: creates {@value #TABLE} and Spring Integration's lock table
     * where they are missing.
     * @param dataSource where
     * @param tablePrefix Spring Integration's table prefix
     * @param onlyIfEmbedded whether to do it only for an embedded database (H2, HSQLDB,
     * Derby), as Boot's own initializers do by default
     * @return whether the script ran
     */
    public static boolean initializeSchema(DataSource dataSource, String tablePrefix, boolean onlyIfEmbedded) {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (onlyIfEmbedded && !EMBEDDED.contains(product)) {
                return false;
            }
            String script;
            try (var in = JdbcLeadershipTerms.class.getClassLoader().getResourceAsStream(SCHEMA)) {
                script = new String(Objects.requireNonNull(in, SCHEMA).readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8);
            }
            try (Statement statement = connection.createStatement()) {
                for (String sql : script.replace("INT_", tablePrefix).split(";")) {
                    if (!sql.isBlank()) {
                        statement.execute(sql);
                    }
                }
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            return true;
        }
        catch (SQLException | java.io.IOException ex) {
            throw new DataAccessResourceFailureException("Could not create " + TABLE + ": " + ex.getMessage(), ex);
        }
    }

}
