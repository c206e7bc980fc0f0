package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ADMIN_RESULT: the answer to {@link Admin}, a small table of strings (the columns of each operation are listed in
 * {@link AdminOperation}). Body:
 * <pre>
 * int16  columnCount
 * columnCount times: string columnName
 * int32  rowCount
 * rowCount times, columnCount times: string value (may be null)
 * </pre>
 */
public record AdminResult(List<String> columns, List<List<String>> rows) {
    public AdminResult {
        columns = List.copyOf(columns);
        List<List<String>> copy = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("row has " + row.size() + " values for " + columns.size()
                        + " columns");
            }
            copy.add(java.util.Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = List.copyOf(copy);
    }

    /** A result without rows. */
    public static AdminResult empty() {
        return new AdminResult(List.of(), List.of());
    }

    /** Starts a table with these columns; add rows with {@link #row}. */
    public static AdminResult of(String... columns) {
        return new AdminResult(Arrays.asList(columns), List.of());
    }

    /** A copy with one more row. */
    public AdminResult row(Object... values) {
        List<String> row = new ArrayList<>(values.length);
        for (Object v : values) {
            row.add(v == null ? null : String.valueOf(v));
        }
        List<List<String>> more = new ArrayList<>(rows);
        more.add(row);
        return new AdminResult(columns, more);
    }

    /** The value of {@code column} in row {@code row}. */
    public String get(int row, String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + columns);
        }
        return rows.get(row).get(i);
    }

    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.ADMIN_RESULT, correlationId, 64 + rows.size() * columns.size() * 16);
        b.appendShort((short) columns.size());
        for (String c : columns) {
            Wire.writeString(b, c);
        }
        b.appendInt(rows.size());
        for (List<String> row : rows) {
            for (String v : row) {
                Wire.writeString(b, v);
            }
        }
        return Frame.finish(b);
    }

    public static AdminResult decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        short columnCount = c.readShort();
        if (columnCount < 0) {
            throw new ProtocolException("negative ADMIN_RESULT column count " + columnCount);
        }
        List<String> columns = new ArrayList<>(columnCount);
        for (int i = 0; i < columnCount; i++) {
            columns.add(c.readString());
        }
        int rowCount = c.readInt();
        // Every value takes at least 2 bytes, so a count beyond that is a lie, not a reason to allocate.
        if (rowCount < 0 || (columnCount > 0 && (long) rowCount * columnCount * 2 > c.remaining())) {
            throw new ProtocolException("bad ADMIN_RESULT row count " + rowCount);
        }
        List<List<String>> rows = new ArrayList<>(rowCount);
        for (int r = 0; r < rowCount; r++) {
            List<String> row = new ArrayList<>(columnCount);
            for (int i = 0; i < columnCount; i++) {
                row.add(c.readString());
            }
            rows.add(row);
        }
        c.expectEnd();
        return new AdminResult(columns, rows);
    }
}
