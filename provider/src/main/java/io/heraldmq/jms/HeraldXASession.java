package io.heraldmq.jms;

import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TopicSession;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.XAQueueSession;
import jakarta.jms.XASession;
import jakarta.jms.XATopicSession;

import javax.transaction.xa.XAResource;

/**
 * An XA session. Its transactions belong to a transaction manager through {@link #getXAResource()}, so it reports
 * itself transacted and refuses the local {@link #commit()} and {@link #rollback()} with
 * {@link TransactionInProgressException}, as the specification requires.
 * <p>
 * XA is not supported yet (the XAResource refuses every call; the resource adapter will bring it), so no global
 * transaction can ever be started. Work on this session is therefore done as outside a global transaction: sends
 * take effect at once and received messages are acknowledged as in AUTO_ACKNOWLEDGE.
 */
public class HeraldXASession extends HeraldSession implements XASession, XAQueueSession, XATopicSession {
    private final HeraldXAResource xaResource = new HeraldXAResource();

    HeraldXASession(HeraldConnection connection) {
        super(connection, Session.AUTO_ACKNOWLEDGE);
    }

    @Override
    public Session getSession() throws JMSException {
        checkClosed();
        return this;
    }

    @Override
    public QueueSession getQueueSession() throws JMSException {
        checkClosed();
        return this;
    }

    @Override
    public TopicSession getTopicSession() throws JMSException {
        checkClosed();
        return this;
    }

    @Override
    public XAResource getXAResource() {
        return xaResource;
    }

    /** Always true for an XA session. */
    @Override
    public boolean getTransacted() throws JMSException {
        checkClosed();
        return true;
    }

    @Override
    public int getAcknowledgeMode() throws JMSException {
        checkClosed();
        return SESSION_TRANSACTED;
    }

    @Override
    public void commit() throws JMSException {
        checkClosed();
        throw new TransactionInProgressException("an XA session is committed through its XAResource");
    }

    @Override
    public void rollback() throws JMSException {
        checkClosed();
        throw new TransactionInProgressException("an XA session is rolled back through its XAResource");
    }

    /** Like any transacted session. */
    @Override
    public void recover() throws JMSException {
        checkClosed();
        throw new IllegalStateException("recover is not allowed on a transacted (XA) session");
    }
}
