package io.heraldmq.server.txlog;

import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.Wire;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The records of the decision log ({@link DecisionLog}), carried as control records in the log of its partition
 * (the internal topic {@link DecisionLog#TOPIC}), so they replicate like any other and a new leader finds them in its
 * copy. Each record's message bytes start with a type byte; the numbers continue those of the replication layer's
 * own control records (1-3), which a broker reading this log skips:
 * <pre>
 * 16 DECISION  {@link TxDecision} layout: a transaction committed
 * 17 APPLIED   int64 producerId, int32 sequence, int32 n, n x string partition: those partitions' parts of the
 *              transaction are applied and committed in their logs
 * 18 GATE      string partition, int32 leaderEpoch: a leader of the partition in that epoch took over the
 *              transactions decided for it so far; a decision planned with an older epoch of it is refused
 * 19 ABORTED   int64 producerId, int32 sequence: the transaction was asked about before it was decided (its
 *              commit's answer was lost): it is rolled back, and a decision for it coming later is refused;
 *              for a prepared XA branch: XA_ROLLBACK
 * 20 XA_PREPARED {@link XaBranch} layout (xid, then the TxDecision layout): an XA branch prepared, nothing applied;
 *              undecided until its DECISION (XA_COMMIT, the same TxDecision) or ABORTED (XA_ROLLBACK)
 * </pre>
 */
public sealed interface TxLogRecord {
    byte DECISION = 16;
    byte APPLIED = 17;
    byte GATE = 18;
    byte ABORTED = 19;
    byte XA_PREPARED = 20;

    /**
     * An XA branch prepared on a clustered broker ({@link XaBranch}): nothing of it is applied; its DECISION (XA
     * commit) or ABORTED (XA rollback, or an outcome query before it was prepared) follows, from any broker.
     */
    record XaPrepared(XaBranch branch) implements TxLogRecord {
    }

    /** A transaction committed. */
    record Decision(TxDecision decision) implements TxLogRecord {
    }

    /** Parts of a decided transaction applied. */
    record Applied(TxId id, List<String> partitions) implements TxLogRecord {
        public Applied {
            partitions = List.copyOf(partitions);
        }
    }

    /** A partition's leader of {@code leaderEpoch} passed its gate. */
    record Gate(String partition, int leaderEpoch) implements TxLogRecord {
    }

    /** A transaction rolled back before it was decided. */
    record Aborted(TxId id) implements TxLogRecord {
    }

    /** The message bytes of this record. */
    default Buffer encode() {
        Buffer b;
        if (this instanceof Decision d) {
            b = Buffer.buffer(d.decision().sizeEstimate() + 1).appendByte(DECISION);
            d.decision().write(b);
        } else if (this instanceof Applied a) {
            b = Buffer.buffer(32).appendByte(APPLIED).appendLong(a.id().producerId()).appendInt(a.id().sequence())
                    .appendInt(a.partitions().size());
            for (String p : a.partitions()) {
                Wire.writeString(b, p);
            }
        } else if (this instanceof XaPrepared x) {
            b = Buffer.buffer(x.branch().sizeEstimate() + 1).appendByte(XA_PREPARED);
            x.branch().write(b);
        } else if (this instanceof Aborted a) {
            b = Buffer.buffer(16).appendByte(ABORTED).appendLong(a.id().producerId()).appendInt(a.id().sequence());
        } else {
            Gate g = (Gate) this;
            b = Buffer.buffer(32).appendByte(GATE);
            Wire.writeString(b, g.partition());
            b.appendInt(g.leaderEpoch());
        }
        return b;
    }

    /** The decision log's records in one batch of its log (none in an epoch marker or any other record). */
    static List<TxLogRecord> decode(Buffer batch) {
        List<TxLogRecord> out = new ArrayList<>();
        if (!RecordBatch.isControl(batch)) {
            return out;
        }
        RecordBatch.forEachRecord(batch, (offset, record) -> {
            Buffer m = RecordBatch.message(record);
            if (m.length() == 0) {
                return;
            }
            Wire.Cursor c = new Wire.Cursor(m);
            switch (c.readByte()) {
                case DECISION -> out.add(new Decision(TxDecision.read(c)));
                case APPLIED -> {
                    TxId id = new TxId(c.readLong(), c.readInt());
                    int n = c.readInt();
                    if (n < 0 || n > c.remaining() / 2) {
                        throw new IllegalArgumentException("bad partition count " + n + " in an APPLIED record");
                    }
                    List<String> partitions = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        partitions.add(c.readString());
                    }
                    out.add(new Applied(id, partitions));
                }
                case GATE -> out.add(new Gate(c.readString(), c.readInt()));
                case XA_PREPARED -> out.add(new XaPrepared(XaBranch.read(c)));
                case ABORTED -> out.add(new Aborted(new TxId(c.readLong(), c.readInt())));
                default -> { } // the replication layer's own records, or a type from a newer broker
            }
        });
        return out;
    }
}
