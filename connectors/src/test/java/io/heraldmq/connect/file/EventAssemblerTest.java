package io.heraldmq.connect.file;

import io.heraldmq.connect.LineSplitter;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class EventAssemblerTest {
    private static LineSplitter.Line line(String text) {
        return new LineSplitter.Line(text, text.length() + 1);
    }

    @Test
    void withoutAPatternEveryLineIsAnEvent() {
        EventAssembler a = new EventAssembler(null, 100);
        assertEquals(new EventAssembler.Event("x", 10, 12, 3, 3, false), a.add(line("x"), 10, 3));
        assertNull(a.flush());
    }

    @Test
    void continuationLinesJoinTheEventBeforeThem() {
        EventAssembler a = new EventAssembler(Pattern.compile("^\\S"), 100);
        assertNull(a.add(line("ERROR boom"), 0, 1));
        assertNull(a.add(line("  at A"), 11, 2));
        assertNull(a.add(line("  at B"), 18, 3));
        assertEquals(new EventAssembler.Event("ERROR boom\n  at A\n  at B", 0, 25, 1, 3, false),
                a.add(line("INFO next"), 25, 4));
        assertEquals(new EventAssembler.Event("INFO next", 25, 35, 4, 4, false), a.flush());
    }

    @Test
    void aFileStartingWithAContinuationLineStillGetsIt() {
        EventAssembler a = new EventAssembler(Pattern.compile("^\\S"), 100);
        assertNull(a.add(line("  orphan"), 0, 1));
        assertEquals("  orphan", a.add(line("HEAD"), 9, 2).text());
    }

    @Test
    void anEventPastTheLimitIsCutButCoversAllItsLines() {
        EventAssembler a = new EventAssembler(Pattern.compile("^\\S"), 12);
        assertNull(a.add(line("HEAD"), 0, 1));      // 5 bytes
        assertNull(a.add(line(" aaaa"), 5, 2));     // 11
        assertNull(a.add(line(" bbbb"), 11, 3));    // would be 17: left out
        EventAssembler.Event e = a.flush();
        assertEquals(new EventAssembler.Event("HEAD\n aaaa", 0, 17, 1, 3, true), e);
    }
}
