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

package dev.criticaltask.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real PostgreSQL server that {@code .ci/postgres} starts, for the tests of
 * leadership. Its JDBC URL (with user and password) is in {@value #URL_VARIABLE}. Without
 * it a test fails when {@value #REQUIRE_VARIABLE} is {@code true} or {@code CI} is set
 * (so that CI never skips it silently), and is aborted (reported as skipped) on a
 * developer's machine, with the command that sets it.
 */
public final class Postgres {

    /** The variable holding the JDBC URL. */
    public static final String URL_VARIABLE = "CRITICAL_TASK_TEST_JDBC_URL";

    /** The variable that makes a missing server a failure. */
    public static final String REQUIRE_VARIABLE = "CRITICAL_TASK_REQUIRE_POSTGRES";

    private static final String HINT = "export " + URL_VARIABLE + "=\"$(sudo bash .ci/postgres)\" (.ci/run does it)";

    private static final Pattern DATABASE = Pattern.compile("^(jdbc:postgresql://[^/]+/)([^?]*)(.*)$");

    private Postgres() {
    }

    /**
     * The server's URL, or the test is failed or aborted (see the class comment).
     * @return the JDBC URL, with user and password
     */
    public static String url() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            boolean required = "true".equalsIgnoreCase(System.getenv(REQUIRE_VARIABLE)) || System.getenv("CI") != null;
            String message = "No PostgreSQL for this test: " + URL_VARIABLE + " is not set; " + HINT;
            if (required) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        return url;
    }

    /**
     * Creates a database of its own for one test, so that tests share no lock rows.
     * @return its JDBC URL, with user and password
     * @throws SQLException when the server is unreachable (a failure, never a skip)
     */
    public static String createDatabase() throws SQLException {
        String url = url();
        String name = "ct_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        Matcher matcher = DATABASE.matcher(url);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(URL_VARIABLE + " is not a jdbc:postgresql://host:port/database URL");
        }
        return matcher.group(1) + name + matcher.group(3);
    }

    /**
     * Runs statements on a database.
     * @param url the database's JDBC URL
     * @param sql the statements, one each
     * @throws SQLException when one fails
     */
    public static void execute(String url, String... sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

}
