package io.heraldmq.jms;

import jakarta.jms.JMSException;
import jakarta.jms.XAConnection;
import jakarta.jms.XAConnectionFactory;
import jakarta.jms.XAJMSContext;
import jakarta.jms.XAQueueConnection;
import jakarta.jms.XAQueueConnectionFactory;
import jakarta.jms.XATopicConnection;
import jakarta.jms.XATopicConnectionFactory;

/**
 * A connection factory that also makes XA connections and contexts, for application servers that ask for one. It
 * takes the same URL and options as {@link HeraldConnectionFactory}.
 * <p>
 * Its XA sessions take part in two-phase commit through their {@link HeraldXAResource}: a transaction manager
 * enlists them, and the broker keeps a prepared branch durably until the outcome (see {@link HeraldXAResource}).
 * A clustered broker refuses XA for now.
 */
public class HeraldXAConnectionFactory extends HeraldConnectionFactory
        implements XAConnectionFactory, XAQueueConnectionFactory, XATopicConnectionFactory {
    private static final long serialVersionUID = 1L;

    public HeraldXAConnectionFactory(String brokerUrl) {
        super(brokerUrl);
    }

    @Override
    public XAConnection createXAConnection() throws JMSException {
        return createXAConnection(null, null);
    }

    @Override
    public XAConnection createXAConnection(String userName, String password) throws JMSException {
        return new HeraldXAConnection(HeraldConnection.open(this, userName, password));
    }

    @Override
    public XAQueueConnection createXAQueueConnection() throws JMSException {
        return createXAQueueConnection(null, null);
    }

    @Override
    public XAQueueConnection createXAQueueConnection(String userName, String password) throws JMSException {
        return new HeraldXAConnection(HeraldConnection.open(this, userName, password));
    }

    @Override
    public XATopicConnection createXATopicConnection() throws JMSException {
        return createXATopicConnection(null, null);
    }

    @Override
    public XATopicConnection createXATopicConnection(String userName, String password) throws JMSException {
        return new HeraldXAConnection(HeraldConnection.open(this, userName, password));
    }

    @Override
    public XAJMSContext createXAContext() {
        return createXAContext(null, null);
    }

    @Override
    public XAJMSContext createXAContext(String userName, String password) {
        return (XAJMSContext) HeraldJMSContext.open(this, userName, password, jakarta.jms.Session.SESSION_TRANSACTED,
                true);
    }

    @Override
    public String toString() {
        return "HeraldXAConnectionFactory[" + getBrokerUrl() + "]";
    }
}
