package io.heraldmq.ra;

import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.TransactionRolledBackException;
import jakarta.jms.TransactionRolledBackRuntimeException;

import java.io.Serializable;

/**
 * The JMSContext an application gets from the resource adapter's connection factory (also what Jakarta EE's
 * {@code @Inject JMSContext} makes): one pooled connection handle and one session handle on it, created when first
 * needed. The session mode is the container's (Jakarta Messaging 3.1, 12.3): in a transaction its work belongs to
 * the transaction; {@code commit}, {@code rollback}, {@code stop}, {@code setClientID}, {@code setExceptionListener}
 * and {@code createContext} throw, as section 12.2 requires of a context in the web and EJB containers.
 */
final class RaJMSContext implements JMSContext {
    private final HeraldConnectionHandle connection;
    private Session session;
    private MessageProducer producer;
    private boolean autoStart = true;
    private volatile boolean closed;

    RaJMSContext(HeraldConnectionHandle connection) {
        this.connection = connection;
    }

    /** The checked exception's runtime twin, as JMS 2 section 7.5 pairs them. */
    static JMSRuntimeException runtime(JMSException e) {
        JMSRuntimeException r;
        if (e instanceof jakarta.jms.IllegalStateException) {
            r = new IllegalStateRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof InvalidDestinationException) {
            r = new InvalidDestinationRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof InvalidSelectorException) {
            r = new InvalidSelectorRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof JMSSecurityException) {
            r = new JMSSecurityRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof TransactionInProgressException) {
            r = new TransactionInProgressRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof TransactionRolledBackException) {
            r = new TransactionRolledBackRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof jakarta.jms.InvalidClientIDException) {
            r = new InvalidClientIDRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof jakarta.jms.MessageFormatException) {
            r = new jakarta.jms.MessageFormatRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else {
            r = new JMSRuntimeException(e.getMessage(), e.getErrorCode(), e);
        }
        return r;
    }

    private synchronized Session session() {
        if (closed) {
            throw new IllegalStateRuntimeException("the JMSContext is closed");
        }
        if (session == null) {
            try {
                session = connection.createSession();
            } catch (JMSException e) {
                throw runtime(e);
            }
        }
        return session;
    }

    synchronized MessageProducer producer() throws JMSException {
        if (producer == null) {
            producer = session().createProducer(null);
        }
        return producer;
    }

    // ---- connection ----

    @Override
    public JMSContext createContext(int sessionMode) {
        throw new IllegalStateRuntimeException("createContext is not allowed on a JMSContext of the application"
                + " server (Jakarta Messaging 3.1, 12.2); inject or create another from the connection factory");
    }

    @Override
    public String getClientID() {
        try {
            return connection.getClientID();
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public void setClientID(String clientID) {
        try {
            connection.setClientID(clientID);
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public ConnectionMetaData getMetaData() {
        try {
            return connection.getMetaData();
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public ExceptionListener getExceptionListener() {
        try {
            return connection.getExceptionListener();
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) {
        try {
            connection.setExceptionListener(listener);
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public void start() {
        try {
            connection.start();
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public void stop() {
        try {
            connection.stop();
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public void setAutoStart(boolean autoStart) {
        this.autoStart = autoStart;
    }

    @Override
    public boolean getAutoStart() {
        return autoStart;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            connection.close();
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    // ---- session ----

    @Override
    public JMSProducer createProducer() {
        session();
        return new RaJMSProducer(this);
    }

    @Override
    public BytesMessage createBytesMessage() {
        try {
            return session().createBytesMessage();
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public MapMessage createMapMessage() {
        try {
            return session().createMapMessage();
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public Message createMessage() {
        try {
            return session().createMessage();
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public ObjectMessage createObjectMessage() {
        try {
            return session().createObjectMessage();
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) {
        try {
            return session().createObjectMessage(object);
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public StreamMessage createStreamMessage() {
        try {
            return session().createStreamMessage();
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public TextMessage createTextMessage() {
        try {
            return session().createTextMessage();
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public TextMessage createTextMessage(String text) {
        try {
            return session().createTextMessage(text);
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public boolean getTransacted() {
        try {
            return session().getTransacted();
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public int getSessionMode() {
        try {
            return session().getAcknowledgeMode();
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public void commit() {
        try {
            session().commit();
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public void rollback() {
        try {
            session().rollback();
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public void recover() {
        try {
            session().recover();
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    /** Sessions of the application server acknowledge automatically or in their transaction: nothing to do. */
    @Override
    public void acknowledge() {
        session();
    }

    private JMSConsumer consumer(ConsumerFactory f) {
        try {
            JMSConsumer c = new RaJMSConsumer(f.create(session()));
            if (autoStart) {
                connection.start();
            }
            return c;
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public JMSConsumer createConsumer(Destination destination) {
        return consumer(s -> s.createConsumer(destination));
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String messageSelector) {
        return consumer(s -> s.createConsumer(destination, messageSelector));
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal) {
        return consumer(s -> s.createConsumer(destination, messageSelector, noLocal));
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) {
        return consumer(s -> s.createSharedConsumer(topic, sharedSubscriptionName));
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector) {
        return consumer(s -> s.createSharedConsumer(topic, sharedSubscriptionName, messageSelector));
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name) {
        return consumer(s -> s.createDurableConsumer(topic, name));
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal) {
        return consumer(s -> s.createDurableConsumer(topic, name, messageSelector, noLocal));
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name) {
        return consumer(s -> s.createSharedDurableConsumer(topic, name));
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector) {
        return consumer(s -> s.createSharedDurableConsumer(topic, name, messageSelector));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) {
        try {
            return session().createBrowser(queue);
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) {
        try {
            return session().createBrowser(queue, messageSelector);
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public Queue createQueue(String queueName) {
        try {
            return session().createQueue(queueName);
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public Topic createTopic(String topicName) {
        try {
            return session().createTopic(topicName);
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public TemporaryQueue createTemporaryQueue() {
        try {
            return session().createTemporaryQueue();
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public TemporaryTopic createTemporaryTopic() {
        try {
            return session().createTemporaryTopic();
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @Override
    public void unsubscribe(String name) {
        try {
            session().unsubscribe(name);
        } catch (JMSException e) {
            throw runtime(e);
        }
    }

    @FunctionalInterface
    private interface ConsumerFactory {
        jakarta.jms.MessageConsumer create(Session s) throws JMSException;
    }
}
