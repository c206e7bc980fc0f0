package io.heraldmq.connect;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LineSplitterTest {
    private static void feed(LineSplitter s, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        s.append(b, 0, b.length);
    }

    @Test
    void completeLinesOnlyWithTheirByteLengths() {
        LineSplitter s = new LineSplitter();
        feed(s, "a\nbc\r\nd");
        assertEquals(new LineSplitter.Line("a", 2), s.next());
        assertEquals(new LineSplitter.Line("bc", 4), s.next());
        assertNull(s.next());
        assertEquals(1, s.pending());
        feed(s, "e\n");
        assertEquals(new LineSplitter.Line("de", 3), s.next());
        assertNull(s.next());
        assertEquals(0, s.pending());
    }

    @Test
    void emptyLinesAndMultiByteCharactersSplitAcrossAppends() {
        LineSplitter s = new LineSplitter();
        byte[] b = "\nü\n".getBytes(StandardCharsets.UTF_8); // ü is two bytes
        s.append(b, 0, 2);
        assertEquals(new LineSplitter.Line("", 1), s.next());
        assertNull(s.next());
        s.append(b, 2, b.length - 2);
        assertEquals(new LineSplitter.Line("ü", 3), s.next());
    }

    @Test
    void lineLongerThanTheBufferGrowsIt() {
        LineSplitter s = new LineSplitter();
        String longLine = "x".repeat(20_000);
        for (int i = 0; i < 3; i++) {
            feed(s, "short\n" + longLine.substring(0, 10_000));
            feed(s, longLine.substring(10_000) + "\n");
            assertEquals("short", s.next().text());
            assertEquals(new LineSplitter.Line(longLine, 20_001), s.next());
            assertNull(s.next());
        }
    }

    @Test
    void remainderReturnsTheUnfinishedLine() {
        LineSplitter s = new LineSplitter();
        feed(s, "done\ntail\r");
        assertEquals("done", s.next().text());
        assertNull(s.next());
        assertEquals(new LineSplitter.Line("tail", 5), s.remainder());
        assertEquals(0, s.pending());
    }
}
