package io.heraldmq.server.tx;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.Wire;
import io.heraldmq.protocol.WireXid;
import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One record of the transaction journal: a committed transaction, or a step in the life of an XA branch. A
 * transaction's batches are resolved to the partition each goes to, and its consumed acks to the durable
 * subscription positions they settle: enough to finish it after a crash without the client or the consumer that
 * received the messages.
 * <p>
 * Layout in the journal (big-endian):
 * <pre>
 * offset size field
 * 0      4    length       bytes after this field: 4 + payload
 * 4      4    crc          CRC32C of the payload (from offset 8 to the end of the record)
 * 8      8    index        journal index: the previous record's + 1
 * 16     8    producerId   the transaction's identity, as in its batches' headers
 * 24     4    sequence
 * 28     4    batchCount
 * batchCount times:
 *   byte   destinationKind
 *   string destination
 *   int32  partition       the partition it was routed to (never -1)
 *   int64  lowerBound      the partition's log end offset before the commit: its batches lie at or above it
 *   int32  batchLength
 *   ...    batch           the record batch as the client sent it (base offset and leader epoch not yet set)
 * int32  ackCount
 * ackCount times:
 *   string subscriptionId  the durable subscription (queue:..., durable:...) whose position the ack moves
 *   int32  partition
 *   int64  offset          settled as consumed
 * optional trailer, absent for kind COMMIT (so every record written before XA existed reads as what it was):
 *   byte   kind            {@link Kind#code()}, never 0
 *   ...    xid             {@link WireXid} layout
 * </pre>
 * Only acks of durable subscriptions are journaled: a non-durable subscription does not outlive the broker. The XA
 * kinds: PREPARED carries the branch's work (producerId to acks) and the xid; the outcome records (COMMITTED,
 * ROLLED_BACK, HEURISTIC_COMMITTED, HEURISTIC_ROLLED_BACK, FORGOTTEN) carry the xid only, with zero ids and counts.
 * A PREPARED or HEURISTIC_ record may be written again later, unchanged but for its index (the checkpoint moves past
 * the old copy only once the new one is durable, see {@link TransactionLog}); recovery takes the last copy.
 * A broker older than the XA records stops reading the journal at the first of them.
 *
 * @param index 0 until the journal writer gives the record its place
 * @param xid   null for kind COMMIT
 */
