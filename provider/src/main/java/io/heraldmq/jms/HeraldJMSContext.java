package io.heraldmq.jms;

import io.heraldmq.jms.message.HeraldBytesMessage;
import io.heraldmq.jms.message.HeraldMapMessage;
import io.heraldmq.jms.message.HeraldMessage;
import io.heraldmq.jms.message.HeraldObjectMessage;
import io.heraldmq.jms.message.HeraldStreamMessage;
import io.heraldmq.jms.message.HeraldTextMessage;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
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

import java.io.Serializable;

import static io.heraldmq.jms.JmsRuntimeExceptions.call;
import static io.heraldmq.jms.JmsRuntimeExceptions.run;

/**
 * The simplified API's context: a thin facade over a {@link HeraldConnection} (shared by the contexts made with
 * {@link #createContext(int)}, closed with the last of them) and one {@link HeraldSession}, created at first use so
 * that {@link #setClientID} can still be called right after the context is created. Checked exceptions of the
 * classic objects become the matching {@link JMSRuntimeException}s.
 * <p>
 * A context may also stand on a connection lent to it ({@link #HeraldJMSContext(Connection, int)}), such as a
 * resource adapter's pooled connection handle.
 * <p>
 * Like a session, a context is for one thread at a time.
 */
public class HeraldJMSContext implements JMSContext {
    /** The context whose CompletionListener is running on this thread, if any. */
    private static final ThreadLocal<HeraldJMSContext> COMPLETING = new ThreadLocal<>();

    /** The connection this context shares with the contexts it made; null for a lent connection. */
    private final ContextConnection shared;
    private final Connection connection;
    private final int sessionMode;
    private final Object lock = new Object();
    private Session session;
    private MessageProducer producer;
    private volatile boolean autoStart = true;
    private volatile boolean closed;

    HeraldJMSContext(ContextConnection shared, int sessionMode) {
        this.shared = shared;
        this.connection = shared.connection();
        this.sessionMode = sessionMode;
    }

    /**
     * A context over a connection someone else owns and lends it, such as an application server's pooled connection
     * handle: its session is the connection's {@code createSession(sessionMode)}, made at first use, whose producers
     * and consumers must be this provider's (a handle passing on a HeraldMQ session's is); closing the context
     * closes that session and then the connection (a handle goes back to its pool); {@link #createContext} throws,
     * since the connection is not this context's to share. What the connection or session refuses, the context
     * refuses with the runtime twin of their exception, so the lender's rules are the context's.
     */
    protected HeraldJMSContext(Connection lent, int sessionMode) {
        checkSessionMode(sessionMode);
        this.shared = null;
        this.connection = lent;
        this.sessionMode = sessionMode;
    }

    static void checkSessionMode(int sessionMode) {
        if (sessionMode != Session.AUTO_ACKNOWLEDGE && sessionMode != Session.CLIENT_ACKNOWLEDGE
                && sessionMode != Session.DUPS_OK_ACKNOWLEDGE && sessionMode != Session.SESSION_TRANSACTED) {
            throw new JMSRuntimeException("invalid session mode " + sessionMode);
        }
    }

    /** Opens a connection and a context on it; the connection is closed again if the context cannot be made. */
    static HeraldJMSContext open(HeraldConnectionFactory factory, String user, String password, int sessionMode,
                                 boolean xa) {
        checkSessionMode(sessionMode);
        HeraldConnection c = call(() -> HeraldConnection.open(factory, user, password));
        ContextConnection shared = new ContextConnection(c);
        return xa ? new HeraldXAJMSContext(shared) : new HeraldJMSContext(shared, sessionMode);
    }

    // ---- for producers and consumers of this context ----

    void checkClosed() {
        if (closed) {
            throw new IllegalStateRuntimeException("the JMSContext is closed");
        }
    }

    /** The session, created at first use. */
    Session session() {
        synchronized (lock) {
            checkClosed();
            if (session == null) {
                session = call(this::newSession);
            }
            return session;
        }
    }

    /** The session of a new context; an XA context has its own kind. */
    Session newSession() throws JMSException {
        return connection.createSession(sessionMode);
    }

