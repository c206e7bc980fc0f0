package io.heraldmq.connect.jdbc;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * How a field's value goes into a column, by the column's JDBC type: {@link #convert} makes the value the column
 * takes (or throws {@link UnmappableMessageException} saying why it cannot), {@link #bind} sets it. Null stays null.
 * <ul>
 * <li>{@link #TEXT}: strings as they are; an instant (JMSTimestamp ...) as ISO-8601 UTC
 * ({@code 2024-05-01T12:00:00.123Z}); bytes decoded as UTF-8; anything else by {@code toString()}.</li>
 * <li>{@link #INTEGER}: integral numbers; a string of digits; an instant as epoch milliseconds.</li>
 * <li>{@link #DECIMAL}, {@link #FLOAT}: any number, or a string that parses as one.</li>
 * <li>{@link #BOOLEAN}: a boolean, or the string {@code true} or {@code false} (any case).</li>
 * <li>{@link #TIMESTAMP} (a UTC wall-clock time), {@link #TIMESTAMP_TZ}: an instant; a number as epoch
 * milliseconds; an ISO-8601 string with an offset ({@code 2024-05-01T12:00:00+02:00}, as the syslog source's
 * {@code timestamp} property is) or a string of digits as epoch milliseconds.</li>
 * <li>{@link #BINARY}: bytes; a string encoded as UTF-8.</li>
 * <li>{@link #OTHER} (e.g. PostgreSQL's jsonb, uuid, inet): the value as text, typed as unspecified for the
 * database to cast.</li>
 * </ul>
 */
enum ColumnType {
    TEXT, INTEGER, DECIMAL, FLOAT, BOOLEAN, TIMESTAMP, TIMESTAMP_TZ, BINARY, OTHER;

    /**
     * @param sqlType  {@code java.sql.Types} as {@code DatabaseMetaData.getColumns} reports it
     * @param typeName the database's name for it (PostgreSQL's driver reports timestamptz as a plain TIMESTAMP)
     */
    static ColumnType of(int sqlType, String typeName) {
        String lower = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        if (lower.equals("uuid")) {
            return OTHER; // H2 reports its UUID as BINARY, but it takes the text form
        }
        return switch (sqlType) {
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                    Types.CLOB, Types.NCLOB -> TEXT;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> INTEGER;
            case Types.NUMERIC, Types.DECIMAL -> DECIMAL;
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> FLOAT;
            case Types.BOOLEAN, Types.BIT -> BOOLEAN;
            case Types.TIMESTAMP_WITH_TIMEZONE -> TIMESTAMP_TZ;
            case Types.TIMESTAMP -> lower.contains("tz") || lower.contains("time zone") ? TIMESTAMP_TZ : TIMESTAMP;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> BINARY;
            default -> OTHER;
        };
    }

    /** The value to bind for {@code value} (a field's value, see {@link MessageField}). */
    Object convert(Object value) throws UnmappableMessageException {
        if (value == null) {
            return null;
        }
        try {
            return switch (this) {
                case TEXT, OTHER -> text(value);
                case INTEGER -> integer(value);
                case DECIMAL -> decimal(value);
                case FLOAT -> decimal(value).doubleValue();
                case BOOLEAN -> bool(value);
                case TIMESTAMP -> instant(value).atOffset(ZoneOffset.UTC).toLocalDateTime();
                case TIMESTAMP_TZ -> instant(value).atOffset(ZoneOffset.UTC);
                case BINARY -> value instanceof byte[] b ? b : text(value).getBytes(StandardCharsets.UTF_8);
            };
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            throw new UnmappableMessageException("not " + description() + ": " + excerpt(value));
        }
    }

    /** Sets parameter {@code index} to a value {@link #convert} made. */
    void bind(PreparedStatement ps, int index, Object converted) throws SQLException {
        if (converted == null) {
            ps.setNull(index, this == OTHER ? Types.OTHER : Types.NULL);
            return;
        }
        switch (this) {
            case TEXT -> ps.setString(index, (String) converted);
            case INTEGER -> ps.setLong(index, (Long) converted);
            case DECIMAL -> ps.setBigDecimal(index, (BigDecimal) converted);
            case FLOAT -> ps.setDouble(index, (Double) converted);
            case BOOLEAN -> ps.setBoolean(index, (Boolean) converted);
            case TIMESTAMP, TIMESTAMP_TZ -> ps.setObject(index, converted);
            case BINARY -> ps.setBytes(index, (byte[]) converted);
            case OTHER -> ps.setObject(index, converted, Types.OTHER);
        }
    }

    private static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return value.toString(); // Instant.toString() is ISO-8601 UTC
    }

    private static long integer(Object value) throws UnmappableMessageException {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Instant i) {
            return i.toEpochMilli();
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString()).longValueExact();
        }
        if (value instanceof String s) {
            return Long.parseLong(s.trim());
        }
        throw new UnmappableMessageException("not an integer: " + excerpt(value));
    }

    private static BigDecimal decimal(Object value) throws UnmappableMessageException {
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        if (value instanceof String s) {
            return new BigDecimal(s.trim());
        }
        throw new UnmappableMessageException("not a number: " + excerpt(value));
    }

    private static boolean bool(Object value) throws UnmappableMessageException {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "true":
                    return true;
                case "false":
                    return false;
                default:
                    break;
            }
        }
        throw new UnmappableMessageException("not true or false: " + excerpt(value));
    }

    private static Instant instant(Object value) throws UnmappableMessageException {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof Long || value instanceof Integer) {
            return Instant.ofEpochMilli(((Number) value).longValue());
        }
        if (value instanceof String s) {
            String t = s.trim();
            if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochMilli(Long.parseLong(t));
            }
            return OffsetDateTime.parse(t).toInstant();
        }
        throw new UnmappableMessageException("not a time: " + excerpt(value));
    }

    private String description() {
        return switch (this) {
            case INTEGER -> "an integer";
            case DECIMAL, FLOAT -> "a number";
            case BOOLEAN -> "true or false";
            case TIMESTAMP, TIMESTAMP_TZ -> "a time (epoch milliseconds or ISO-8601 with an offset)";
            default -> "convertible";
        };
    }

    /** A value for a log line: its first 100 characters. */
    static String excerpt(Object value) {
        String s = value instanceof byte[] b ? b.length + " bytes" : String.valueOf(value);
        return s.length() <= 100 ? "'" + s + "'" : "'" + s.substring(0, 100) + "...'";
    }
}
