package io.heraldmq.jms;

import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.XAJMSContext;

import javax.transaction.xa.XAResource;

/**
 * An XA context: a {@link HeraldJMSContext} over a {@link HeraldXASession}. It reports itself transacted and refuses
 * the local commit and rollback with {@link TransactionInProgressRuntimeException}; its XAResource is its session's,
 * so its work belongs to a branch between start and end, and outside one is done at once (see
 * {@link HeraldXASession}).
 */
public class HeraldXAJMSContext extends HeraldJMSContext implements XAJMSContext {
    HeraldXAJMSContext(ContextConnection shared) {
        super(shared, Session.SESSION_TRANSACTED);
    }

    @Override
    HeraldSession newSession() throws JMSException {
        return connection().addSession(new HeraldXASession(connection()));
    }

    @Override
    public JMSContext getContext() {
        checkClosed();
        return this;
    }

    @Override
    public XAResource getXAResource() {
        return ((HeraldXASession) session()).getXAResource();
    }

    @Override
    public boolean getTransacted() {
        checkClosed();
        return true;
    }

    @Override
    public void commit() {
        checkClosed();
        throw new TransactionInProgressRuntimeException("an XA context is committed through its XAResource");
    }

    @Override
    public void rollback() {
        checkClosed();
        throw new TransactionInProgressRuntimeException("an XA context is rolled back through its XAResource");
    }

    @Override
    public void recover() {
        checkClosed();
        throw new IllegalStateRuntimeException("recover is not allowed on a transacted (XA) context");
    }
}
