package io.heraldmq.ra;

import jakarta.jms.ExceptionListener;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import jakarta.resource.spi.ResourceAllocationException;
import jakarta.resource.spi.SecurityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One physical XA connection to the broker, pooled by the application server, and the handles
 * ({@link HeraldConnectionHandle}) applications hold on it.
 * <p>
 * It keeps one XA session for its whole life, whose XAResource is the one the transaction manager enlists
 * ({@link #getXAResource()}); an application's session handle uses it unless a local transaction is active, in which
 * case it uses a transacted session of the same connection ({@link #getLocalTransaction()}). The XA session outside
 * a branch sends at once and acknowledges what it receives (NoTransaction). The XA session is never closed before
 * the connection is destroyed: a branch may still be prepared and committed after the application closed its
 * handle.
 * <p>
 * When the physical connection fails (its failover gave up), every listener gets CONNECTION_ERROR_OCCURRED and the
 * server drops this managed connection from its pool ({@link #isUsable()} is false from then on).
 */
final class HeraldManagedConnection implements ManagedConnection {
    private static final Logger LOG = LoggerFactory.getLogger(HeraldManagedConnection.class);

    private final HeraldManagedConnectionFactory factory;
    private final RaCredentials credentials;
    private final XAConnection physical;
    private final XASession xaSession;
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<HeraldConnectionHandle> handles = ConcurrentHashMap.newKeySet();
    private final HeraldLocalTransaction localTransaction = new HeraldLocalTransaction(this);
    private final RaXAResource xaResource;
    private volatile boolean broken;
    private volatile boolean destroyed;
    private Session localSession;
    private PrintWriter logWriter;

    HeraldManagedConnection(HeraldManagedConnectionFactory factory, RaCredentials credentials)
            throws ResourceException {
        this.factory = factory;
        this.credentials = credentials;
        XAConnection c = null;
        try {
            c = factory.physicalFactory().createXAConnection(credentials.userName(), credentials.password());
            c.setExceptionListener(connectionFailed());
            this.xaSession = c.createXASession();
            c.start();
            this.physical = c;
            this.xaResource = new RaXAResource(xaSession.getXAResource(), factory.completer(credentials));
        } catch (jakarta.jms.JMSSecurityException e) {
            closeQuietly(c);
            throw new SecurityException("broker " + factory.effectiveUrl() + " refused user "
                    + credentials.userName() + ": " + e.getMessage(), e);
        } catch (JMSException e) {
            closeQuietly(c);
            throw new ResourceAllocationException("cannot connect to " + factory.effectiveUrl() + ": "
                    + e.getMessage(), e);
        }
    }

    private ExceptionListener connectionFailed() {
        return e -> {
            broken = true;
            LOG.warn("HeraldMQ connection to {} failed; the pool discards it", factory.effectiveUrl(), e);
            ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_ERROR_OCCURRED, e);
            fire(l -> l.connectionErrorOccurred(event));
        };
    }

    HeraldManagedConnectionFactory factory() {
        return factory;
    }

    RaCredentials credentials() {
        return credentials;
    }

    boolean isUsable() {
        return !broken && !destroyed;
    }

    /** The physical session a new session handle works on now (see the class comment). */
    synchronized Session currentSession() throws JMSException {
        if (!isUsable()) {
            throw new jakarta.jms.IllegalStateException("the connection to the broker is broken or closed");
        }
        return localTransaction.isActive() ? localSession() : xaSession;
    }

    synchronized Session localSession() throws JMSException {
        if (localSession == null) {
            localSession = physical.createSession(true, Session.SESSION_TRANSACTED);
        }
        return localSession;
    }

    XAConnection physical() {
        return physical;
    }

    // ---- handles ----

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        RaCredentials wanted = factory.credentials(subject, info);
        if (!wanted.equals(credentials)) {
            throw new SecurityException("this connection belongs to another user (no re-authentication)");
        }
        HeraldConnectionHandle h = new HeraldConnectionHandle(this);
        handles.add(h);
        return h;
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof HeraldConnectionHandle h)) {
            throw new ResourceException("not a HeraldMQ connection handle: " + connection);
        }
        HeraldManagedConnection old = h.associate(this);
        if (old != null) {
            old.handles.remove(h);
        }
        handles.add(h);
    }

    /** The application closed a handle: the server may give this managed connection to someone else. */
    void handleClosed(HeraldConnectionHandle h) {
        handles.remove(h);
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        event.setConnectionHandle(h);
        fire(l -> l.connectionClosed(event));
    }

    /** A JMS call failed because the connection is gone, not because of the application's input. */
    void handleFailed(JMSException e) {
        if (!broken && !isOpen()) {
            connectionFailed().onException(e);
        }
    }

    private boolean isOpen() {
        try {
            physical.getClientID();
            return true;
        } catch (JMSException e) {
            return false;
        }
    }

    private void fire(Consumer<ConnectionEventListener> call) {
        for (ConnectionEventListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("connection event listener failed", e);
            }
        }
    }

    /** Back to the pool: every handle is closed (their producers and consumers with them). */
    @Override
    public void cleanup() throws ResourceException {
        for (HeraldConnectionHandle h : List.copyOf(handles)) {
            h.invalidate();
        }
        handles.clear();
        localTransaction.abandon();
    }

    @Override
    public void destroy() {
        destroyed = true;
        for (HeraldConnectionHandle h : List.copyOf(handles)) {
            h.invalidate();
        }
        handles.clear();
        closeQuietly(physical);
    }

    private static void closeQuietly(XAConnection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (JMSException | RuntimeException e) {
            LOG.debug("closing a HeraldMQ connection", e);
        }
    }

    // ---- transactions ----

    @Override
    public XAResource getXAResource() throws ResourceException {
        if (destroyed) {
            throw new jakarta.resource.spi.IllegalStateException("destroyed");
        }
        return xaResource;
    }

    @Override
    public LocalTransaction getLocalTransaction() {
        return localTransaction;
    }

    // ---- the rest of the contract ----

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public ManagedConnectionMetaData getMetaData() throws ResourceException {
        return new RaMetaData(credentials.userName());
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }
}
