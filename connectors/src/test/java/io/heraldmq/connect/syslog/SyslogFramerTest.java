package io.heraldmq.connect.syslog;

import io.heraldmq.connect.LineSplitter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SyslogFramerTest {
    private static void feed(SyslogFramer f, String s) {
        f.append(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void octetCountingAcrossChunks() {
        SyslogFramer f = new SyslogFramer(100);
        feed(f, "5 <1>ab6 <1>");
        assertEquals("<1>ab", f.next().text());
        assertNull(f.next());
        feed(f, "cd\n6 <1>é");
        assertEquals("<1>cd", f.next().text()); // a trailing line feed inside the frame is dropped
        assertNull(f.next());
        feed(f, "f");
        assertEquals("<1>éf", f.next().text());
    }

    @Test
    void lineFeedFramingWhenTheFirstByteIsNotADigit() {
        SyslogFramer f = new SyslogFramer(100);
        feed(f, "<1>a\r\n<2>b");
        assertEquals("<1>a", f.next().text());
        assertNull(f.next());
        feed(f, "\n");
        assertEquals("<2>b", f.next().text());
    }

    @Test
    void longFramesAreCutAndTheRestSkipped() {
        SyslogFramer f = new SyslogFramer(4);
        feed(f, "10 <1>abc");
        LineSplitter.Line l = f.next();
        assertEquals(new LineSplitter.Line("<1>a", 10, true), l);
        assertNull(f.next());
        feed(f, "defg3 <2>");
        assertEquals(new LineSplitter.Line("<2>", 3, false), f.next());
    }

    @Test
    void garbageWhereALengthBelongsIsAnError() {
        SyslogFramer f = new SyslogFramer(100);
        feed(f, "3 <1>x<2>");
        assertEquals("<1>", f.next().text());
        assertThrows(IllegalStateException.class, f::next);
    }
}
