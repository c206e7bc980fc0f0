package io.heraldmq.connect.jdbc;

import jakarta.jms.JMSException;
import jakarta.jms.Message;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code columns} option: {@code COLUMN=FIELD[,COLUMN=FIELD...]}, e.g.
 * {@code ts=JMSTimestamp,host=host,severity=severity,line=body}. A column is a plain SQL name ({@link SqlName}), each
 * at most once; a field is {@code body}, a JMS header or a property ({@link MessageField}). Spaces around names are
 * ignored.
 */
record ColumnMapping(List<Column> columns) {
    record Column(String name, MessageField field) {
    }

    ColumnMapping {
        columns = List.copyOf(columns);
    }

    /** An Option parser. */
    static ColumnMapping parse(String text) {
        List<Column> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("not COLUMN=FIELD: " + pair.trim()
                        + " (FIELD is body, a JMS header or a property name)");
            }
            String column = SqlName.column(pair.substring(0, eq).trim());
            if (!seen.add(column.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("column " + column + " is mapped twice");
            }
            out.add(new Column(column, MessageField.parse(pair.substring(eq + 1).trim())));
        }
        return new ColumnMapping(out);
    }

    /** The column named {@code name} (as written, case ignored), or null. */
    Column column(String name) {
        for (Column c : columns) {
            if (c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }

    /** Each column's field value in {@code m}, in column order. */
    Object[] read(Message m) throws JMSException, UnmappableMessageException {
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = columns.get(i).field().read(m);
        }
        return values;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Column c : columns) {
            b.append(b.length() == 0 ? "" : ",").append(c.name()).append('=').append(c.field());
        }
        return b.toString();
    }
}