    /** The provider's own connection (not for a context over a lent one). */
    HeraldConnection connection() {
        return (HeraldConnection) connection;
    }

    /** Every JMSProducer of a context sends through one anonymous classic producer, as they share the session. */
    MessageProducer producer() {
        Session s = session();
        synchronized (lock) {
            if (producer == null) {
                producer = call(() -> s.createProducer(null));
            }
            return producer;
        }
    }

    /** Marks the thread as running one of this context's completion listeners, where some calls are illegal. */
    CompletionListener completionListener(CompletionListener l) {
        return new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                HeraldJMSContext previous = COMPLETING.get();
                COMPLETING.set(HeraldJMSContext.this);
                try {
                    l.onCompletion(message);
                } finally {
                    COMPLETING.set(previous);
                }
            }

            @Override
            public void onException(Message message, Exception exception) {
                HeraldJMSContext previous = COMPLETING.get();
                COMPLETING.set(HeraldJMSContext.this);
                try {
                    l.onException(message, exception);
                } finally {
                    COMPLETING.set(previous);
                }
            }
        };
    }

    private void notInCompletionListener(String method) {
        if (COMPLETING.get() == this) {
            throw new IllegalStateRuntimeException("a CompletionListener must not call " + method
                    + " on its own JMSContext");
        }
    }

    private boolean onOwnListenerThread() {
        Session s;
        synchronized (lock) {
            s = session;
        }
        return s instanceof HeraldSession hs && hs.onListenerThread();
    }

    // ---- contexts, connection ----

    @Override
    public JMSContext createContext(int sessionMode) {
        checkClosed();
        checkSessionMode(sessionMode);
        if (shared == null) {
            throw new IllegalStateRuntimeException("this context's connection is lent to it and cannot be shared"
                    + " with another context; create another from the connection factory");
        }
        if (!shared.acquire()) {
            throw new IllegalStateRuntimeException("the connection is closed");
        }
        return new HeraldJMSContext(shared, sessionMode);
    }

    @Override
    public String getClientID() {
        checkClosed();
        return call(connection::getClientID);
    }

    @Override
    public void setClientID(String clientID) {
        checkClosed();
        run(() -> connection.setClientID(clientID));
    }

    @Override
    public ConnectionMetaData getMetaData() {
        checkClosed();
        return call(connection::getMetaData);
    }

    @Override
    public ExceptionListener getExceptionListener() {
        checkClosed();
        return call(connection::getExceptionListener);
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) {
        checkClosed();
        run(() -> connection.setExceptionListener(listener));
    }

    @Override
    public void start() {
        checkClosed();
        run(connection::start);
    }

    /**
     * Stops delivery on the connection and waits for running message listeners to return. From a message listener
     * of any context on this connection it throws {@link IllegalStateRuntimeException}, one of the two behaviours
     * the specification allows (the other would be a deadlock to avoid).
     */
    @Override
    public void stop() {
        checkClosed();
        run(connection::stop);
    }

    @Override
    public void setAutoStart(boolean autoStart) {
        checkClosed();
        this.autoStart = autoStart;
    }

    @Override
    public boolean getAutoStart() {
        checkClosed();
        return autoStart;
    }

    /**
     * Closes the session and its producers and consumers, and the connection if no other context uses it. Closing a
     * closed context does nothing. From this context's own message listener or completion listener it throws
     * {@link IllegalStateRuntimeException}.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        notInCompletionListener("close");
        if (onOwnListenerThread()) {
            throw new IllegalStateRuntimeException("a MessageListener must not close its own JMSContext");
        }
        Session s;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            s = session;
        }
        try {
            if (s != null) {
                run(s::close);
            }
        } finally {
            run(shared != null ? shared::release : connection::close);
        }
    }

    // ---- messages (a context makes them without needing its session) ----

    @Override
    public BytesMessage createBytesMessage() {
        checkClosed();
        return new HeraldBytesMessage();
    }

    @Override
    public MapMessage createMapMessage() {
        checkClosed();
        return new HeraldMapMessage();
    }

    @Override
    public Message createMessage() {
        checkClosed();
        return new HeraldMessage();
    }

    @Override
    public ObjectMessage createObjectMessage() {
        checkClosed();
        return new HeraldObjectMessage();
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) {
        ObjectMessage m = createObjectMessage();
        run(() -> m.setObject(object));
        return m;
    }

    @Override
    public StreamMessage createStreamMessage() {
        checkClosed();
        return new HeraldStreamMessage();
    }

    @Override
    public TextMessage createTextMessage() {
        checkClosed();
        return new HeraldTextMessage();
    }

    @Override
    public TextMessage createTextMessage(String text) {
        TextMessage m = createTextMessage();
        run(() -> m.setText(text));
        return m;
    }

    // ---- session ----

    @Override
    public boolean getTransacted() {
        checkClosed();
        return sessionMode == Session.SESSION_TRANSACTED;
    }

    @Override
    public int getSessionMode() {
        checkClosed();
        return sessionMode;
    }

    @Override
    public void commit() {
        notInCompletionListener("commit");
        Session s = session();
        run(s::commit);
    }

    @Override
    public void rollback() {
        notInCompletionListener("rollback");
        Session s = session();
        run(s::rollback);
    }

    @Override
    public void recover() {
        Session s = session();
        run(s::recover);
    }

    /**
     * CLIENT_ACKNOWLEDGE: acknowledges every message consumed through this context; other modes, and a lent
     * connection's session (its lender acknowledges), nothing.
     */
    @Override
    public void acknowledge() {
        checkClosed();
        Session s;
        synchronized (lock) {
            s = session;
        }
        if (s instanceof HeraldSession hs && sessionMode == Session.CLIENT_ACKNOWLEDGE) {
            run(hs::acknowledgeAll);
        }
    }

    @Override
    public JMSProducer createProducer() {
        checkClosed();
        return new HeraldJMSProducer(this);
    }

    // ---- consumers (autoStart starts the connection) ----

    private JMSConsumer consumer(JmsRuntimeExceptions.JmsCall<MessageConsumer> create) {
        JMSConsumer c = newConsumer((HeraldMessageConsumer) call(create));
        if (autoStart) {
            run(connection::start);
        }
        return c;
    }

    /** The simplified API's consumer around a classic one of this context's session. */
    protected JMSConsumer newConsumer(HeraldMessageConsumer consumer) {
        return new HeraldJMSConsumer(consumer);
    }

    @Override
    public JMSConsumer createConsumer(Destination destination) {
        Session s = session();
        return consumer(() -> s.createConsumer(destination));
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String messageSelector) {
        Session s = session();
        return consumer(() -> s.createConsumer(destination, messageSelector));
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal) {
        Session s = session();
        return consumer(() -> s.createConsumer(destination, messageSelector, noLocal));
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name) {
        Session s = session();
        return consumer(() -> s.createDurableConsumer(topic, name));
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal) {
        Session s = session();
        return consumer(() -> s.createDurableConsumer(topic, name, messageSelector, noLocal));
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name) {
        Session s = session();
        return consumer(() -> s.createSharedDurableConsumer(topic, name));
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector) {
        Session s = session();
        return consumer(() -> s.createSharedDurableConsumer(topic, name, messageSelector));
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) {
        Session s = session();
        return consumer(() -> s.createSharedConsumer(topic, sharedSubscriptionName));
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector) {
        Session s = session();
        return consumer(() -> s.createSharedConsumer(topic, sharedSubscriptionName, messageSelector));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) {
        Session s = session();
        return call(() -> s.createBrowser(queue));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) {
        Session s = session();
        return call(() -> s.createBrowser(queue, messageSelector));
    }

    // ---- destinations ----

    @Override
    public Queue createQueue(String queueName) {
        Session s = session();
        return call(() -> s.createQueue(queueName));
    }

    @Override
    public Topic createTopic(String topicName) {
        Session s = session();
        return call(() -> s.createTopic(topicName));
    }

    @Override
    public TemporaryQueue createTemporaryQueue() {
        Session s = session();
        return call(s::createTemporaryQueue);
    }

    @Override
    public TemporaryTopic createTemporaryTopic() {
        Session s = session();
        return call(s::createTemporaryTopic);
    }

    @Override
    public void unsubscribe(String name) {
        Session s = session();
        run(() -> s.unsubscribe(name));
    }
}
