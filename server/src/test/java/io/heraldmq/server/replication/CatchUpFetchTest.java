package io.heraldmq.server.replication;

import io.heraldmq.protocol.ProtocolException;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CatchUpFetchTest {
    private static Buffer body(Buffer frame) {
        return frame.slice(ReplicationFrame.HEADER_BYTES, frame.length());
    }

    @Test
    void roundTripsWithItsOwnFrameType() {
        CatchUpFetch f = new CatchUpFetch("q:orders:2", "b2", 7, 1234L, 6, 1 << 20);
        Buffer frame = f.encode(42);
        assertEquals(frame.length() - 4, frame.getInt(0), "length prefix");
        assertEquals(ReplicationFrameType.CATCH_UP_FETCH, ReplicationFrameType.of(frame.getByte(4)));
        assertEquals(42, frame.getInt(5));
        assertEquals(f, CatchUpFetch.decode(body(frame)));
    }

    @Test
    void aTruncatedOrOverlongBodyIsRefused() {
        Buffer body = body(new CatchUpFetch("q:orders:0", "b1", 3, 10L, -1, 4096).encode(1));
        for (int cut = 0; cut < body.length(); cut++) {
            Buffer truncated = body.slice(0, cut);
            assertThrows(ProtocolException.class, () -> CatchUpFetch.decode(truncated), "cut at " + cut);
        }
        Buffer longer = body.copy().appendByte((byte) 0);
        assertThrows(ProtocolException.class, () -> CatchUpFetch.decode(longer));
    }
}
