package io.heraldmq.connect.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The table a sink writes, as the database describes it: checked against the column mapping (created first, with
 * text columns, if absent and {@code create.table} is set), each mapped column's {@link ColumnType}, and the
 * statement that writes one row.
 * <p>
 * With a {@code dedup.column} the statement skips a row whose value in that column is already there: PostgreSQL's
 * {@code INSERT ... ON CONFLICT (col) DO NOTHING}, H2's standard {@code MERGE ... WHEN NOT MATCHED THEN INSERT}. Both
 * need a unique index (or constraint, or primary key) on that column alone, checked here; other databases are
 * refused with a dedup column.
 */
final class SinkTable {
    /** What the SQL differs in between the databases the sink knows. */
    enum Dialect {
        POSTGRESQL("text"), H2("CHARACTER VARYING"), OTHER("VARCHAR(4000)");

        /** The column type of a created table: text of any length where the database has one. */
        final String textType;

        Dialect(String textType) {
            this.textType = textType;
        }

        static Dialect of(String productName) {
            return switch (productName) {
                case "PostgreSQL" -> POSTGRESQL;
                case "H2" -> H2;
                default -> OTHER;
            };
        }
    }

    private final SqlName table;
    private final ColumnType[] types;
    private final String insertSql;

    private SinkTable(SqlName table, ColumnType[] types, String insertSql) {
        this.table = table;
        this.types = types;
        this.insertSql = insertSql;
    }

    /**
     * Describes {@code table} on {@code c}; throws an SQLException naming what is wrong (no such table, the missing
     * columns, no unique index for the dedup column) or what the database said.
     *
     * @param dedupColumn one of the mapping's columns, or null
     */
    static SinkTable describe(Connection c, SqlName table, ColumnMapping mapping, String dedupColumn,
                              boolean create) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        Dialect dialect = Dialect.of(md.getDatabaseProductName());
        if (dedupColumn != null && dialect == Dialect.OTHER) {
            throw new SQLException("dedup.column is supported on PostgreSQL and H2 only, not on "
                    + md.getDatabaseProductName());
        }
        boolean upper = md.storesUpperCaseIdentifiers();
        boolean lower = md.storesLowerCaseIdentifiers();
        String schema = table.schema() != null ? SqlName.folded(table.schema(), upper, lower) : c.getSchema();
        String name = SqlName.folded(table.name(), upper, lower);
        Map<String, ColumnType> columns = columns(md, schema, name);
        if (columns.isEmpty()) {
            if (!create) {
                throw new SQLException("table " + table + " does not exist (schema " + schema
                        + "); create it, or set create.table = true");
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate(createSql(table, mapping, dedupColumn, dialect));
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
            columns = columns(md, schema, name);
        }
        List<String> missing = new ArrayList<>();
        ColumnType[] types = new ColumnType[mapping.columns().size()];
        for (int i = 0; i < types.length; i++) {
            String column = mapping.columns().get(i).name();
            types[i] = columns.get(column.toLowerCase(Locale.ROOT));
            if (types[i] == null) {
                missing.add(column);
            }
        }
        if (!missing.isEmpty()) {
            throw new SQLException("table " + table + " has no column " + String.join(", ", missing)
                    + " (it has " + String.join(", ", columns.keySet()) + ")");
        }
        if (dedupColumn != null && !hasUniqueIndexOn(md, schema, name, dedupColumn)) {
            throw new SQLException("dedup.column " + dedupColumn + " needs a unique index of its own on table "
                    + table + " (e.g. CREATE UNIQUE INDEX ON " + table + " (" + dedupColumn + "))");
        }
        return new SinkTable(table, types, insertSql(table, mapping, dedupColumn, dialect));
    }

    /** Column name (lower case) to type, in table order; empty if the table does not exist. */
    private static Map<String, ColumnType> columns(DatabaseMetaData md, String schema, String name)
            throws SQLException {
        Map<String, ColumnType> out = new LinkedHashMap<>();
        // getColumns takes LIKE patterns, in which _ matches any character: keep exact matches only
        try (ResultSet rs = md.getColumns(null, schema, name, null)) {
            while (rs.next()) {
                if (name.equals(rs.getString("TABLE_NAME"))
                        && (schema == null || schema.equals(rs.getString("TABLE_SCHEM")))) {
                    out.put(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT),
                            ColumnType.of(rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME")));
                }
            }
        }
        return out;
    }

    private static boolean hasUniqueIndexOn(DatabaseMetaData md, String schema, String name, String column)
            throws SQLException {
        Map<String, List<String>> indexes = new HashMap<>();
        try (ResultSet rs = md.getIndexInfo(null, schema, name, true, false)) {
            while (rs.next()) {
                String index = rs.getString("INDEX_NAME");
                String indexed = rs.getString("COLUMN_NAME");
                if (index != null && indexed != null && !rs.getBoolean("NON_UNIQUE")) {
                    indexes.computeIfAbsent(index, k -> new ArrayList<>()).add(indexed);
                }
            }
        }
        return indexes.values().stream().anyMatch(cols -> cols.size() == 1 && cols.get(0).equalsIgnoreCase(column));
    }

    static String createSql(SqlName table, ColumnMapping mapping, String dedupColumn, Dialect dialect) {
        StringJoiner columns = new StringJoiner(", ", "CREATE TABLE " + table + " (", ")");
        for (ColumnMapping.Column c : mapping.columns()) {
            columns.add(c.name() + " " + dialect.textType + (c.name().equalsIgnoreCase(dedupColumn) ? " UNIQUE" : ""));
        }
        return columns.toString();
    }

    static String insertSql(SqlName table, ColumnMapping mapping, String dedupColumn, Dialect dialect) {
        StringJoiner names = new StringJoiner(", ", "(", ")");
        StringJoiner params = new StringJoiner(", ", "(", ")");
        StringJoiner sourceNames = new StringJoiner(", ", "(", ")");
        for (ColumnMapping.Column c : mapping.columns()) {
            names.add(c.name());
            params.add("?");
            sourceNames.add("s." + c.name());
        }
        if (dedupColumn == null) {
            return "INSERT INTO " + table + " " + names + " VALUES " + params;
        }
        if (dialect == Dialect.POSTGRESQL) {
            return "INSERT INTO " + table + " " + names + " VALUES " + params + " ON CONFLICT (" + dedupColumn
                    + ") DO NOTHING";
        }
        return "MERGE INTO " + table + " t USING (VALUES " + params + ") AS s " + names + " ON t." + dedupColumn
                + " = s." + dedupColumn + " WHEN NOT MATCHED THEN INSERT " + names + " VALUES " + sourceNames;
    }

    SqlName name() {
        return table;
    }

    /** The type of each mapped column, in mapping order. */
    ColumnType type(int column) {
        return types[column];
    }

    String insertSql() {
        return insertSql;
    }
}
