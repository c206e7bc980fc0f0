package io.heraldmq.connect.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The sink's side of the database: one JDBC connection (the driver found by {@code jdbc.url}), opened on demand with
 * the table described ({@link SinkTable}) and the row statement prepared, and {@link #write} of a batch of rows in one
 * transaction.
 * <p>
 * Invariant: when {@link #write} returns, every row it did not report refused is committed in the database; when it
 * throws, nothing of the batch is (the transaction was rolled back, or its commit failed and it is unknown, which
 * the caller treats as not written: writing it again costs at most a duplicate batch). After a throw the connection
 * is closed and the next call reconnects and describes the table again.
 * <p>
 * A row is refused, and reported rather than retried, when its value does not convert to its column's type, or
 * when the database rejects its data: SQLState class 22 (data exception: too long, out of range, bad format) or
 * 23 (integrity constraint violation: not null, check, unique). A batch that fails that way is rolled back and
 * written again row by row, each under a savepoint, so the database names the rows it rejects and takes the
 * others. Any other error (connection lost, table renamed away, database shutting down) fails the whole batch.
 * Not thread-safe: the sink's worker thread only.
 */
final class TableWriter implements AutoCloseable {
    /** One message's values, in column order. */
    record Row(String messageId, Object[] values) {
    }

    /** A row the sink drops, and why. */
    record Refusal(Row row, String reason) {
    }

    private final String url;
    private final Properties credentials = new Properties();
    private final SqlName tableName;
    private final ColumnMapping mapping;
    private final String dedupColumn;
    private final boolean createTable;
    private Connection connection;
    private SinkTable table;
    private PreparedStatement insert;

    /**
     * @param user     null to let the URL or the driver decide
     * @param password null for none
     */
    TableWriter(String url, String user, String password, SqlName tableName, ColumnMapping mapping,
                String dedupColumn, boolean createTable) {
        this.url = url;
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        this.tableName = tableName;
        this.mapping = mapping;
        this.dedupColumn = dedupColumn;
        this.createTable = createTable;
    }

    /** Connects and checks the table, unless connected already; on failure leaves nothing open. */
    void open() throws SQLException {
        if (connection != null) {
            return;
        }
        Connection c = DriverManager.getConnection(url, credentials);
        try {
            c.setAutoCommit(false);
            SinkTable t = SinkTable.describe(c, tableName, mapping, dedupColumn, createTable);
            insert = c.prepareStatement(t.insertSql());
            table = t;
            connection = c;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /**
     * Writes {@code rows} in one transaction and commits it.
     *
     * @return the rows refused (not written); every other row is committed
     * @throws SQLException the batch is not written (see the class comment)
     */
    List<Refusal> write(List<Row> rows) throws SQLException {
        open();
        List<Refusal> refused = new ArrayList<>();
        List<Object[]> converted = new ArrayList<>(rows.size());
        List<Row> kept = new ArrayList<>(rows.size());
        for (Row r : rows) {
            try {
                converted.add(convert(r));
                kept.add(r);
            } catch (UnmappableMessageException e) {
                refused.add(new Refusal(r, e.getMessage()));
            }
        }
        try {
            if (!converted.isEmpty()) {
                for (Object[] values : converted) {
                    bind(values);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
            return refused;
        } catch (SQLException e) {
            rollbackQuietly();
            if (!isDataError(e)) {
                close();
                throw e;
            }
        }
        writeRowByRow(kept, converted, refused);
        return refused;
    }

    /** After a batch failed on a row's data: each row under a savepoint, the rejected ones reported. */
    private void writeRowByRow(List<Row> rows, List<Object[]> converted, List<Refusal> refused) throws SQLException {
        try {
            insert.clearBatch();
            for (int i = 0; i < rows.size(); i++) {
                Savepoint sp = connection.setSavepoint();
                try {
                    bind(converted.get(i));
                    insert.executeUpdate();
                    connection.releaseSavepoint(sp);
                } catch (SQLException e) {
                    if (!isDataError(e)) {
                        throw e;
                    }
                    connection.rollback(sp);
                    refused.add(new Refusal(rows.get(i), "the database refused it: " + e.getMessage()));
                }
            }
            connection.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            close();
            throw e;
        }
    }

    private Object[] convert(Row r) throws UnmappableMessageException {
        Object[] out = new Object[r.values().length];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = table.type(i).convert(r.values()[i]);
            } catch (UnmappableMessageException e) {
                throw new UnmappableMessageException("column " + mapping.columns().get(i).name() + " ("
                        + table.type(i).name().toLowerCase(Locale.ROOT) + ") from "
                        + mapping.columns().get(i).field() + ": " + e.getMessage());
            }
        }
        return out;
    }

    private void bind(Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            table.type(i).bind(insert, i + 1, values[i]);
        }
    }

    /**
     * Whether every error in the chain is about the data of a row (SQLState class 22 or 23), so that retrying the
     * same rows cannot help; a driver that reports a batch error once per row chains them.
     */
    static boolean isDataError(SQLException e) {
        int n = 0;
        for (SQLException x = e; x != null && n < 1000; x = x.getNextException(), n++) {
            String state = x.getSQLState();
            if (state == null || !(state.startsWith("22") || state.startsWith("23"))) {
                return false;
            }
        }
        return true;
    }

    private void rollbackQuietly() {
        try {
            if (connection != null) {
                connection.rollback();
            }
        } catch (SQLException | RuntimeException e) {
            // the connection is closed next, if it is broken
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            // gone already
        }
    }

    /** Closes the connection (rolling back what is not committed); the next write connects again. */
    @Override
    public void close() {
        Connection c = connection;
        connection = null;
        table = null;
        insert = null;
        if (c != null) {
            closeQuietly(c);
        }
    }
}
