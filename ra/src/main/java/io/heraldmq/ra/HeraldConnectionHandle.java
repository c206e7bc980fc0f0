package io.heraldmq.ra;

import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.ServerSessionPool;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link jakarta.jms.Connection} an application gets from the resource adapter's connection factory: a handle on
 * a pooled {@link HeraldManagedConnection}. Its sessions are handles on the managed connection's physical session
 * ({@link HeraldSessionHandle}); the session arguments are ignored, as Jakarta Messaging 3.1 section 12.3 allows
 * in the Jakarta EE web and EJB containers (the container's transaction decides). The methods that section forbids
 * there ({@code setClientID}, {@code setExceptionListener}, {@code stop}, connection consumers) throw
 * {@link IllegalStateException}. Closing it closes its sessions and gives the managed connection back to the pool.
 */
final class HeraldConnectionHandle implements QueueConnection, TopicConnection {
    private final Set<HeraldSessionHandle> sessions = ConcurrentHashMap.newKeySet();
    private volatile HeraldManagedConnection mc;
    private volatile boolean closed;

    HeraldConnectionHandle(HeraldManagedConnection mc) {
        this.mc = mc;
    }

    /** @return the managed connection it belonged to before */
    HeraldManagedConnection associate(HeraldManagedConnection to) {
        HeraldManagedConnection old = mc;
        mc = to;
        return old;
    }

    private HeraldManagedConnection managed() throws IllegalStateException {
        HeraldManagedConnection m = mc;
        if (closed || m == null) {
            throw new IllegalStateException("the connection is closed");
        }
        return m;
    }

    private HeraldSessionHandle newSession() throws JMSException {
        HeraldManagedConnection m = managed();
        try {
            HeraldSessionHandle s = new HeraldSessionHandle(this, m.currentSession());
            sessions.add(s);
            return s;
        } catch (JMSException e) {
            m.handleFailed(e);
            throw e;
        }
    }

    void sessionClosed(HeraldSessionHandle s) {
        sessions.remove(s);
    }

    @Override
    public Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return newSession();
    }

    @Override
    public Session createSession(int sessionMode) throws JMSException {
        return newSession();
    }

    @Override
    public Session createSession() throws JMSException {
        return newSession();
    }

    @Override
    public QueueSession createQueueSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return newSession();
    }

    @Override
    public TopicSession createTopicSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return newSession();
    }

    @Override
    public String getClientID() throws JMSException {
        return managed().physical().getClientID();
    }

    @Override
    public void setClientID(String clientID) throws JMSException {
        throw new IllegalStateException("setClientID is not allowed on a connection of the application server"
                + " (Jakarta Messaging 3.1, 12.2); set the connection pool's clientID property");
    }

    @Override
    public ConnectionMetaData getMetaData() throws JMSException {
        return managed().physical().getMetaData();
    }

    @Override
    public ExceptionListener getExceptionListener() throws JMSException {
        managed();
        return null;
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) throws JMSException {
        throw new IllegalStateException("setExceptionListener is not allowed on a connection of the application"
                + " server (Jakarta Messaging 3.1, 12.2)");
    }

    /** The physical connection is started already. */
    @Override
    public void start() throws JMSException {
        managed();
    }

    @Override
    public void stop() throws JMSException {
        throw new IllegalStateException("stop is not allowed on a connection of the application server"
                + " (Jakarta Messaging 3.1, 12.2)");
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        closeSessions();
        closed = true;
        HeraldManagedConnection m = mc;
        if (m != null) {
            m.handleClosed(this);
        }
    }

    /** The managed connection went back to the pool or was destroyed: this handle is dead. */
    void invalidate() {
        closeSessions();
        closed = true;
        mc = null;
    }

    private void closeSessions() {
        for (HeraldSessionHandle s : Set.copyOf(sessions)) {
            s.closeQuietly();
        }
        sessions.clear();
    }

    private static IllegalStateException noConnectionConsumer() {
        return new IllegalStateException("connection consumers are not allowed in the application server"
                + " (Jakarta Messaging 3.1, 12.2); use a message-driven bean");
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Destination destination, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw noConnectionConsumer();
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Queue queue, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw noConnectionConsumer();
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Topic topic, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw noConnectionConsumer();
    }

    @Override
    public ConnectionConsumer createSharedConnectionConsumer(Topic topic, String subscriptionName,
                                                             String messageSelector, ServerSessionPool sessionPool,
                                                             int maxMessages) throws JMSException {
        throw noConnectionConsumer();
    }

    @Override
    public ConnectionConsumer createDurableConnectionConsumer(Topic topic, String subscriptionName,
                                                              String messageSelector, ServerSessionPool sessionPool,
                                                              int maxMessages) throws JMSException {
        throw noConnectionConsumer();
    }

    @Override
    public ConnectionConsumer createSharedDurableConnectionConsumer(Topic topic, String subscriptionName,
                                                                    String messageSelector,
                                                                    ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw noConnectionConsumer();
    }
}
