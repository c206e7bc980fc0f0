package io.heraldmq.jms;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The XAResource of an XA session or context. XA (two-phase commit with an external transaction manager) is not
 * supported yet: every method throws {@link XAException} with {@link XAException#XAER_RMERR}, so a transaction
 * manager that tries to enlist HeraldMQ fails at once and clearly. Real XA comes with the resource adapter.
 */
final class HeraldXAResource implements XAResource {
    static final String NOT_SUPPORTED = "XA is not supported yet by HeraldMQ";

    private static XAException notSupported() {
        XAException e = new XAException(NOT_SUPPORTED);
        e.errorCode = XAException.XAER_RMERR;
        return e;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        throw notSupported();
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        throw notSupported();
    }

    @Override
    public void forget(Xid xid) throws XAException {
        throw notSupported();
    }

    @Override
    public int getTransactionTimeout() throws XAException {
        throw notSupported();
    }

    @Override
    public boolean isSameRM(XAResource xares) throws XAException {
        throw notSupported();
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        throw notSupported();
    }

    @Override
    public Xid[] recover(int flag) throws XAException {
        throw notSupported();
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        throw notSupported();
    }

    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
        throw notSupported();
    }

    @Override
    public void start(Xid xid, int flags) throws XAException {
        throw notSupported();
    }
}
