package io.heraldmq.connect.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A database server the sink tests write into, reached over TCP like a real one (so the connector in a process of
 * its own reaches it too, and an outage is a stopped server): {@link H2TcpServer} or {@link PostgresProcess}.
 */
interface TestDatabase extends AutoCloseable {
    String url();

    String user();

    String password();

    /** Stops the server: every connection breaks, new ones are refused. */
    void stop() throws Exception;

    /** Starts it again on the same port and data. */
    void start() throws Exception;

    /** {@code h2} or {@code postgresql}; for PostgreSQL, skips the test (with the reason) if it cannot run here. */
    static TestDatabase open(String kind) throws Exception {
        if (kind.equals("h2")) {
            return H2TcpServer.launch();
        }
        String unavailable = PostgresProcess.unavailable();
        assumeTrue(unavailable == null, unavailable);
        return new PostgresDatabase(PostgresProcess.launch());
    }

    default Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), password());
    }

    default void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    default long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The first column of every row of {@code sql}, as longs. */
    default List<Long> longs(String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    /** {@link PostgresProcess} as a TestDatabase. */
    record PostgresDatabase(PostgresProcess process) implements TestDatabase {
        @Override
        public String url() {
            return process.url();
        }

        @Override
        public String user() {
            return PostgresProcess.USER;
        }

        @Override
        public String password() {
            return PostgresProcess.PASSWORD;
        }

        @Override
        public void stop() throws Exception {
            process.stop();
        }

        @Override
        public void start() throws Exception {
            process.start();
        }

        @Override
        public void close() throws Exception {
            process.close();
        }
    }
}
