package io.heraldmq.connect.syslog;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Rfc5424TimestampTest {
    @Test
    void agreesWithJavaTimeOnTheRfcsShapes() {
        List<String> cases = List.of("2026-12-07T05:00:00Z", "2026-12-07T05:00:00.1Z", "2026-12-07T05:00:00.123456Z",
                "2026-12-07T05:00:00+01:00", "2026-12-07T05:00:00.003-07:30", "2024-02-29T23:59:59Z",
                "2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-04-31T00:00:00Z", "2026-12-07T24:00:00Z",
                "2026-12-07T05:60:00Z", "2026-12-07 05:00:00Z", "2026-12-07T05:00:00", "2026-12-07T05:00:00+1:00",
 "x026-12-07T05:00:00Z", "2026-12-07T05:00:00+24:00",
                "1900-02-29T00:00:00Z", "2000-02-29T00:00:00Z");
        for (String c : cases) {
            assertEquals(javaTime(c), Rfc5424Timestamp.isValid(c), c);
        }
    }

    @Test
    void followsTheRfcWhereJavaTimeIsLaxer() {
        assertFalse(Rfc5424Timestamp.isValid("2026-12-07T05:00:00.1234567Z"), "at most 6 fraction digits");
        assertFalse(Rfc5424Timestamp.isValid("2026-12-07T05:00:00.Z"), "at least 1 fraction digit after the dot");
        assertFalse(Rfc5424Timestamp.isValid("2026-12-07T05:00Z"), "seconds are not optional");
        assertFalse(Rfc5424Timestamp.isValid("2026-12-07t05:00:00z"), "upper-case T and Z");
        assertFalse(Rfc5424Timestamp.isValid("2026-12-07T05:00:00+01:00:30"), "no seconds in the offset");
        assertTrue(Rfc5424Timestamp.isValid("2016-12-31T23:59:60Z"), "a leap second");
    }

    private static boolean javaTime(String s) {
        try {
            OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
