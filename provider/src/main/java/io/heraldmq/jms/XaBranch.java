package io.heraldmq.jms;

import io.heraldmq.protocol.Commit;
import io.heraldmq.protocol.Produce;
import io.heraldmq.protocol.WireXid;

import javax.transaction.xa.XAException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One XA branch as its connection keeps it before the broker has it: the sends made while some session was
 * associated with it (buffered as a transacted session buffers them, see {@link TransactedSends}) and the deliveries
 * its sessions consumed, taken from their consumers at each {@code end}. Nothing reaches the broker before prepare
 * (or a one-phase commit), which carries all of it. States:
 * <pre>
 *   WORKING --prepare sent--> PREPARING --OK--> PREPARED --commit/rollback--> (gone)
 *                                       \--no answer--> IN_DOUBT (the broker may have prepared it)
 *   WORKING --rollback, refusal, timeout--> (gone; its deliveries released)
 * </pre>
 * While WORKING, resources are associated with it (start ... end) or suspended from it; it may be marked
 * rollback-only with an XA_RB* code (end with TMFAIL, a timeout, a lost connection). Guarded by its
 * {@link XaBranches}' lock.
 */
final class XaBranch {
    enum State { WORKING, PREPARING, PREPARED, IN_DOUBT }

    final WireXid xid;
    final TransactedSends sends;
    final List<HeraldMessageConsumer.BranchPart> parts = new ArrayList<>();
    final Set<HeraldXAResource> associated = new HashSet<>();
    final Set<HeraldXAResource> suspended = new HashSet<>();
    /** System.nanoTime() after which it times out; 0 for no timeout. */
    final long deadlineNanos;
    State state = State.WORKING;
    /** 0, or the XA_RB* code it is rolled back with. */
    int rollbackCode;
    String rollbackReason;

    XaBranch(WireXid xid, int maxBatchBytes, long deadlineNanos) {
        this.xid = xid;
        this.sends = new TransactedSends(maxBatchBytes);
        this.deadlineNanos = deadlineNanos;
    }

    void rollbackOnly(int code, String reason) {
        if (rollbackCode == 0) {
            rollbackCode = code;
            rollbackReason = reason;
        }
    }

    boolean expired(long nowNanos) {
        return deadlineNanos != 0 && nowNanos - deadlineNanos >= 0;
    }

    boolean isAssociated() {
        return !associated.isEmpty() || !suspended.isEmpty();
    }

    boolean isEmpty() {
        return sends.isEmpty() && parts.isEmpty();
    }

    /** Whether a consumed delivery came on a socket lost since (the broker gave it out again). */
    boolean stale() {
        for (HeraldMessageConsumer.BranchPart p : parts) {
            if (p.stale()) {
                return true;
            }
        }
        return false;
    }

    /** The work, for XA_PREPARE or a one-phase XA_COMMIT; the sends are drained. */
    Commit work() {
        TransactedSends.Transaction tx = sends.drain();
        List<Commit.Send> out = new ArrayList<>(tx.produces().size());
        for (Produce p : tx.produces()) {
            out.add(new Commit.Send(p.kind(), p.destination(), p.partition(), p.batch()));
        }
        List<Commit.Consumed> consumed = new ArrayList<>();
        for (HeraldMessageConsumer.BranchPart p : parts) {
            p.addTo(consumed);
        }
        return new Commit(tx.producerId(), tx.sequence(), out, consumed);
    }

    /** The consumed deliveries are settled by the broker now (prepared, committed) or given back by it. */
    void partsEnded(boolean release) {
        for (HeraldMessageConsumer.BranchPart p : parts) {
            p.ended(release);
        }
        parts.clear();
    }

    /** Rolled back before the broker had it: sends dropped, deliveries given back (counted). */
    void discard() {
        sends.clear();
        partsEnded(true);
    }

    XAException rollbackException() {
        return XaErrors.of(rollbackCode, "XA branch " + xid + " is rolled back: " + rollbackReason);
    }
}
