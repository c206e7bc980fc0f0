package io.heraldmq.connect.jdbc;

import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SinkTableTest {
    private static final ColumnMapping MAPPING = ColumnMapping.parse("id=JMSMessageID,line=body");
    private static final SqlName TABLE = SqlName.table("app.logs");

    @Test
    void theRowStatementPerDatabaseAndDedup() {
        assertEquals("INSERT INTO app.logs (id, line) VALUES (?, ?)",
                SinkTable.insertSql(TABLE, MAPPING, null, SinkTable.Dialect.POSTGRESQL));
        assertEquals("INSERT INTO app.logs (id, line) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                SinkTable.insertSql(TABLE, MAPPING, "id", SinkTable.Dialect.POSTGRESQL));
        assertEquals("MERGE INTO app.logs t USING (VALUES (?, ?)) AS s (id, line) ON t.id = s.id "
                        + "WHEN NOT MATCHED THEN INSERT (id, line) VALUES (s.id, s.line)",
                SinkTable.insertSql(TABLE, MAPPING, "id", SinkTable.Dialect.H2));
    }

    @Test
    void aCreatedTableHasTextColumnsAndTheDedupColumnUnique() {
        assertEquals("CREATE TABLE app.logs (id text UNIQUE, line text)",
                SinkTable.createSql(TABLE, MAPPING, "id", SinkTable.Dialect.POSTGRESQL));
        assertEquals("CREATE TABLE app.logs (id CHARACTER VARYING, line CHARACTER VARYING)",
                SinkTable.createSql(TABLE, MAPPING, null, SinkTable.Dialect.H2));
    }

    @Test
    void onlyErrorsAboutARowsDataAreDataErrors() {
        assertTrue(TableWriter.isDataError(new SQLException("too long", "22001")));
        assertTrue(TableWriter.isDataError(new SQLException("not null", "23502")));
        assertFalse(TableWriter.isDataError(new SQLException("connection lost", "08006")));
        assertFalse(TableWriter.isDataError(new SQLException("no such table", "42P01")));
        assertFalse(TableWriter.isDataError(new SQLException("who knows")));
        BatchUpdateException batch = new BatchUpdateException("batch", "23505", new int[0]);
        batch.setNextException(new SQLException("unique", "23505"));
        assertTrue(TableWriter.isDataError(batch));
        batch.setNextException(new SQLException("shutting down", "57P01"));
        assertFalse(TableWriter.isDataError(batch));
    }
}
