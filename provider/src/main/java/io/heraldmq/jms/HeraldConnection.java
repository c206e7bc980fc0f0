package io.heraldmq.jms;

import io.heraldmq.client.BrokerConnection;
import io.heraldmq.client.ClientVertx;
import io.heraldmq.client.ConnectionListener;
import io.heraldmq.client.ConnectionLostException;
import io.heraldmq.protocol.Close;
import io.heraldmq.protocol.WireMessage;
import io.heraldmq.protocol.Connect;
import io.heraldmq.protocol.CloseProducer;
import io.heraldmq.protocol.CloseSession;
import io.heraldmq.protocol.CreateTemp;
import io.heraldmq.protocol.Deliver;
import io.heraldmq.protocol.DeleteTemp;
import io.heraldmq.protocol.OpenProducer;
import io.heraldmq.protocol.OpenSession;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorFrame;
import io.heraldmq.protocol.SetClientId;
import io.vertx.core.buffer.Buffer;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.ServerSessionPool;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A JMS connection over one {@link BrokerConnection}. It does JMS semantics (start/stop, sessions, client id,
 * exception listener) and routes deliveries from the transport's single listener to consumers by id.
 * <p>
 * Failover (the transport reconnects, see {@link BrokerConnection}): when the socket is lost, every session drops
 * what it had of the lost socket ({@link HeraldSession#connectionInterrupted}); browsers' enumerations end. Once
 * the transport has a new socket, the temporary destinations are created again (empty: their messages lived with
 * the lost connection) and every open consumer subscribes again under its consumer id
 * ({@link HeraldSession#resubscribe}). The application sees a pause; only when reconnecting fails does the
 * ExceptionListener hear of it, as without failover.
 */
public class HeraldConnection implements Connection, QueueConnection, TopicConnection, ConnectionListener {
    private static final Logger LOG = LoggerFactory.getLogger(HeraldConnection.class);
    private final HeraldConnectionFactory factory;
    private final BrokerConnection broker;
    private volatile String clientId;
    /**
     * Set by the first action that uses the connection (a session, start, a temporary destination): from then on the
     * client id is fixed (JMS 6.1.2). Reading the metadata, setting or reading the exception listener and stop do not
     * count, as in Artemis, so the common "listener first, then client id" set-up works.
     */
    private volatile boolean used;
    private final List<HeraldSession> sessions = new CopyOnWriteArrayList<>();
    private final Map<Integer, DeliveryTarget> consumers = new ConcurrentHashMap<>();
    private final AtomicInteger consumerIds = new AtomicInteger();
    private final AtomicInteger producerIds = new AtomicInteger();
    private final AtomicInteger sessionIds = new AtomicInteger();
    private final AtomicLong messageIds = new AtomicLong();
    private final AtomicLong temporaryIds = new AtomicLong();
    /** Temporary destinations this connection made and has not deleted: made again after failover. */
    private final Set<HeraldDestination> temporaries = ConcurrentHashMap.newKeySet();
    private final XaBranches xaBranches = new XaBranches();
    private final Object startLock = new Object();
    private volatile boolean started;
    private volatile boolean closed;
    private volatile ExceptionListener exceptionListener;

    private HeraldConnection(HeraldConnectionFactory factory, String clientId, BrokerConnection broker) {
        this.factory = factory;
        this.clientId = clientId;
        this.broker = broker;
    }

    static HeraldConnection open(HeraldConnectionFactory factory, String user, String password) throws JMSException {
        var vertx = ClientVertx.acquire();
        String clientId = factory.getClientID();
        Forwarder forwarder = new Forwarder();
        try {
            BrokerConnection broker = JmsExceptions.await(BrokerConnection.open(vertx, factory.uri(),
                    new Connect(Connect.PROTOCOL_VERSION, clientId, user, password), forwarder,
                    factory.connectTimeoutMs(), factory.getReconnectTimeoutMs()),
                    factory.getRequestTimeout() + factory.connectTimeoutMs());
            HeraldConnection c = new HeraldConnection(factory, clientId, broker);
            forwarder.target = c;
            return c;
        } catch (JMSException e) {
            ClientVertx.release();
            throw e;
        }
    }

    /** Lets the transport start before the connection object exists; events before that are dropped. */
    private static final class Forwarder implements ConnectionListener {
        volatile HeraldConnection target;

        @Override
        public void onDeliver(Buffer body) {
            if (target != null) {
                target.onDeliver(body);
            }
        }

        @Override
        public void onConsumerMoved(int consumerId, int move) {
            if (target != null) {
                target.onConsumerMoved(consumerId, move);
            }
        }

        @Override
        public void onError(ErrorFrame error) {
            if (target != null) {
                target.onError(error);
            }
        }

        @Override
        public void onClosed(Throwable cause) {
            if (target != null) {
                target.onClosed(cause);
            }
        }

        @Override
        public void onInterrupted(Throwable cause) {
            if (target != null) {
                target.onInterrupted(cause);
            }
        }

        @Override
        public CompletionStage<Void> onResumed() {
            return target != null ? target.onResumed() : CompletableFuture.completedFuture(null);
        }
    }

    // ---- transport events ----

    @Override
    public void onDeliver(Buffer body) {
        Deliver.read(body, new Deliver.Visitor() {
            @Override
            public void entry(int consumerId, int partition, long offset, int deliveryCount, Buffer record) {
                DeliveryTarget c = consumers.get(consumerId);
                if (c != null) {
                    c.enqueue(partition, offset, deliveryCount, record);
                }
            }

            @Override
            public void end(int consumerId) {
                DeliveryTarget c = consumers.get(consumerId);
                if (c != null) {
                    c.browseEnded();
                }
            }
        });
    }

    @Override
    public void onConsumerMoved(int consumerId, int move) {
        DeliveryTarget c = consumers.get(consumerId);
        if (c != null) {
            c.moved(move);
        }
    }

    @Override
    public void onError(ErrorFrame error) {
        ExceptionListener l = exceptionListener;
        if (l != null) {
            l.onException(new JMSException(error.message(), error.code().name()));
        }
    }

    @Override
    public void onClosed(Throwable cause) {
        if (cause == null || closed) {
            return;
        }
        for (DeliveryTarget c : consumers.values()) {
            c.brokerGone();
        }
        ExceptionListener l = exceptionListener;
        if (l != null) {
            JMSException e = new JMSException("connection to the broker lost: " + cause.getMessage());
            e.setLinkedException(cause instanceof Exception x ? x : new Exception(cause));
            l.onException(e);
        }
    }

    @Override
    public void onInterrupted(Throwable cause) {
        if (closed) {
            return;
        }
        for (HeraldSession s : sessions) {
            s.connectionInterrupted();
        }
        for (DeliveryTarget t : consumers.values()) {
            t.connectionInterrupted();
        }
    }

    @Override
    public CompletionStage<Void> onResumed() {
        if (closed) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<?>> temps = new ArrayList<>();
        for (HeraldDestination d : temporaries) {
            // Gone with the lost connection on its broker; made again, empty, so that its consumers and the
            // producers that reply to it carry on.
            temps.add(broker.resumeRequest(new CreateTemp(d.kind(), d.name())::encode).handle((f, e) -> {
                if (e != null && !(JmsExceptions.of(e).getCause() instanceof ConnectionLostException)) {
                    LOG.warn("temporary destination {} could not be made again after failover", d.name(), e);
                }
                return null;
            }));
        }
        for (HeraldSession s : sessions) {
            broker.resumeSend(new OpenSession(s.sessionId()).encode(0)); // one-way: counted by the new broker
            for (int id : s.producerIds()) {
                // counted by the new broker too; it may refuse one (its limit is lower): sends work regardless
                temps.add(broker.resumeRequest(new OpenProducer(id)::encode).handle((f, e) -> {
                    if (e != null && !(JmsExceptions.of(e).getCause() instanceof ConnectionLostException)) {
                        LOG.warn("producer {} could not be opened again after failover", id, e);
                    }
                    return null;
                }));
            }
        }
        return CompletableFuture.allOf(temps.toArray(CompletableFuture[]::new)).thenCompose(v -> {
            List<CompletableFuture<Void>> subscribed = new ArrayList<>();
            for (HeraldSession s : sessions) {
                subscribed.addAll(s.resubscribe());
            }
            return CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new));
        });
    }

    /** A consumer could not subscribe again after failover: it is finished, and the application is told. */
    void consumerLostInFailover(HeraldDestination destination, Throwable cause) {
        JMSException e = JmsExceptions.of(cause);
        ExceptionListener l = exceptionListener;
        if (l != null) {
            JMSException report = new JMSException("a consumer of " + destination + " could not subscribe again after"
                    + " failover and receives nothing more: " + e.getMessage());
            report.setLinkedException(e);
            l.onException(report);
        }
    }

    // ---- for sessions, producers, consumers ----

    /** The XA branches of this connection's XA sessions that the broker has not decided yet. */
    XaBranches xaBranches() {
        return xaBranches;
    }

    boolean isClosed() {
        return closed;
    }

    BrokerConnection broker() {
        return broker;
    }

    HeraldConnectionFactory factory() {
        return factory;
    }

    /**
     * How long a synchronous call waits for the broker: the request timeout, plus the reconnect timeout when failover
     * is on, since a call made while the connection is lost waits for the reconnect (the pause the application
     * sees instead of an exception).
     */
    /** How long a SUBSCRIBE answered NOT_LEADER is tried again (a leader being elected after a failover). */
    static final long SUBSCRIBE_NOT_LEADER_MS = 30_000;
    static final long SUBSCRIBE_RETRY_MS = 250;

    /**
     * Sends a consumer's or browser's SUBSCRIBE and waits for the answer. NOT_LEADER (the destination's leader is
     * being elected or restarted, and the broker reached cannot pass the request on yet) is tried again every
     * {@value #SUBSCRIBE_RETRY_MS} ms for up to {@value #SUBSCRIBE_NOT_LEADER_MS} ms, as a consumer subscribing
     * again after failover does, so that a consumer created just after a failover waits for the new leader rather
     * than fail. Not on an event loop, where the wait would block the answer.
     */
    io.heraldmq.protocol.Frame subscribe(io.heraldmq.protocol.Subscribe subscribe, boolean resend)
            throws JMSException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(SUBSCRIBE_NOT_LEADER_MS);
        while (true) {
            try {
                return JmsExceptions.await(broker.request(subscribe::encode, resend), requestTimeoutMs());
            } catch (JMSException e) {
                if (!isNotLeader(e) || System.nanoTime() > deadline || io.vertx.core.Context.isOnEventLoopThread()) {
                    throw e;
                }
            }
            try {
                Thread.sleep(SUBSCRIBE_RETRY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw JmsExceptions.of(e);
            }
        }
    }

    /** Whether {@code error} is, or is caused by, the broker's NOT_LEADER answer. */
    static boolean isNotLeader(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof io.heraldmq.client.BrokerErrorException b
                    && b.code() == io.heraldmq.protocol.ErrorCode.NOT_LEADER) {
                return true;
            }
        }
        return false;
    }

    long requestTimeoutMs() {
        return factory.getRequestTimeout() + (broker.failoverEnabled() ? factory.getReconnectTimeoutMs() : 0);
    }

    String connectionId() {
        return broker.connected().connectionId();
    }

    int maxMessageBytes() {
        return broker.connected().maxMessageBytes();
    }

    /**
     * The broker's CONNECTED answer: whether, and with which user, messages are stamped with JMSXUserID (the
     * broker populates it and checks; stamping here spares it re-encoding each batch).
     */
    io.heraldmq.protocol.Connected brokerHello() {
        return broker.connected();
    }

    String nextMessageId() {
        return "ID:" + connectionId() + "-" + messageIds.incrementAndGet();
    }

    int register(DeliveryTarget consumer) {
        int id = consumerIds.incrementAndGet();
        consumers.put(id, consumer);
        return id;
    }

    void unregister(int consumerId) {
        consumers.remove(consumerId);
    }

    void sessionClosed(HeraldSession session) {
        if (sessions.remove(session) && !closed) {
            broker.send(new CloseSession(session.sessionId()).encode(0));
        }
    }

    int nextSessionId() {
        return sessionIds.incrementAndGet();
    }

    /**
     * A session joins the connection, and the broker counts it (OPEN_SESSION, one-way: the broker keeps nothing per
     * session, so creating one costs the application no round trip).
     */
    private <S extends HeraldSession> S track(S session) {
        sessions.add(session);
        // after the add: a failover that misses this frame finds the session in the list when it resumes
        broker.resumeSend(new OpenSession(session.sessionId()).encode(0));
        return session;
    }

    boolean isStarted() {
        return started;
    }

    /** Whether the caller is running a CompletionListener of one of this connection's sessions. */
    boolean onAnyCompletionThread() {
        for (HeraldSession s : sessions) {
            if (s.onCompletionThread()) {
                return true;
            }
        }
        return false;
    }

    void checkClosed() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("the connection is closed");
        }
    }

    /** Records that something other than setClientID happened on this connection. */
    void markUsed() {
        used = true;
    }

    /** Creates a temporary queue or topic on the broker, named after this connection so the name is unique. */
    HeraldDestination createTemporary(DestinationKind kind) throws JMSException {
        checkClosed();
        markUsed();
        String name = "temp-" + connectionId() + "-" + temporaryIds.incrementAndGet();
        // sent again after failover if the answer was lost: the destination died with the lost connection anyway
        JmsExceptions.await(broker.request(new CreateTemp(kind, name)::encode, true), requestTimeoutMs());
        HeraldDestination d = kind == DestinationKind.TEMPORARY_QUEUE ? new HeraldTemporaryQueue(name, this)
                : new HeraldTemporaryTopic(name, this);
        temporaries.add(d);
        return d;
    }

    /**
     * Registers a producer with the broker (OPEN_PRODUCER), which counts it against its
     * {@code max.producers.per.connection}: a {@code ResourceAllocationException} naming the limit there. Sends do
     * not name it, so this is the producer's only round trip of its own.
     *
     * @return the producer's id on this connection, for {@link #closeProducer}
     */
    int openProducer() throws JMSException {
        checkClosed();
        markUsed();
        int id = producerIds.incrementAndGet();
        // sent again after failover if the answer was lost: the broker counts an id it knows once
        JmsExceptions.await(broker.request(new OpenProducer(id)::encode, true), requestTimeoutMs());
        return id;
    }

    /** The producer {@code id} is closed: one-way, nothing depends on the broker's answer. */
    void closeProducer(int id) {
        if (!closed) {
            broker.send(new CloseProducer(id).encode(0));
        }
    }

    void deleteTemporaryDestination(HeraldDestination destination) throws JMSException {
        checkClosed();
        for (HeraldSession s : sessions) {
            if (s.hasConsumerOn(destination)) {
                throw new IllegalStateException("temporary destination " + destination.name()
                        + " still has an open consumer; close it before deleting the destination");
            }
        }
        JmsExceptions.await(broker.request(new DeleteTemp(destination.kind(), destination.name())::encode),
                requestTimeoutMs());
        temporaries.remove(destination);
    }

    // ---- jakarta.jms.Connection ----

    @Override
    public Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
        checkClosed();
        markUsed();
        // transacted=false with mode 0 (SESSION_TRANSACTED) is not a transacted session: the flag says so, and
        // Artemis and Classic give AUTO_ACKNOWLEDGE for it. Taking the mode would lose every send at close.
        int mode = transacted ? Session.SESSION_TRANSACTED
                : acknowledgeMode == Session.SESSION_TRANSACTED ? Session.AUTO_ACKNOWLEDGE : acknowledgeMode;
        if (mode != Session.SESSION_TRANSACTED && mode != Session.AUTO_ACKNOWLEDGE && mode != Session.CLIENT_ACKNOWLEDGE
                && mode != Session.DUPS_OK_ACKNOWLEDGE) {
            throw new JMSException("invalid acknowledge mode " + acknowledgeMode);
        }
        return track(new HeraldSession(this, mode));
    }

    @Override
    public Session createSession(int sessionMode) throws JMSException {
        return createSession(sessionMode == Session.SESSION_TRANSACTED, sessionMode);
    }

    @Override
    public Session createSession() throws JMSException {
        return createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    @Override
    public QueueSession createQueueSession(boolean transacted, int acknowledgeMode) throws JMSException {
        HeraldSession s = (HeraldSession) createSession(transacted, acknowledgeMode);
        s.restrictTo(HeraldSession.Domain.QUEUE);
        return s;
    }

    @Override
    public TopicSession createTopicSession(boolean transacted, int acknowledgeMode) throws JMSException {
        HeraldSession s = (HeraldSession) createSession(transacted, acknowledgeMode);
        s.restrictTo(HeraldSession.Domain.TOPIC);
        return s;
    }

    /** Who this connection is for noLocal ({@link WireMessage#origin}). */
    String origin() {
        return WireMessage.origin(clientId, connectionId());
    }

    @Override
    public String getClientID() throws JMSException {
        checkClosed();
        return clientId;
    }

    @Override
    public void setClientID(String clientID) throws JMSException {
        checkClosed();
        if (clientId != null) {
            throw new IllegalStateException("the client id is already set (to '" + clientId + "')");
        }
        if (used) {
            throw new IllegalStateException("the client id can only be set right after the connection is created,"
                    + " before anything else is done with it");
        }
        if (clientID == null || clientID.isEmpty()) {
            throw new InvalidClientIDException("client id must not be null or empty");
        }
        // sent again after failover if the answer was lost: the id was released with the lost connection
        JmsExceptions.await(broker.request(new SetClientId(clientID)::encode, true), requestTimeoutMs());
        clientId = clientID;
        broker.clientIdChanged(clientID);
        used = true;
    }

    @Override
    public ConnectionMetaData getMetaData() throws JMSException {
        checkClosed();
        return HeraldConnectionMetaData.INSTANCE;
    }

    @Override
    public ExceptionListener getExceptionListener() throws JMSException {
        checkClosed();
        return exceptionListener;
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) throws JMSException {
        checkClosed();
        this.exceptionListener = listener;
    }

    @Override
    public void start() throws JMSException {
        checkClosed();
        markUsed();
        synchronized (startLock) {
            started = true;
        }
        for (HeraldSession s : sessions) {
            s.connectionStarted();
        }
    }

    /**
     * Pauses delivery and returns once every message listener of this connection that was running has returned.
     * From such a listener it throws {@link IllegalStateException}: of the two behaviours the specification allows
     * (6.1.5), the one that cannot deadlock.
     */
    @Override
    public void stop() throws JMSException {
        checkClosed();
        notFromOwnListener("stop");
        synchronized (startLock) {
            started = false;
        }
        for (HeraldSession s : sessions) {
            s.awaitListenersIdle();
        }
    }

    private void notFromOwnListener(String method) throws IllegalStateException {
        for (HeraldSession s : sessions) {
            if (s.onListenerThread()) {
                throw new IllegalStateException("a MessageListener must not call " + method
                        + " on its own connection");
            }
        }
    }

    /** XA sessions are made outside; they join the connection's sessions here. */
    <S extends HeraldSession> S addSession(S session) throws IllegalStateException {
        checkClosed();
        return track(session);
    }

    /**
     * Closes every session (each waits for its running listener and ends blocked receives with null), then the
     * transport. Closing a closed connection does nothing. From a message listener of this connection it throws
     * {@link IllegalStateException} (6.1.8 allows this or closing).
     */
    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        if (onAnyCompletionThread()) {
            throw new IllegalStateException("Connection.close may not be called from a CompletionListener");
        }
        notFromOwnListener("close");
        started = false;
        JMSException first = null;
        for (HeraldSession s : sessions) {
            try {
                s.close();
            } catch (JMSException e) {
                first = first == null ? e : first;
            }
        }
        closed = true;
        try {
            if (broker.isOpen()) {
                broker.expectClose();
                broker.request(id -> new Close(Close.CONNECTION, 0).encode(id))
                        .get(requestTimeoutMs(), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        } catch (Exception ignored) {
            // the socket is closed below whatever the broker said
        } finally {
            broker.close();
            ClientVertx.release();
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Destination destination, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        checkClosed();
        throw new JMSException("connection consumers (application server facility) are not supported");
    }

    @Override
    public ConnectionConsumer createSharedConnectionConsumer(Topic topic, String subscriptionName,
                                                             String messageSelector, ServerSessionPool sessionPool,
                                                             int maxMessages) throws JMSException {
        throw new JMSException("connection consumers (application server facility) are not supported");
    }

    @Override
    public ConnectionConsumer createDurableConnectionConsumer(Topic topic, String subscriptionName,
                                                              String messageSelector, ServerSessionPool sessionPool,
                                                              int maxMessages) throws JMSException {
        throw new JMSException("connection consumers (application server facility) are not supported");
    }

    @Override
    public ConnectionConsumer createSharedDurableConnectionConsumer(Topic topic, String subscriptionName,
                                                                    String messageSelector,
                                                                    ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw new JMSException("connection consumers (application server facility) are not supported");
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Queue queue, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        return createConnectionConsumer((Destination) queue, messageSelector, sessionPool, maxMessages);
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Topic topic, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        return createConnectionConsumer((Destination) topic, messageSelector, sessionPool, maxMessages);
    }
}
