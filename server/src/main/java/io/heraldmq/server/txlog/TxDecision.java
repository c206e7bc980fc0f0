package io.heraldmq.server.txlog;

import io.heraldmq.protocol.Wire;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * A clustered broker's committed transaction, as the decision log keeps it: everything a partition's leader needs
 * to apply its part without the client, the coordinator or the consumers that received the messages. A transaction
 * is committed when this is committed in the decision log, and from then on it is applied whole: by its coordinator
 * at once, or by the next leader of each partition it touches before that leader serves anyone ({@link TxGate}).
 * <p>
 * Layout (after the DECISION type byte of {@link TxLogRecord}, big-endian):
 * <pre>
 * int64  producerId            the transaction id, as in its batches' headers
 * int32  sequence
 * string coordinator           the broker that decided it
 * int32  participantCount
 * participantCount times:
 *   string partition           {@code PartitionKey} string form, e.g. q:orders:0
 *   int32  leaderEpoch         the coordinator's leader epoch for it when it planned the transaction (fencing)
 * int32  batchCount
 * batchCount times:
 *   int32  participant         index into the participants
 *   int64  lowerBound          the partition's high watermark before the decision: the batch lies at or above it
 *                              in every later leader's log (everything below is committed, and nothing of the
 *                              transaction was appended before it was decided)
 *   int32  length
 *   bytes  batch               the record batch as the client sent it (stamped with JMSXUserID if configured)
 * int32  ackCount
 * ackCount times:
 *   int32  participant         index into the participants: the partition of the subscription's topic
 *   string subscriptionId      the durable subscription whose position the ack moves
 *   int64  offset              settled as consumed
 * </pre>
 * A transaction's batches for one partition keep their order here, which is the order they are appended in.
 */
public record TxDecision(TxId id, String coordinator, List<Participant> participants, List<Batch> batches,
                         List<Ack> acks) {
    /** A partition the transaction sends to or consumes from, and the coordinator's epoch for it. */
    public record Participant(String partition, int leaderEpoch) {
    }

    /** One batch of the transaction. */
    public record Batch(int participant, long lowerBound, Buffer batch) {
    }

    /** One consumed offset of a durable subscription. */
    public record Ack(int participant, String subscriptionId, long offset) {
    }

    public TxDecision {
        participants = List.copyOf(participants);
        batches = List.copyOf(batches);
        acks = List.copyOf(acks);
    }

    /** The index of {@code partition} among the participants, or -1. */
    public int indexOf(String partition) {
        for (int i = 0; i < participants.size(); i++) {
            if (participants.get(i).partition().equals(partition)) {
                return i;
            }
        }
        return -1;
    }

    /** The batches for participant {@code index}, in their order. */
    public List<Batch> batchesOf(int index) {
        List<Batch> out = new ArrayList<>();
        for (Batch b : batches) {
            if (b.participant() == index) {
                out.add(b);
            }
        }
        return out;
    }

    /** The acks for participant {@code index}. */
    public List<Ack> acksOf(int index) {
        List<Ack> out = new ArrayList<>();
        for (Ack a : acks) {
            if (a.participant() == index) {
                out.add(a);
            }
        }
        return out;
    }

    /** Appends the layout above to {@code out}. */
    public void write(Buffer out) {
        out.appendLong(id.producerId()).appendInt(id.sequence());
        Wire.writeString(out, coordinator);
        out.appendInt(participants.size());
        for (Participant p : participants) {
            Wire.writeString(out, p.partition());
            out.appendInt(p.leaderEpoch());
        }
        out.appendInt(batches.size());
        for (Batch b : batches) {
            out.appendInt(b.participant()).appendLong(b.lowerBound()).appendInt(b.batch().length())
                    .appendBuffer(b.batch());
        }
        out.appendInt(acks.size());
        for (Ack a : acks) {
            out.appendInt(a.participant());
            Wire.writeString(out, a.subscriptionId());
            out.appendLong(a.offset());
        }
    }

    /** Bytes {@link #write} appends, about: for sizing buffers. */
    public int sizeEstimate() {
        int size = 64 + 3 * coordinator.length();
        for (Participant p : participants) {
            size += 8 + 3 * p.partition().length();
        }
        for (Batch b : batches) {
            size += 16 + b.batch().length();
        }
        for (Ack a : acks) {
            size += 16 + 3 * a.subscriptionId().length();
        }
        return size;
    }

    /** Reads the layout above; the batches are copied (they outlive the buffer read). */
    public static TxDecision read(Wire.Cursor c) {
        TxId id = new TxId(c.readLong(), c.readInt());
        String coordinator = c.readString();
        int n = count(c, 6);
        List<Participant> participants = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            participants.add(new Participant(c.readString(), c.readInt()));
        }
        n = count(c, 16);
        List<Batch> batches = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int participant = index(c.readInt(), participants.size());
            long lowerBound = c.readLong();
            batches.add(new Batch(participant, lowerBound, c.readSlice(c.readInt()).copy()));
        }
        n = count(c, 14);
        List<Ack> acks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            acks.add(new Ack(index(c.readInt(), participants.size()), c.readString(), c.readLong()));
        }
        return new TxDecision(id, coordinator, participants, batches, acks);
    }

    private static int count(Wire.Cursor c, int minBytesEach) {
        int n = c.readInt();
        if (n < 0 || n > c.remaining() / minBytesEach) {
            throw new IllegalArgumentException("bad count " + n + " in a transaction decision");
        }
        return n;
    }

    private static int index(int i, int size) {
        if (i < 0 || i >= size) {
            throw new IllegalArgumentException("participant index " + i + " out of range in a transaction decision");
        }
        return i;
    }
}