public record TxRecord(long index, long producerId, int sequence, List<Batch> batches, List<Ack> acks, Kind kind,
                       WireXid xid) {
    /** Bytes of the length and CRC fields. */
    static final int FRAMING_BYTES = 8;

    /** What a record says; the code is its trailer's kind byte. Codes are stable: never renumber, only add. */
    public enum Kind {
        /** A committed (local, or one-phase XA) transaction: apply it. No trailer. */
        COMMIT(0),
        /** An XA branch is prepared: hold its work until an outcome record names its xid. */
        PREPARED(1),
        /** The prepared branch of this xid is committed: apply its work. */
        COMMITTED(2),
        /** The prepared branch of this xid is rolled back: drop its work. */
        ROLLED_BACK(3),
        /** An operator committed the prepared branch: apply its work, and remember the outcome until forgotten. */
        HEURISTIC_COMMITTED(4),
        /** An operator rolled the prepared branch back: drop its work, and remember the outcome until forgotten. */
        HEURISTIC_ROLLED_BACK(5),
        /** The transaction manager forgot the heuristic outcome of this xid. */
        FORGOTTEN(6);

        private final byte code;

        Kind(int code) {
            this.code = (byte) code;
        }

        public byte code() {
            return code;
        }

        static Kind of(byte code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            return null;
        }
    }

    /** One batch and where it goes. */
    public record Batch(DestinationKind kind, String destination, int partition, long lowerBound, Buffer batch) {
    }

    /** One consumed offset of a durable subscription. */
    public record Ack(String subscriptionId, int partition, long offset) {
    }

    public TxRecord {
        batches = List.copyOf(batches);
        acks = List.copyOf(acks);
        if ((kind == Kind.COMMIT) != (xid == null)) {
            throw new IllegalArgumentException("a COMMIT record has no xid, every XA record has one");
        }
    }

    /** A committed transaction. */
    public TxRecord(long index, long producerId, int sequence, List<Batch> batches, List<Ack> acks) {
        this(index, producerId, sequence, batches, acks, Kind.COMMIT, null);
    }

    /** An XA outcome record: the xid, no work. */
    public static TxRecord outcome(Kind kind, WireXid xid) {
        return new TxRecord(0, 0, 0, List.of(), List.of(), kind, xid);
    }

    TxRecord withIndex(long newIndex) {
        return new TxRecord(newIndex, producerId, sequence, batches, acks, kind, xid);
    }

    /** The same work as an XA record of {@code newKind} for {@code newXid} (a prepared branch's, say). */
    public TxRecord asXa(Kind newKind, WireXid newXid) {
        return new TxRecord(0, producerId, sequence, batches, acks, newKind, newXid);
    }

    /** The whole record, length and CRC included. */
    Buffer encode() {
        int size = 36;
        for (Batch b : batches) {
            size += 23 + 3 * b.destination().length() + b.batch().length();
        }
        for (Ack a : acks) {
            size += 14 + 3 * a.subscriptionId().length();
        }
        if (xid != null) {
            size += 1 + xid.encodedBytes();
        }
        Buffer out = Buffer.buffer(size);
        out.appendInt(0).appendInt(0).appendLong(index).appendLong(producerId).appendInt(sequence)
                .appendInt(batches.size());
        for (Batch b : batches) {
            out.appendByte(b.kind().code());
            Wire.writeString(out, b.destination());
            out.appendInt(b.partition()).appendLong(b.lowerBound()).appendInt(b.batch().length())
                    .appendBuffer(b.batch());
        }
        out.appendInt(acks.size());
        for (Ack a : acks) {
            Wire.writeString(out, a.subscriptionId());
            out.appendInt(a.partition()).appendLong(a.offset());
        }
        if (kind != Kind.COMMIT) {
            out.appendByte(kind.code());
            xid.write(out);
        }
        out.setInt(0, out.length() - 4);
        out.setInt(4, crc(out, FRAMING_BYTES, out.length()));
        return out;
    }

    /**
     * Reads the record at {@code pos}.
     *
     * @return the record, or null if the bytes there are not a whole, intact record (a torn tail, garbage, a CRC
     *         mismatch): the journal ends there
     */
    static Decoded decode(Buffer in, int pos) {
        if (in.length() - pos < FRAMING_BYTES) {
            return null;
        }
        int length = in.getInt(pos);
        if (length < 4 + 28 || length > in.length() - pos - 4) {
            return null;
        }
        int end = pos + 4 + length;
        if (crc(in, pos + FRAMING_BYTES, end) != in.getInt(pos + 4)) {
            return null;
        }
        try {
            Wire.Cursor c = new Wire.Cursor(in, pos + FRAMING_BYTES, end);
            long index = c.readLong();
            long producerId = c.readLong();
            int sequence = c.readInt();
            int batchCount = c.readInt();
            if (batchCount < 0 || batchCount > c.remaining() / 19) {
                return null;
            }
            List<Batch> batches = new ArrayList<>(batchCount);
            for (int i = 0; i < batchCount; i++) {
                DestinationKind kind = DestinationKind.of(c.readByte());
                String destination = c.readString();
                int partition = c.readInt();
                long lowerBound = c.readLong();
                int batchLength = c.readInt();
                // a copy: the record outlives the buffer the journal file was read into
                batches.add(new Batch(kind, destination, partition, lowerBound,
                        c.readSlice(batchLength).copy()));
            }
            int ackCount = c.readInt();
            if (ackCount < 0 || ackCount > c.remaining() / 14) {
                return null;
            }
            List<Ack> acks = new ArrayList<>(ackCount);
            for (int i = 0; i < ackCount; i++) {
                acks.add(new Ack(c.readString(), c.readInt(), c.readLong()));
            }
            Kind kind = Kind.COMMIT;
            WireXid xid = null;
            if (c.remaining() > 0) {
                kind = Kind.of(c.readByte());
                if (kind == null || kind == Kind.COMMIT) {
                    return null;
                }
                xid = WireXid.read(c);
            }
            c.expectEnd();
            return new Decoded(new TxRecord(index, producerId, sequence, batches, acks, kind, xid), end);
        } catch (ProtocolException | IllegalArgumentException e) {
            return null; // the CRC matched but the content does not parse: not a record this broker wrote
        }
    }

    /** A record read from the journal and where the next one starts. */
    record Decoded(TxRecord record, int end) {
    }

    private static int crc(Buffer b, int from, int to) {
        CRC32C crc = new CRC32C();
        ByteBuffer nio = b.getByteBuf().nioBuffer(from, to - from);
        crc.update(nio);
        return (int) crc.getValue();
    }
}
