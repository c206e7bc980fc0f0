package io.heraldmq.server.tx;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.Wire;
import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One committed transaction as the journal keeps it: its batches resolved to the partition each goes to, and its
 * consumed acks resolved to the durable subscription positions they settle. Enough to finish the transaction after
 * a crash without the client or the consumer that received the messages.
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
 * </pre>
 * Only acks of durable subscriptions are journaled: a non-durable subscription does not outlive the broker.
 *
 * @param index 0 until the journal writer gives the record its place
 */
public record TxRecord(long index, long producerId, int sequence, List<Batch> batches, List<Ack> acks) {
    /** Bytes of the length and CRC fields. */
    static final int FRAMING_BYTES = 8;

    /** One batch and where it goes. */
    public record Batch(DestinationKind kind, String destination, int partition, long lowerBound, Buffer batch) {
    }

    /** One consumed offset of a durable subscription. */
    public record Ack(String subscriptionId, int partition, long offset) {
    }

    public TxRecord {
        batches = List.copyOf(batches);
        acks = List.copyOf(acks);
    }

    TxRecord withIndex(long newIndex) {
        return new TxRecord(newIndex, producerId, sequence, batches, acks);
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
            c.expectEnd();
            return new Decoded(new TxRecord(index, producerId, sequence, batches, acks), end);
        } catch (ProtocolException e) {
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
