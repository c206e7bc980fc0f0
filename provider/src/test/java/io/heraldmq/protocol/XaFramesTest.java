package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The XA frames and the XID encoding: round trips, the documented layout, and the checks on bad input. */
class XaFramesTest {
    private static final WireXid XID = new WireXid(0x20005, "global-1".getBytes(StandardCharsets.US_ASCII),
            new byte[]{1, 2, 3});

    private static Commit work() {
        RecordBatch.Builder b = new RecordBatch.Builder(RecordBatch.ATTR_PERSISTENT, 64).transaction(99, 3);
        WireMessage m = new WireMessage();
        m.bodyType = WireMessage.BODY_TEXT;
        m.body = Buffer.buffer("xa");
        b.add(1000, null, m.encode());
        return new Commit(99, 3, List.of(new Commit.Send(DestinationKind.QUEUE, "orders", -1, b.build())),
                List.of(new Commit.Consumed(5, 0, 17)));
    }

    @Test
    void xidLayoutAndTextForm() {
        Buffer b = Buffer.buffer();
        XID.write(b);
        assertEquals(XID.encodedBytes(), b.length());
        assertEquals(0x20005, b.getInt(0), "formatId");
        assertEquals(8, b.getByte(4), "gtrid length");
        assertEquals("global-1", b.getString(5, 13, "US-ASCII"));
        assertEquals(3, b.getByte(13), "bqual length");
        assertEquals(XID, WireXid.read(new Wire.Cursor(b)));
        assertEquals("131077:676c6f62616c2d31:010203", XID.toString());
        assertEquals(XID, WireXid.parse(XID.toString()));
        WireXid empty = new WireXid(1, new byte[]{9}, new byte[0]);
        assertEquals(empty, WireXid.parse(empty.toString()));
    }

    @Test
    void xidsAreComparedByValue() {
        javax.transaction.xa.Xid foreign = new javax.transaction.xa.Xid() {
            public int getFormatId() {
                return 0x20005;
            }

            public byte[] getGlobalTransactionId() {
                return "global-1".getBytes(StandardCharsets.US_ASCII);
            }

            public byte[] getBranchQualifier() {
                return new byte[]{1, 2, 3};
            }
        };
        assertEquals(XID, WireXid.of(foreign));
        assertEquals(XID.hashCode(), WireXid.of(foreign).hashCode());
        byte[] g = XID.getGlobalTransactionId();
        g[0] = 0;
        assertArrayEquals("global-1".getBytes(StandardCharsets.US_ASCII), XID.getGlobalTransactionId(), "copies");
    }

