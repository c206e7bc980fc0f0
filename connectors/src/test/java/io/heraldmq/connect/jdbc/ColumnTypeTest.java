package io.heraldmq.connect.jdbc;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColumnTypeTest {
    private static final Instant T = Instant.parse("2024-05-01T12:00:00.123Z");

    @Test
    void typesAreKnownByJdbcTypeAndByName() {
        assertEquals(ColumnType.TEXT, ColumnType.of(Types.VARCHAR, "text"));
        assertEquals(ColumnType.INTEGER, ColumnType.of(Types.BIGINT, "int8"));
        assertEquals(ColumnType.BOOLEAN, ColumnType.of(Types.BIT, "bool")); // PostgreSQL's driver
        assertEquals(ColumnType.TIMESTAMP_TZ, ColumnType.of(Types.TIMESTAMP, "timestamptz")); // likewise
        assertEquals(ColumnType.TIMESTAMP, ColumnType.of(Types.TIMESTAMP, "timestamp"));
        assertEquals(ColumnType.TIMESTAMP_TZ, ColumnType.of(Types.TIMESTAMP_WITH_TIMEZONE, "TIMESTAMP WITH TIME ZONE"));
        assertEquals(ColumnType.OTHER, ColumnType.of(Types.BINARY, "UUID")); // H2's
        assertEquals(ColumnType.OTHER, ColumnType.of(Types.OTHER, "jsonb"));
    }

    @Test
    void valuesConvertToTheColumnsType() throws Exception {
        assertEquals("2024-05-01T12:00:00.123Z", ColumnType.TEXT.convert(T));
        assertEquals("ü", ColumnType.TEXT.convert("ü".getBytes(StandardCharsets.UTF_8)));
        assertEquals("7", ColumnType.TEXT.convert(7));
        assertEquals(7L, ColumnType.INTEGER.convert(7));
        assertEquals(42L, ColumnType.INTEGER.convert(" 42 "));
        assertEquals(T.toEpochMilli(), ColumnType.INTEGER.convert(T));
        assertEquals(new BigDecimal("1.5"), ColumnType.DECIMAL.convert("1.5"));
        assertEquals(0.25, ColumnType.FLOAT.convert(0.25f));
        assertEquals(true, ColumnType.BOOLEAN.convert("TRUE"));
        assertEquals(T.atOffset(ZoneOffset.UTC), ColumnType.TIMESTAMP_TZ.convert(T));
        assertEquals(T.atOffset(ZoneOffset.UTC), ColumnType.TIMESTAMP_TZ.convert("2024-05-01T14:00:00.123+02:00"));
        assertEquals(T.atOffset(ZoneOffset.UTC), ColumnType.TIMESTAMP_TZ.convert(T.toEpochMilli()));
        assertEquals(LocalDateTime.of(2024, 5, 1, 12, 0, 0, 123_000_000), ColumnType.TIMESTAMP.convert(T));
        assertArrayEquals("ü".getBytes(StandardCharsets.UTF_8), (byte[]) ColumnType.BINARY.convert("ü"));
        assertEquals("{\"a\":1}", ColumnType.OTHER.convert("{\"a\":1}"));
        for (ColumnType t : ColumnType.values()) {
            assertNull(t.convert(null));
        }
        assertEquals(OffsetDateTime.class, ColumnType.TIMESTAMP_TZ.convert(T).getClass());
    }

    @Test
    void aValueThatDoesNotConvertSaysWhatWasExpected() {
        assertTrue(refusal(ColumnType.INTEGER, "high").contains("not an integer: 'high'"));
        assertTrue(refusal(ColumnType.INTEGER, 1.5).contains("not an integer: '1.5'"));
        assertTrue(refusal(ColumnType.INTEGER, true).contains("not an integer"));
        assertTrue(refusal(ColumnType.DECIMAL, "1,5").contains("not a number: '1,5'"));
        assertTrue(refusal(ColumnType.BOOLEAN, "yes").contains("not true or false: 'yes'"));
        assertTrue(refusal(ColumnType.TIMESTAMP_TZ, "May 1 12:00:00").contains("not a time"));
        assertTrue(refusal(ColumnType.INTEGER, "x".repeat(500)).endsWith("...'"));
    }

    private static String refusal(ColumnType type, Object value) {
        return assertThrows(UnmappableMessageException.class, () -> type.convert(value)).getMessage();
    }
}
