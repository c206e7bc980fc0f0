package io.heraldmq.ra;

import io.heraldmq.jms.JmsRuntimeExceptions;
import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;
import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.SecurityException;

import javax.naming.Reference;
import java.io.Serializable;

/**
 * The {@link jakarta.jms.ConnectionFactory} an application looks up or injects: every connection is a handle the
 * server's connection manager allocates from its pool of {@link HeraldManagedConnection}s (and enlists in the
 * current transaction). {@code createContext} wraps such a handle and one session of it ({@link RaJMSContext}).
 */
final class HeraldRaConnectionFactory implements QueueConnectionFactory, TopicConnectionFactory, Referenceable,
        Serializable {
    private static final long serialVersionUID = 1L;

    private final HeraldManagedConnectionFactory mcf;
    private final ConnectionManager manager;
    private Reference reference;

    HeraldRaConnectionFactory(HeraldManagedConnectionFactory mcf, ConnectionManager manager) {
        this.mcf = mcf;
        this.manager = manager;
    }

    private HeraldConnectionHandle allocate(String user, String password) throws JMSException {
        try {
            return (HeraldConnectionHandle) manager.allocateConnection(mcf,
                    user == null ? null : new RaCredentials(user, password));
        } catch (SecurityException e) {
            JMSSecurityException j = new JMSSecurityException(e.getMessage());
            j.setLinkedException(e);
            throw j;
        } catch (ResourceException e) {
            JMSException j = new JMSException("no HeraldMQ connection from the pool: " + e.getMessage());
            j.setLinkedException(e);
            j.initCause(e);
            throw j;
        }
    }

    @Override
    public Connection createConnection() throws JMSException {
        return allocate(null, null);
    }

    @Override
    public Connection createConnection(String userName, String password) throws JMSException {
        return allocate(userName, password);
    }

    @Override
    public QueueConnection createQueueConnection() throws JMSException {
        return allocate(null, null);
    }

    @Override
    public QueueConnection createQueueConnection(String userName, String password) throws JMSException {
        return allocate(userName, password);
    }

    @Override
    public TopicConnection createTopicConnection() throws JMSException {
        return allocate(null, null);
    }

    @Override
    public TopicConnection createTopicConnection(String userName, String password) throws JMSException {
        return allocate(userName, password);
    }

    @Override
    public JMSContext createContext() {
        return createContext(null, null);
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        try {
            return new RaJMSContext(allocate(userName, password));
        } catch (JMSException e) {
            throw JmsRuntimeExceptions.of(e);
        }
    }

    /** The session mode is the container's to decide (Jakarta Messaging 3.1, 12.3). */
    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        return createContext(userName, password);
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        return createContext(null, null);
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }

    @Override
    public String toString() {
        return "HeraldRaConnectionFactory[" + mcf.effectiveUrl() + "]";
    }
}
