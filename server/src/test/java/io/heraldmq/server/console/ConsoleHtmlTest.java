package io.heraldmq.server.console;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Escaping of user data in pages, and the times a seek accepts. */
class ConsoleHtmlTest {
    @Test
    void everythingThatCouldOpenMarkupOrCloseAnAttributeIsEscaped() {
        assertEquals("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", Html.esc("<script>alert('x')</script>"));
        assertEquals("a &amp; &quot;b&quot;", Html.esc("a & \"b\""));
        assertEquals("", Html.esc(null));
        assertEquals("42", Html.esc(42));
        assertEquals("DLQ.a%26b+c", Html.url("DLQ.a&b c"));
    }

    @Test
    void aSeekTakesAnInstantOrAUtcLocalTime() {
        assertEquals(Instant.parse("2026-01-31T12:00:00Z"), SeekAction.time("2026-01-31T12:00:00Z"));
        assertEquals(Instant.parse("2026-01-31T12:00:00Z"), SeekAction.time("2026-01-31T12:00"));
        assertEquals(400, assertThrows(ConsoleRefusal.class, () -> SeekAction.time("yesterday")).status());
        assertEquals(400, assertThrows(ConsoleRefusal.class, () -> SeekAction.time(null)).status());
    }

    @Test
    void aUserNameCannotForgeALogLine() {
        assertEquals("eve?2026 INFO fake", LoginPage.printable("eve\n2026 INFO fake"));
        assertEquals("", LoginPage.printable(null));
    }

    @Test
    void sizesAreHumanReadable() {
        assertEquals("512 B", Html.bytes(512));
        assertEquals("1.5 KiB", Html.bytes(1536));
        assertEquals("2.0 GiB", Html.bytes(2L << 30));
    }
}
