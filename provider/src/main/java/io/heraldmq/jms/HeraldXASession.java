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
 * While its XAResource associates it with a branch (start ... end), its sends are buffered in the branch and what it
 * receives is held for it (see {@link HeraldXAResource}). Outside a branch it works as a session outside a global
 * transaction (Jakarta Messaging 3.1, section 6.2.8 leaves this to the provider; Artemis does the same): sends take
 * effect at once and received messages are acknowledged as in AUTO_ACKNOWLEDGE. Closing it does not end its branch:
 * the transaction manager still ends, prepares and commits it through the XAResource, and what it received stays
 * held for the branch until then.
 */
public class HeraldXASession extends HeraldSession implements XASession, XAQueueSession, XATopicSession {
    private final HeraldXAResource xaResource;

    HeraldXASession(HeraldConnection connection) {
        super(connection, Session.AUTO_ACKNOWLEDGE);
        this.xaResource = new HeraldXAResource(this);
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

    // ---- in a branch or not ----

    @Override
    boolean isTransacted() {
        return xaResource.current() != null;
    }

    @Override
    TransactedSends transactedSends() {
        XaBranch b = xaResource.current();
        return b == null ? null : b.sends;
    }

    @Override
    int ackMode() {
        return xaResource.current() != null ? SESSION_TRANSACTED : AUTO_ACKNOWLEDGE;
    }

    @Override
    void connectionInterrupted() {
        xaResource.connectionInterrupted();
        super.connectionInterrupted();
    }

    @Override
    public void close() throws JMSException {
        xaResource.sessionClosing();
        super.close();
    }
}
