package io.heraldmq.ra;

import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSender;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.XASession;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A session handle on the managed connection's physical session (its XA session, or its transacted session during
 * a local transaction). Closing it closes the producers, consumers and browsers made through it, not the physical
 * session, which the pool reuses. The container owns the transaction: {@code commit} and {@code rollback} throw
 * {@link TransactionInProgressException}; message listeners are not allowed (Jakarta Messaging 3.1, 12.2).
 */
final class HeraldSessionHandle implements QueueSession, TopicSession {
    private final HeraldConnectionHandle connection;
    private final Session physical;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private volatile boolean closed;

    HeraldSessionHandle(HeraldConnectionHandle connection, Session physical) {
        this.connection = connection;
        this.physical = physical;
    }

    private Session s() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("the session is closed");
        }
        return physical;
    }

    private synchronized <T extends AutoCloseable> T track(T t) {
        opened.add(t);
        return t;
    }

    void closeQuietly() {
        try {
            closeOpened();
        } catch (JMSException ignored) {
            // the connection is broken; its objects die with it
        }
        closed = true;
    }

    private void closeOpened() throws JMSException {
        List<AutoCloseable> all;
        synchronized (this) {
            all = List.copyOf(opened);
            opened.clear();
        }
        JMSException first = null;
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (JMSException e) {
                first = first == null ? e : first;
            } catch (Exception e) {
                first = first == null ? new JMSException(e.toString()) : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        closed = true;
        connection.sessionClosed(this);
        closeOpened();
    }

    // ---- messages ----

    @Override
    public BytesMessage createBytesMessage() throws JMSException {
        return s().createBytesMessage();
    }

    @Override
    public MapMessage createMapMessage() throws JMSException {
        return s().createMapMessage();
    }

    @Override
    public Message createMessage() throws JMSException {
        return s().createMessage();
    }

    @Override
    public ObjectMessage createObjectMessage() throws JMSException {
        return s().createObjectMessage();
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) throws JMSException {
        return s().createObjectMessage(object);
    }

    @Override
    public StreamMessage createStreamMessage() throws JMSException {
        return s().createStreamMessage();
    }

    @Override
    public TextMessage createTextMessage() throws JMSException {
        return s().createTextMessage();
    }

    @Override
    public TextMessage createTextMessage(String text) throws JMSException {
        return s().createTextMessage(text);
    }

    // ---- transaction ----

    @Override
    public boolean getTransacted() throws JMSException {
        return s().getTransacted();
    }

    @Override
    public int getAcknowledgeMode() throws JMSException {
        return s().getAcknowledgeMode();
    }

    @Override
    public void commit() throws JMSException {
        s();
        throw new TransactionInProgressException("the application server commits this session's transaction");
    }

    @Override
    public void rollback() throws JMSException {
        s();
        throw new TransactionInProgressException("the application server rolls back this session's transaction;"
                + " mark it rollback-only instead");
    }

    @Override
    public void recover() throws JMSException {
        if (s().getTransacted() && !(physical instanceof XASession)) {
            throw new IllegalStateException("recover is not allowed in a transaction");
        }
        physical.recover();
    }

    @Override
    public MessageListener getMessageListener() throws JMSException {
        throw noListener();
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        throw noListener();
    }

    private static IllegalStateException noListener() {
        return new IllegalStateException("message listeners are not allowed in the application server"
                + " (Jakarta Messaging 3.1, 12.2); use a message-driven bean");
    }

    @Override
    public void run() {
        throw new UnsupportedOperationException("not an application server facility");
    }

    // ---- producers, consumers, browsers ----

    @Override
    public MessageProducer createProducer(Destination destination) throws JMSException {
        return track(s().createProducer(destination));
    }

    @Override
    public MessageConsumer createConsumer(Destination destination) throws JMSException {
        return track(s().createConsumer(destination));
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector) throws JMSException {
        return track(s().createConsumer(destination, messageSelector));
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal)
            throws JMSException {
        return track(s().createConsumer(destination, messageSelector, noLocal));
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) throws JMSException {
        return track(s().createSharedConsumer(topic, sharedSubscriptionName));
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector)
            throws JMSException {
        return track(s().createSharedConsumer(topic, sharedSubscriptionName, messageSelector));
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws JMSException {
        return track(s().createDurableSubscriber(topic, name));
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name, String messageSelector,
                                                   boolean noLocal) throws JMSException {
        return track(s().createDurableSubscriber(topic, name, messageSelector, noLocal));
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
        return track(s().createDurableConsumer(topic, name));
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal)
            throws JMSException {
        return track(s().createDurableConsumer(topic, name, messageSelector, noLocal));
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws JMSException {
        return track(s().createSharedDurableConsumer(topic, name));
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector)
            throws JMSException {
        return track(s().createSharedDurableConsumer(topic, name, messageSelector));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) throws JMSException {
        return track(s().createBrowser(queue));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) throws JMSException {
        return track(s().createBrowser(queue, messageSelector));
    }

    @Override
    public QueueReceiver createReceiver(Queue queue) throws JMSException {
        return track(((QueueSession) s()).createReceiver(queue));
    }

    @Override
    public QueueReceiver createReceiver(Queue queue, String messageSelector) throws JMSException {
        return track(((QueueSession) s()).createReceiver(queue, messageSelector));
    }

    @Override
    public QueueSender createSender(Queue queue) throws JMSException {
        return track(((QueueSession) s()).createSender(queue));
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic) throws JMSException {
        return track(((TopicSession) s()).createSubscriber(topic));
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic, String messageSelector, boolean noLocal)
            throws JMSException {
        return track(((TopicSession) s()).createSubscriber(topic, messageSelector, noLocal));
    }

    @Override
    public TopicPublisher createPublisher(Topic topic) throws JMSException {
        return track(((TopicSession) s()).createPublisher(topic));
    }

    // ---- destinations ----

    @Override
    public Queue createQueue(String queueName) throws JMSException {
        return s().createQueue(queueName);
    }

    @Override
    public Topic createTopic(String topicName) throws JMSException {
        return s().createTopic(topicName);
    }

    @Override
    public TemporaryQueue createTemporaryQueue() throws JMSException {
        return s().createTemporaryQueue();
    }

    @Override
    public TemporaryTopic createTemporaryTopic() throws JMSException {
        return s().createTemporaryTopic();
    }

    @Override
    public void unsubscribe(String name) throws JMSException {
        s().unsubscribe(name);
    }
}
