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
        LineSplitter s = new LineSplitter(1 << 20);
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
        LineSplitter s = new LineSplitter(1 << 20);
        byte[] b = "\nü\n".getBytes(StandardCharsets.UTF_8); // ü is two bytes
        s.append(b, 0, 2);
        assertEquals(new LineSplitter.Line("", 1), s.next());
        assertNull(s.next());
        s.append(b, 2, b.length - 2);
        assertEquals(new LineSplitter.Line("ü", 3), s.next());
    }

    @Test
    void lineLongerThanTheBufferGrowsIt() {
        LineSplitter s = new LineSplitter(1 << 20);
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
        LineSplitter s = new LineSplitter(1 << 20);
        feed(s, "done\ntail\r");
        assertEquals("done", s.next().text());
        assertNull(s.next());
        assertEquals(new LineSplitter.Line("tail", 5), s.remainder());
        assertEquals(0, s.pending());
    }

    @Test
    void longLinesAreCutAtACharacterBoundaryWithoutBufferingTheRest() {
        LineSplitter s = new LineSplitter(5);
        feed(s, "abcdefgh");
        assertNull(s.next());
        assertEquals(8, s.pending()); // the cut bytes are counted, not kept
        feed(s, "ijk\nok\n");
        assertEquals(new LineSplitter.Line("abcde", 12, true), s.next());
        assertEquals(new LineSplitter.Line("ok", 3), s.next());
        // "aaaaü": ü's two bytes straddle the limit of 5, so it is left out whole
        feed(s, "aaaaü\n");
        assertEquals(new LineSplitter.Line("aaaa", 7, true), s.next());
        // a complete long line in one chunk
        feed(s, "0123456789\r\n");
        assertEquals(new LineSplitter.Line("01234", 12, true), s.next());
    }
}
