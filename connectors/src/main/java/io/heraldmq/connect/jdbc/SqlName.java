package io.heraldmq.connect.jdbc;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A table or column name as written in a connectors file: a plain SQL identifier (ASCII letters, digits and
 * {@code _}, not starting with a digit), for a table optionally preceded by {@code SCHEMA.}. Names go into SQL
 * unquoted, so the database folds their case as it does for any unquoted name (PostgreSQL to lower, H2 to upper
 * case) and nothing in a connectors file can inject SQL.
 *
 * @param schema null for the connection's current schema
 */
record SqlName(String schema, String name) {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** An Option parser for a column name. */
    static String column(String text) {
        if (!IDENTIFIER.matcher(text).matches()) {
            throw new IllegalArgumentException("not a plain SQL name (letters, digits, _): " + text);
        }
        return text;
    }

    /** An Option parser for {@code NAME} or {@code SCHEMA.NAME}. */
    static SqlName table(String text) {
        int dot = text.indexOf('.');
        if (dot < 0) {
            return new SqlName(null, column(text));
        }
        return new SqlName(column(text.substring(0, dot)), column(text.substring(dot + 1)));
    }

    /** How the database stores an unquoted name: folded as {@code upper} or {@code lower} say, else as written. */
    static String folded(String name, boolean upper, boolean lower) {
        return upper ? name.toUpperCase(Locale.ROOT) : lower ? name.toLowerCase(Locale.ROOT) : name;
    }

    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
