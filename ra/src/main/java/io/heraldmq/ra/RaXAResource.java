package io.heraldmq.ra;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The XAResource the application server enlists: a session's own resource, plus a way to finish a prepared branch
 * when that session's connection is gone.
 * <p>
 * When the broker (or the connection to it) fails between prepare and commit, the session's resource answers
 * XAER_RMFAIL and its connection is discarded. This wrapper then commits or rolls back the branch through another
 * connection ({@link RecoveryXAResource}: any HeraldMQ connection completes a branch another one prepared); if the
 * broker is still unreachable it answers {@link XAException#XA_RETRY}, which tells the transaction manager that the
 * branch stays prepared and to call again later (GlassFish and Payara retry only on XA_RETRY; they give up on
 * XAER_RMFAIL). Invariant: XAER_NOTA from the second connection after an unanswered commit (or rollback) means the
 * broker applied the first one before it went away, since a broker never decides a prepared branch by itself (an
 * operator's heuristic decision is remembered and answered XA_HEURCOM/XA_HEURRB instead), so it is success.
 */
final class RaXAResource implements XAResource {
    private static final Logger LOG = LoggerFactory.getLogger(RaXAResource.class);

    private final XAResource session;
    private final RecoveryXAResource completer;

    RaXAResource(XAResource session, RecoveryXAResource completer) {
        this.session = session;
        this.completer = completer;
    }

    private static boolean unreachable(XAException e) {
        return e.errorCode == XAException.XAER_RMFAIL;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        try {
            session.commit(xid, onePhase);
        } catch (XAException e) {
            if (onePhase || !unreachable(e)) {
                throw e;
            }
            completeElsewhere(xid, true, e);
        }
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        try {
            session.rollback(xid);
        } catch (XAException e) {
            if (!unreachable(e)) {
                throw e;
            }
            completeElsewhere(xid, false, e);
        }
    }

    private void completeElsewhere(Xid xid, boolean commit, XAException first) throws XAException {
        String what = commit ? "commit" : "rollback";
        try {
            if (commit) {
                completer.commit(xid, false);
            } else {
                completer.rollback(xid);
            }
            LOG.info("HeraldMQ XA branch {}: {} completed through another connection after: {}", xid, what,
                    first.getMessage());
        } catch (XAException again) {
            if (again.errorCode == XAException.XAER_NOTA) {
                LOG.info("HeraldMQ XA branch {}: the broker had applied the {} before the connection was lost", xid,
                        what);
                return;
            }
            if (!unreachable(again)) {
                throw again;
            }
            LOG.warn("HeraldMQ XA branch {} stays prepared: the broker is unreachable; the transaction manager is "
                    + "asked to {} again later (XA_RETRY)", xid, what, again);
            XAException retry = new XAException("the broker is unreachable; the branch stays prepared: "
                    + again.getMessage());
            retry.errorCode = XAException.XA_RETRY;
            retry.initCause(again);
            throw retry;
        }
    }

    @Override
    public void start(Xid xid, int flags) throws XAException {
        session.start(xid, flags);
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        session.end(xid, flags);
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        return session.prepare(xid);
    }

    @Override
    public void forget(Xid xid) throws XAException {
        try {
            session.forget(xid);
        } catch (XAException e) {
            if (!unreachable(e)) {
                throw e;
            }
            completer.forget(xid);
        }
    }

    @Override
    public Xid[] recover(int flag) throws XAException {
        try {
            return session.recover(flag);
        } catch (XAException e) {
            if (!unreachable(e)) {
                throw e;
            }
            return completer.recover(flag);
        }
    }

    /** Same resource manager only for resources of one connection (see HeraldXAResource#isSameRM). */
    @Override
    public boolean isSameRM(XAResource other) throws XAException {
        return other instanceof RaXAResource r ? session.isSameRM(r.session) : session.isSameRM(other);
    }

    @Override
    public int getTransactionTimeout() throws XAException {
        return session.getTransactionTimeout();
    }

    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
        return session.setTransactionTimeout(seconds);
    }

    @Override
    public String toString() {
        return "HeraldMQ XAResource[" + session + "]";
    }
}
