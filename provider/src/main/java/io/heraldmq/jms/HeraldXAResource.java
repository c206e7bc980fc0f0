package io.heraldmq.jms;

import io.heraldmq.protocol.Commit;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.WireXid;
import io.heraldmq.protocol.XaCommit;
import io.heraldmq.protocol.XaForget;
import io.heraldmq.protocol.XaPrepare;
import io.heraldmq.protocol.XaRecover;
import io.heraldmq.protocol.XaRollback;
import io.heraldmq.protocol.XaXids;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The XAResource of an XA session (or context). Between {@code start} and {@code end} the session's sends and the
 * messages it receives belong to the branch ({@link XaBranch}, kept by the connection in {@link XaBranches}); outside
 * a branch the session acknowledges automatically and its sends take effect at once. The branch's work reaches the
 * broker only with {@code prepare} (XA_PREPARE, which the broker journals and holds until the outcome, also across a
 * crash) or a one-phase {@code commit}. A branch that did nothing is prepared read-only ({@link #XA_RDONLY}).
 * {@code commit}, {@code rollback} and {@code forget} of an xid this connection does not know go to the broker, so a
 * transaction manager recovering with any HeraldMQ connection completes what another (or a crashed process)
 * prepared; {@code recover} lists the broker's prepared and heuristically decided branches.
 * <p>
 * Transaction timeout ({@link #setTransactionTimeout}, 0 = none, the default): a branch started by this resource that
 * is not prepared within it is rolled back by the client (its deliveries go back to the broker; its later prepare or
 * commit fails with XA_RBTIMEOUT). The broker has nothing of an unprepared branch, so there is nothing for it to
 * time out; a prepared branch never times out (the XA specification leaves it to the transaction manager, and to an
 * operator: {@code heraldmq tx}).
 * <p>
 * {@link #isSameRM}: true for the resources of one connection only. The transaction manager then joins their work
 * into one branch ({@code TMJOIN}) and prepares it through either; since a branch's work is buffered in its
 * connection until prepare, a branch cannot span connections, so resources of two connections are two resource
 * managers to it, even on one broker (each gets a branch of its own; both are committed atomically all the same).
 */
public final class HeraldXAResource implements XAResource {
    private final HeraldXASession session;
    private final HeraldConnection connection;
    /**
     * The branch the session is associated with now; written under the connection's {@link XaBranches} lock, read
     * without it (the session's consumers ask under their own lock, which {@link #end} takes inside this one).
     */
    private volatile XaBranch current;
    private volatile int timeoutSeconds;

    HeraldXAResource(HeraldXASession session) {
        this.session = session;
        this.connection = session.connection();
    }

    private XaBranches branches() {
        return connection.xaBranches();
    }

    // ---- association, used by the session ----

    /** The branch the session's work goes to now, or null outside a branch. */
    XaBranch current() {
        return current;
    }

    /** The session closes: what it received in the current branch stays the branch's. */
    void sessionClosing() {
        synchronized (branches()) {
            if (current != null) {
                current.parts.addAll(session.takeForBranch());
            }
        }
    }

    /** The connection lost its socket: a branch that received messages on it cannot be committed any more. */
    void connectionInterrupted() {
        synchronized (branches()) {
            if (current != null && session.holdsUnacknowledged()) {
                current.rollbackOnly(XAException.XA_RBCOMMFAIL, "the connection to the broker was lost while it"
                        + " had received messages");
            }
        }
    }

    // ---- XAResource ----

    @Override
    public void start(Xid xid, int flags) throws XAException {
        WireXid x = xid(xid);
        checkOpen();
        synchronized (branches()) {
            if (current != null) {
                throw XaErrors.of(XAException.XAER_PROTO, "this XA session is already associated with branch "
                        + current.xid + "; end it first");
            }
            XaBranch b = branches().get(x);
            switch (flags) {
                case TMNOFLAGS -> {
                    if (b != null) {
                        throw XaErrors.of(XAException.XAER_DUPID, "XA branch " + x + " exists already");
                    }
                    int timeout = timeoutSeconds;
                    b = new XaBranch(x, connection.maxMessageBytes(),
                            timeout > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout) : 0);
                    branches().put(b);
                    if (timeout > 0) {
                        branches().armTimeout(b, timeout);
                    }
                }
                case TMJOIN, TMRESUME -> {
                    if (b == null) {
                        throw unknown(x);
                    }
                    if (b.state != XaBranch.State.WORKING) {
                        throw XaErrors.of(XAException.XAER_PROTO, "XA branch " + x + " is " + b.state
                                + "; no more work can join it");
                    }
                    if ((flags == TMRESUME) != b.suspended.contains(this)) {
                        throw XaErrors.of(XAException.XAER_PROTO, flags == TMRESUME
                                ? "this session did not suspend XA branch " + x
                                : "this session suspended XA branch " + x + ": resume it (TMRESUME)");
                    }
                    if (b.rollbackCode != 0) {
                        throw b.rollbackException();
                    }
                    b.suspended.remove(this);
                }
                default -> throw XaErrors.of(XAException.XAER_INVAL, "start takes TMNOFLAGS, TMJOIN or TMRESUME,"
                        + " not " + flags);
            }
            b.associated.add(this);
            current = b;
        }
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        WireXid x = xid(xid);
        if (flags != TMSUCCESS && flags != TMFAIL && flags != TMSUSPEND) {
            throw XaErrors.of(XAException.XAER_INVAL, "end takes TMSUCCESS, TMFAIL or TMSUSPEND, not " + flags);
        }
        synchronized (branches()) {
            XaBranch b = branches().get(x);
            if (b == null) {
                throw branches().timedOut(x) ? timedOut(x) : unknown(x);
            }
            if (current == b) {
                b.parts.addAll(session.takeForBranch());
                b.associated.remove(this);
                current = null;
                if (flags == TMSUSPEND) {
                    b.suspended.add(this);
                }
            } else if (b.suspended.contains(this) && flags != TMSUSPEND) {
                b.suspended.remove(this);
            } else {
                throw XaErrors.of(XAException.XAER_PROTO, "this XA session is not associated with branch " + x);
            }
            if (flags == TMFAIL) {
                b.rollbackOnly(XAException.XA_RBROLLBACK, "it was ended with TMFAIL");
            }
            if (b.expired(System.nanoTime())) {
                b.rollbackOnly(XAException.XA_RBTIMEOUT, "its transaction timeout passed before it was prepared");
            }
            if (b.rollbackCode != 0 && flags == TMSUCCESS) {
                throw b.rollbackException();
            }
        }
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        WireXid x = xid(xid);
        XaBranch b;
        Commit work;
        synchronized (branches()) {
            b = finishable(x);
            if (b.isEmpty()) {
                branches().remove(b);
                return XA_RDONLY;
            }
            work = b.work();
            b.state = XaBranch.State.PREPARING;
        }
        checkSize(b, work);
        CompletableFuture<Frame> answer = connection.broker().request(new XaPrepare(x, work)::encode);
        try {
            await(answer);
        } catch (Throwable failure) {
            synchronized (branches()) {
                // The broker gives back what it was sent: it released the deliveries of a refused prepare itself,
                // and those of a lost connection come again anyway.
                b.partsEnded(false);
                if (XaErrors.refused(failure)) {
                    branches().remove(b);
                } else {
                    b.state = XaBranch.State.IN_DOUBT;
                }
            }
            throw XaErrors.fromBroker(failure, "prepare of XA branch " + x, XAException.XA_RBROLLBACK);
        }
        synchronized (branches()) {
            b.state = XaBranch.State.PREPARED;
            b.partsEnded(false);
        }
        return XA_OK;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        WireXid x = xid(xid);
        if (onePhase) {
            commitOnePhase(x);
            return;
        }
        XaBranch b;
        synchronized (branches()) {
            b = branches().get(x);
            if (b != null && b.state != XaBranch.State.PREPARED && b.state != XaBranch.State.IN_DOUBT) {
                throw XaErrors.of(XAException.XAER_PROTO, "XA branch " + x + " is not prepared (" + b.state
                        + "): commit it in one phase, or prepare it first");
            }
        }
        checkOpen();
        try {
            await(connection.broker().request(XaCommit.twoPhase(x)::encode));
        } catch (Throwable failure) {
            XAException e = XaErrors.fromBroker(failure, "commit of XA branch " + x, XAException.XAER_RMERR);
            if (e.errorCode != XAException.XAER_RMFAIL) {
                forgetLocally(b);
            }
            throw e;
        }
        forgetLocally(b);
    }

    private void commitOnePhase(WireXid x) throws XAException {
        XaBranch b;
        Commit work;
        synchronized (branches()) {
            b = finishable(x);
            if (b.isEmpty()) {
                branches().remove(b);
                return;
            }
            work = b.work();
            b.state = XaBranch.State.PREPARING;
        }
        checkSize(b, work);
        try {
            await(connection.broker().request(new XaCommit(x, true, work)::encode));
        } catch (Throwable failure) {
            boolean refused = XaErrors.refused(failure);
            synchronized (branches()) {
                branches().remove(b);
                // Refused: the broker applied nothing and the deliveries are still in flight to their consumers.
                // Otherwise the outcome is unknown; a lost connection gave them back anyway.
                b.partsEnded(refused);
            }
            throw XaErrors.fromBroker(failure, "one-phase commit of XA branch " + x, XAException.XA_RBROLLBACK);
        }
        synchronized (branches()) {
            branches().remove(b);
            b.partsEnded(false);
        }
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        WireXid x = xid(xid);
        XaBranch b;
        synchronized (branches()) {
            b = branches().get(x);
            if (b == null && branches().timedOut(x)) {
                branches().forgetTimedOut(x);
                return; // rolled back when it timed out
            }
            if (b != null) {
                if (b.isAssociated()) {
                    throw XaErrors.of(XAException.XAER_PROTO, "XA branch " + x + " is still associated with a"
                            + " session: end it first");
                }
                if (b.state == XaBranch.State.PREPARING) {
                    throw XaErrors.of(XAException.XAER_PROTO, "XA branch " + x + " is being prepared");
                }
                if (b.state == XaBranch.State.WORKING) {
                    branches().remove(b);
                    b.discard();
                    return;
                }
            }
        }
        checkOpen();
        try {
            await(connection.broker().request(new XaRollback(x)::encode));
        } catch (Throwable failure) {
            XAException e = XaErrors.fromBroker(failure, "rollback of XA branch " + x, XAException.XAER_RMERR);
            if (e.errorCode == XAException.XAER_NOTA && b != null && b.state == XaBranch.State.IN_DOUBT) {
                forgetLocally(b); // its prepare never reached the broker: nothing to roll back there
                return;
            }
            if (e.errorCode != XAException.XAER_RMFAIL) {
                forgetLocally(b);
            }
            throw e;
        }
        forgetLocally(b);
    }

    @Override
    public void forget(Xid xid) throws XAException {
        WireXid x = xid(xid);
        checkOpen();
        try {
            await(connection.broker().request(new XaForget(x)::encode));
        } catch (Throwable failure) {
            throw XaErrors.fromBroker(failure, "forget of XA branch " + x, XAException.XAER_RMERR);
        }
    }

    /**
     * The broker's prepared and heuristically decided branches. The whole list comes with {@code TMSTARTRSCAN}; a
     * scan continued without it ({@code TMNOFLAGS}, {@code TMENDRSCAN}) has nothing more.
     */
    @Override
    public Xid[] recover(int flag) throws XAException {
        if ((flag & ~(TMSTARTRSCAN | TMENDRSCAN)) != 0) {
            throw XaErrors.of(XAException.XAER_INVAL, "recover takes TMSTARTRSCAN, TMENDRSCAN or TMNOFLAGS, not "
                    + flag);
        }
        if ((flag & TMSTARTRSCAN) == 0) {
            return new Xid[0];
        }
        checkOpen();
        try {
            List<WireXid> xids = XaXids.decode(await(connection.broker().request(XaRecover::encode)).body()).xids();
            return xids.toArray(new Xid[0]);
        } catch (Throwable failure) {
            throw XaErrors.fromBroker(failure, "recover", XAException.XAER_RMERR);
        }
    }

    @Override
    public boolean isSameRM(XAResource other) {
        return other instanceof HeraldXAResource h && h.connection == connection;
    }

    /** Seconds a branch this resource starts from now on has to be prepared; 0 = no limit (the default). */
    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
        if (seconds < 0) {
            throw XaErrors.of(XAException.XAER_INVAL, "a transaction timeout cannot be negative: " + seconds);
        }
        timeoutSeconds = seconds;
        return true;
    }

    @Override
    public int getTransactionTimeout() {
        return timeoutSeconds;
    }

    // ---- helpers ----

    /**
     * The branch for prepare or a one-phase commit: known, ended, not sent yet, not rolled back (a rolled back or
     * timed out one is discarded here and its XA_RB* thrown). Holds the branches' lock.
     */
    private XaBranch finishable(WireXid x) throws XAException {
        XaBranch b = branches().get(x);
        if (b == null) {
            throw branches().timedOut(x) ? timedOut(x) : unknown(x);
        }
        if (b.state != XaBranch.State.WORKING || b.isAssociated()) {
            throw XaErrors.of(XAException.XAER_PROTO, "XA branch " + x + " is " + (b.isAssociated()
                    ? "still associated with a session: end it first" : b.state.name().toLowerCase()));
        }
        if (b.expired(System.nanoTime())) {
            b.rollbackOnly(XAException.XA_RBTIMEOUT, "its transaction timeout passed before it was prepared");
        }
        if (b.rollbackCode == 0 && b.stale()) {
            b.rollbackOnly(XAException.XA_RBCOMMFAIL, "the connection to the broker was lost after it received"
                    + " messages, which the broker gave out again");
        }
        if (b.rollbackCode != 0) {
            branches().remove(b);
            b.discard();
            throw b.rollbackException();
        }
        checkOpen();
        return b;
    }

    /** Refuses a branch too large for one frame, rolling it back (its sends were drained into {@code work}). */
    private void checkSize(XaBranch b, Commit work) throws XAException {
        long bytes = Frame.HEADER_BYTES + 160L + 16L * work.consumed().size();
        for (Commit.Send s : work.sends()) {
            bytes += 11L + 3L * s.destination().length() + s.batch().length();
        }
        if (bytes > Commit.MAX_FRAME_BYTES) {
            synchronized (branches()) {
                branches().remove(b);
                b.discard();
            }
            throw XaErrors.of(XAException.XA_RBOTHER, "XA branch " + b.xid + " is rolled back: its " + bytes
                    + " bytes exceed the largest transaction the broker commits atomically, "
                    + Commit.MAX_FRAME_BYTES + " bytes");
        }
    }

    private void forgetLocally(XaBranch b) {
        if (b != null) {
            synchronized (branches()) {
                branches().remove(b);
            }
        }
    }

    private void checkOpen() throws XAException {
        if (connection.isClosed() || !connection.broker().isOpen() && !connection.broker().failoverEnabled()) {
            throw XaErrors.of(XAException.XAER_RMFAIL, "the connection to the broker is closed");
        }
    }

    private Frame await(CompletableFuture<Frame> answer) throws Throwable {
        try {
            return answer.get(connection.requestTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        } catch (TimeoutException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw XaErrors.of(XAException.XAER_RMFAIL, "interrupted while waiting for the broker", e);
        }
    }

    private static WireXid xid(Xid xid) throws XAException {
        try {
            return WireXid.of(xid);
        } catch (IllegalArgumentException e) {
            throw XaErrors.of(XAException.XAER_INVAL, "bad XID: " + e.getMessage(), e);
        }
    }

    private static XAException unknown(WireXid x) {
        return XaErrors.of(XAException.XAER_NOTA, "this connection knows no XA branch " + x);
    }

    private static XAException timedOut(WireXid x) {
        return XaErrors.of(XAException.XA_RBTIMEOUT, "XA branch " + x + " timed out before it was prepared and"
                + " was rolled back");
    }
}