    @Test
    void xidLimitsAreEnforced() {
        assertThrows(IllegalArgumentException.class, () -> new WireXid(-1, new byte[]{1}, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new WireXid(1, new byte[0], new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new WireXid(1, new byte[65], new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new WireXid(1, new byte[1], new byte[65]));
        new WireXid(1, new byte[64], new byte[64]);
        assertThrows(IllegalArgumentException.class, () -> WireXid.parse("1:zz:00"));
        assertThrows(IllegalArgumentException.class, () -> WireXid.parse("1:00"));
        Buffer tooLong = Buffer.buffer().appendInt(1).appendByte((byte) 65).appendBytes(new byte[65])
                .appendByte((byte) 0);
        assertThrows(ProtocolException.class, () -> WireXid.read(new Wire.Cursor(tooLong)));
        Buffer nullXid = Buffer.buffer().appendInt(-1).appendByte((byte) 1).appendByte((byte) 7)
                .appendByte((byte) 0);
        assertThrows(ProtocolException.class, () -> WireXid.read(new Wire.Cursor(nullXid)));
        Buffer truncated = Buffer.buffer().appendInt(1).appendByte((byte) 4).appendByte((byte) 7);
        assertThrows(ProtocolException.class, () -> WireXid.read(new Wire.Cursor(truncated)));
    }

    @Test
    void prepareCarriesTheXidAndTheWholeTransaction() {
        Frame f = FrameCodecTest.decodeOne(new XaPrepare(XID, work()).encode(11));
        assertEquals(FrameType.XA_PREPARE, f.type());
        assertEquals(11, f.correlationId());
        assertEquals(XID, WireXid.read(new Wire.Cursor(f.body())), "the xid comes first");
        XaPrepare p = XaPrepare.decode(f.body());
        assertEquals(XID, p.xid());
        assertEquals(99, p.work().producerId());
        assertEquals(3, p.work().sequence());
        assertEquals(work().consumed(), p.work().consumed());
        assertEquals(work().sends().get(0).batch(), p.work().sends().get(0).batch());
        assertThrows(ProtocolException.class, () -> XaPrepare.decode(f.body().getBuffer(0, f.body().length() - 1)));
        assertThrows(ProtocolException.class, () -> XaPrepare.decode(f.body().copy().appendByte((byte) 0)));
    }

    @Test
    void commitIsTwoPhaseOrCarriesTheWork() {
        Frame two = FrameCodecTest.decodeOne(XaCommit.twoPhase(XID).encode(3));
        assertEquals(FrameType.XA_COMMIT, two.type());
        assertEquals(XID.encodedBytes() + 1, two.body().length(), "xid and flags only");
        XaCommit c = XaCommit.decode(two.body());
        assertFalse(c.onePhase());
        assertNull(c.work());
        Frame one = FrameCodecTest.decodeOne(new XaCommit(XID, true, work()).encode(4));
        XaCommit d = XaCommit.decode(one.body());
        assertTrue(d.onePhase());
        assertEquals(work().consumed(), d.work().consumed());
        Buffer badFlags = two.body().copy();
        badFlags.setByte(XID.encodedBytes(), (byte) 4);
        assertThrows(ProtocolException.class, () -> XaCommit.decode(badFlags));
        assertThrows(IllegalArgumentException.class, () -> new XaCommit(XID, true, null));
    }

    @Test
    void rollbackForgetRecoverAndXids() {
        assertEquals(XID, XaRollback.decode(FrameCodecTest.decodeOne(new XaRollback(XID).encode(1)).body()).xid());
        assertEquals(XID, XaForget.decode(FrameCodecTest.decodeOne(new XaForget(XID).encode(1)).body()).xid());
        Frame recover = FrameCodecTest.decodeOne(XaRecover.encode(5));
        assertEquals(FrameType.XA_RECOVER, recover.type());
        assertEquals(0, recover.body().length());
        List<WireXid> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(new WireXid(i, ("g" + i).getBytes(StandardCharsets.US_ASCII), new byte[]{(byte) i}));
        }
        Frame xids = FrameCodecTest.decodeOne(new XaXids(many).encode(5));
        assertEquals(FrameType.XA_XIDS, xids.type());
        assertEquals(many, XaXids.decode(xids.body()).xids());
        assertEquals(List.of(), XaXids.decode(FrameCodecTest.decodeOne(new XaXids(List.of()).encode(1)).body()).xids());
        Buffer hugeCount = Buffer.buffer().appendInt(1_000_000);
        assertThrows(ProtocolException.class, () -> XaXids.decode(hugeCount));
    }

    @Test
    void newFrameTypesKeepTheOldCodesAndMayCarryATransaction() {
        assertEquals(18, FrameType.COMMIT.code());
        assertEquals(19, FrameType.XA_PREPARE.code());
        assertEquals(24, FrameType.XA_XIDS.code());
        assertEquals(FrameType.XA_FORGET, FrameType.of((byte) 23));
        assertTrue(FrameType.XA_PREPARE.carriesTransaction());
        assertTrue(FrameType.XA_COMMIT.carriesTransaction());
        assertFalse(FrameType.XA_ROLLBACK.carriesTransaction());
        assertTrue(FrameType.TX_PREPARE.carriesTransaction());
        assertNull(FrameType.of((byte) 37));
    }
}
