package io.heraldmq.connect.syslog;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyslogParserTest {
    private final SyslogParser parser = new SyslogParser(
            Clock.fixed(Instant.parse("2026-03-10T12:00:00Z"), ZoneOffset.UTC), ZoneId.of("UTC"));

    @Test
    void rfc5424WithStructuredData() {
        // RFC 5424 section 6.5, example 3, with an escaped quote and bracket added
        SyslogMessage m = parser.parse("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
                + "[exampleSDID@32473 iut=\"3\" eventSource=\"Appl\\\"ic\\]ation\"][examplePriority@32473 class=\"high\"]"
                + " \uFEFFAn application event log entry...");
        assertEquals("rfc5424", m.protocol());
        assertEquals(20, m.facility());
        assertEquals(5, m.severity());
        assertEquals("2003-10-11T22:14:15.003Z", m.timestamp());
        assertEquals("mymachine.example.com", m.host());
        assertEquals("evntslog", m.app());
        assertNull(m.procid());
        assertEquals("ID47", m.msgid());
        assertTrue(m.structuredData().startsWith("[exampleSDID@32473 iut=\"3\""));
        assertEquals(Map.of("sd_exampleSDID_32473_iut", "3", "sd_exampleSDID_32473_eventSource", "Appl\"ic]ation",
                "sd_examplePriority_32473_class", "high"), m.sdParams());
        assertEquals("An application event log entry...", m.message());
    }

    @Test
    void rfc5424WithNilFieldsAndNoMessage() {
        SyslogMessage m = parser.parse("<34>1 - - - - - -");
        assertEquals(4, m.facility());
        assertEquals(2, m.severity());
        assertNull(m.timestamp());
        assertNull(m.host());
        assertNull(m.structuredData());
        assertEquals("", m.message());
    }

    @Test
    void rfc3164WithTagAndPid() {
        SyslogMessage m = parser.parse("<13>Mar  9 22:14:15 web1 sshd[4242]: Accepted publickey for root");
        assertEquals("rfc3164", m.protocol());
        assertEquals(1, m.facility());
        assertEquals(5, m.severity());
        assertEquals("2026-03-09T22:14:15Z", m.timestamp());
        assertEquals("web1", m.host());
        assertEquals("sshd", m.app());
        assertEquals("4242", m.procid());
        assertEquals("Accepted publickey for root", m.message());
    }

    @Test
    void rfc3164TimestampInTheFutureBelongsToLastYear() {
        assertEquals("2025-12-31T23:59:59Z", parser.parse("<13>Dec 31 23:59:59 h app: x").timestamp());
    }

    @Test
    void rfc3164WithoutHeaderKeepsTheText() {
        SyslogMessage m = parser.parse("<13>just some text");
        assertNull(m.timestamp());
        assertNull(m.host());
        assertNull(m.app());
        assertEquals("just some text", m.message());
    }

    @Test
    void badInputIsRefusedWithAReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parser.parse("hello")).getMessage()
                .contains("no <PRI>"));
        assertThrows(IllegalArgumentException.class, () -> parser.parse("<192>x"));
        assertThrows(IllegalArgumentException.class, () -> parser.parse("<1a>x"));
        assertThrows(IllegalArgumentException.class, () -> parser.parse("<13>1 notatime h a p m - x"));
        assertThrows(IllegalArgumentException.class, () -> parser.parse("<13>1 - h a p m [id k=\"v\" x"));
        assertThrows(IllegalArgumentException.class, () -> parser.parse("<13>1 - h a"));
    }
}
