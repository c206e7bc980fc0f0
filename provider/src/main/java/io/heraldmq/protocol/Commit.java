package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * COMMIT: the sends and consumed acks of one transaction, applied by the broker as one atomic unit (it journals the
 * whole transaction, fsyncs the journal, then applies it; a crash in between is finished at the next start).
 * Answered by OK once applied, or ERROR; an ERROR other than {@link ErrorCode#INTERNAL} means nothing was applied.
 * Body:
 * <pre>
 * int64 producerId     the transaction's identity: chosen at random per session ...
 * int32 sequence       ... and counted up per commit of that session. Every batch carries both in its header
 *                      (RecordBatch producerId and baseSequence), so recovery can find which batches are stored
 * int32 sendCount
 * sendCount times:
 *   byte   destinationKind  {@link DestinationKind}
 *   string destination
 *   int32  partition        -1: the broker chooses (key hash, else round robin), as for PRODUCE
 *   int32  batchLength
 *   ...    batch            one {@link RecordBatch}, stored as is
 * int32 consumedCount
 * consumedCount times:      deliveries the transaction consumed, settled as CONSUMED (see {@link Ack})
 *   int32 consumerId
 *   int32 partition
 *   int64 offset
 * int32 moveCount        COMMIT only, optional (the body may end before it): 0, or consumedCount
 * moveCount times:       the {@link ConsumerMoved} move each consumed entry was delivered under, in their order (0 =
 *   int32 move           never moved); a broker relaying the consumer refuses a commit naming an earlier move
 * </pre>
 * XA_PREPARE and XA_COMMIT carry the body without the moves (transactions across relayed consumers' moves are a
 * cluster matter, and XA does not span a cluster yet).
 * A COMMIT frame may be up to {@link #MAX_FRAME_BYTES} long, more than other frames (one message plus headroom): it
 * carries the whole transaction. The client refuses a larger transaction before sending it.
 */
public record Commit(long producerId, int sequence, List<Send> sends, List<Consumed> consumed) {
    /** The largest COMMIT frame, length field included: the largest transaction the broker applies atomically. */
    public static final int MAX_FRAME_BYTES = 64 << 20;
    /** Bytes of one consumed entry. */
    private static final int CONSUMED_BYTES = 16;

    /** One batch of the transaction, for one destination. */
    public record Send(DestinationKind kind, String destination, int partition, Buffer batch) {
    }

    /** One delivery the transaction consumed, delivered under {@code move} of its consumer. */
    public record Consumed(int consumerId, int partition, long offset, int move) {
        /** Of a consumer that never moved. */
        public Consumed(int consumerId, int partition, long offset) {
            this(consumerId, partition, offset, 0);
        }
    }

    public Commit {
        sends = List.copyOf(sends);
        consumed = List.copyOf(consumed);
    }

    public Buffer encode(int correlationId) {
        Buffer b = writeBody(Frame.start(FrameType.COMMIT, correlationId, bodySizeHint() + 4 * consumed.size()));
        if (consumed.stream().anyMatch(c -> c.move() != 0)) {
            b.appendInt(consumed.size());
            for (Consumed c : consumed) {
                b.appendInt(c.move());
            }
        }
        return Frame.finish(b);
    }

    /** Roughly the bytes of the body (UTF-8 names counted at most 3 bytes a character). */
    int bodySizeHint() {
        int size = 20 + CONSUMED_BYTES * consumed.size();
        for (Send s : sends) {
            size += 11 + 3 * s.destination().length() + s.batch().length();
        }
        return size;
    }

    /** Appends the body layout above to {@code b}: XA_PREPARE and a one-phase XA_COMMIT carry it too. */
    Buffer writeBody(Buffer b) {
        b.appendLong(producerId).appendInt(sequence).appendInt(sends.size());
        for (Send s : sends) {
            b.appendByte(s.kind().code());
            Wire.writeString(b, s.destination());
            b.appendInt(s.partition()).appendInt(s.batch().length()).appendBuffer(s.batch());
        }
        b.appendInt(consumed.size());
        for (Consumed c : consumed) {
            b.appendInt(c.consumerId()).appendInt(c.partition()).appendLong(c.offset());
        }
        return b;
    }

    /** Batches are slices of {@code body}; their content is checked by the broker, not here. */
    public static Commit decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        Commit commit = readBody(c);
        if (c.remaining() > 0) {
            int moveCount = c.readInt();
            if (moveCount != 0 && moveCount != commit.consumed.size()) {
                throw new ProtocolException("COMMIT names " + moveCount + " moves for " + commit.consumed.size()
                        + " consumed entries");
            }
            if (moveCount > 0) {
                Consumed[] moved = new Consumed[moveCount];
                for (int i = 0; i < moveCount; i++) {
                    Consumed e = commit.consumed.get(i);
                    int move = c.readInt();
                    if (move < 0) {
                        throw new ProtocolException("negative COMMIT move " + move);
                    }
                    moved[i] = new Consumed(e.consumerId(), e.partition(), e.offset(), move);
                }
                commit = new Commit(commit.producerId, commit.sequence, commit.sends, List.of(moved));
            }
        }
        c.expectEnd();
        return commit;
    }

    /** Reads the body layout above from the cursor's position (up to its end or the layout's). */
    static Commit readBody(Wire.Cursor c) {
        long producerId = c.readLong();
        int sequence = c.readInt();
        int sendCount = c.readInt();
        // every send takes at least 11 bytes: a bad count fails here, not after allocating for it
        if (sendCount < 0 || sendCount > c.remaining() / 11) {
            throw new ProtocolException("bad COMMIT send count " + sendCount);
        }
        Send[] sends = new Send[sendCount];
        for (int i = 0; i < sendCount; i++) {
            DestinationKind kind = DestinationKind.of(c.readByte());
            String destination = c.readString();
            if (destination == null) {
                throw new ProtocolException("COMMIT send without a destination");
            }
            int partition = c.readInt();
            int length = c.readInt();
            if (length < 0) {
                throw new ProtocolException("negative COMMIT batch length " + length);
            }
            sends[i] = new Send(kind, destination, partition, c.readSlice(length));
        }
        int consumedCount = c.readInt();
        if (consumedCount < 0 || consumedCount > c.remaining() / CONSUMED_BYTES) {
            throw new ProtocolException("bad COMMIT consumed count " + consumedCount);
        }
        Consumed[] consumed = new Consumed[consumedCount];
        for (int i = 0; i < consumedCount; i++) {
            consumed[i] = new Consumed(c.readInt(), c.readInt(), c.readLong());
        }
        return new Commit(producerId, sequence, List.of(sends), List.of(consumed));
    }
}
