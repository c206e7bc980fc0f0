package io.heraldmq.ra;

import io.heraldmq.jms.HeraldXAConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.XAConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The XAResource the transaction manager recovers with ({@link HeraldResourceAdapter#getXAResources}): it opens a
 * connection when first asked (the broker may be down when the server starts, and come back later) and again after
 * that connection failed, and passes recover, commit, rollback and forget on; a HeraldMQ connection completes a
 * branch any other connection prepared. It never takes part in new work.
 */
final class RecoveryXAResource implements XAResource {
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryXAResource.class);

    private final String url;
    private final String user;
    private final String password;
    private XAConnection connection;
    private XAResource resource;

    RecoveryXAResource(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    private synchronized XAResource resource() throws XAException {
        if (resource == null) {
            try {
                HeraldXAConnectionFactory f = new HeraldXAConnectionFactory(url);
                f.setReconnectTimeoutMs(0);
                connection = f.createXAConnection(user, password);
                connection.setExceptionListener(e -> dropConnection());
                resource = connection.createXASession().getXAResource();
            } catch (JMSException | RuntimeException e) {
                dropConnection();
                XAException x = new XAException("cannot reach " + url + " for recovery: " + e.getMessage());
                x.errorCode = XAException.XAER_RMFAIL;
                x.initCause(e);
                throw x;
            }
        }
        return resource;
    }

    private synchronized void dropConnection() {
        resource = null;
        if (connection != null) {
            try {
                connection.close();
            } catch (JMSException e) {
                LOG.debug("closing the recovery connection", e);
            }
            connection = null;
        }
    }

    private <T> T call(XaCall<T> c) throws XAException {
        try {
            return c.call(resource());
        } catch (XAException e) {
            if (e.errorCode == XAException.XAER_RMFAIL) {
                dropConnection();
            }
            throw e;
        }
    }

    void close() {
        dropConnection();
    }

    @Override
    public Xid[] recover(int flag) throws XAException {
        Xid[] prepared = call(r -> r.recover(flag));
        if ((flag & TMSTARTRSCAN) != 0) {
            LOG.info("HeraldMQ recovery scan of {}: {} prepared branch(es)", url, prepared.length);
        }
        return prepared;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        call(r -> {
            r.commit(xid, onePhase);
            return null;
        });
        LOG.info("HeraldMQ XA branch {} committed through the recovery connection to {}", xid, url);
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        call(r -> {
            r.rollback(xid);
            return null;
        });
        LOG.info("HeraldMQ XA branch {} rolled back through the recovery connection to {}", xid, url);
    }

    @Override
    public void forget(Xid xid) throws XAException {
        call(r -> {
            r.forget(xid);
            return null;
        });
    }

    @Override
    public boolean isSameRM(XAResource other) {
        return other == this;
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        throw proto();
    }

    @Override
    public void start(Xid xid, int flags) throws XAException {
        throw proto();
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        throw proto();
    }

    private static XAException proto() {
        XAException x = new XAException("a recovery resource takes no new work");
        x.errorCode = XAException.XAER_PROTO;
        return x;
    }

    @Override
    public int getTransactionTimeout() {
        return 0;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
        return false;
    }

    @FunctionalInterface
    private interface XaCall<T> {
        T call(XAResource r) throws XAException;
    }

    @Override
    public String toString() {
        return "HeraldMQ recovery resource for " + url;
    }
}
