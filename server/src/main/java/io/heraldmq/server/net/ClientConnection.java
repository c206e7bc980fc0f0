package io.heraldmq.server.net;

import io.heraldmq.protocol.Commit;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ErrorFrame;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.FrameDecoder;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.protocol.Heartbeat;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.security.ConnectionAccess;
import io.heraldmq.server.subscription.ServerConsumer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One client socket: reassembles frames, hands each to the handler for its type, and keeps the connection's state
 * (identity, consumers). Everything runs on the socket's event loop; {@link #send} is safe from any thread, which is
 * how partitions deliver.
 * <p>
 * Input that breaks the protocol closes this connection only, after an ERROR frame and a log line.
 * <p>
 * Until CONNECT is accepted a frame may be only {@link LimitSettings#maxFrameBytesBeforeConnect} long, and a socket
 * that sent no CONNECT within {@link LimitSettings#connectTimeoutMs} is closed. A client that announced heartbeats
 * ({@link #heartbeats}) is closed when it sends nothing for {@link LimitSettings#heartbeatMissedMax} intervals; every
 * PING is answered with PONG.
 */
public final class ClientConnection {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    /** Produced bytes on their way to partitions above which this socket is no longer read. */
    static final long PRODUCING_PAUSE_BYTES = 8L << 20;
    /** ... and below which it is read again. */
    static final long PRODUCING_RESUME_BYTES = 2L << 20;

    private final NetSocket socket;
    private final Context context;
    private final Map<FrameType, RequestHandler> handlers;
    /** Clustered: relays requests for destinations other brokers lead; null on a single node. */
    private final BiPredicate<ClientConnection, Frame> router;
    private final Consumer<ClientConnection> onClose;
    private final FrameDecoder decoder;
    private final int maxFrameBytes;
    private final LimitSettings limits;
    /** System.nanoTime() of the latest bytes read. */
    private volatile long lastRead = System.nanoTime();
    private long connectTimer = -1;
    private long heartbeatTimer = -1;
    /** Consumers being created (SUBSCRIBE accepted, not yet answered), for max.consumers.per.connection. */
    private int consumersPending;
    private final Map<Integer, ServerConsumer> consumers = new HashMap<>();
    /** The ids of the producers the client opened (OPEN_PRODUCER), for max.producers.per.connection. */
    private final OpenIds producers = new OpenIds();
    /** The ids of the sessions the client opened (OPEN_SESSION), for the meters. */
    private final OpenIds sessions = new OpenIds();
    private final Function<Buffer, Future<Void>> sender;
    /** Bytes of batches handed to partitions and not yet appended: bounds what one producer can queue up there. */
    private final AtomicLong producing = new AtomicLong();
    private final AtomicBoolean resumeScheduled = new AtomicBoolean();
    private volatile boolean readingPaused;
    private String connectionId;
    private String clientId;
    private String user;
    private ConnectionAccess access = ConnectionAccess.UNRESTRICTED;
    private boolean closed;
    /** For the meters, read from any thread: consumers, and the user counted (null before CONNECT and for relays). */
    private volatile int consumerCount;
    private volatile String meteredUser;

    ClientConnection(NetSocket socket, Context context, Map<FrameType, RequestHandler> handlers,
                     BiPredicate<ClientConnection, Frame> router, int maxFrameBytes, LimitSettings limits,
                     Consumer<ClientConnection> onClose) {
        this.socket = socket;
        this.router = router;
        this.context = context;
        this.handlers = handlers;
        this.onClose = onClose;
        this.maxFrameBytes = maxFrameBytes;
        this.limits = limits;
        // nothing big before authentication: a CONNECT is a few hundred bytes
        this.decoder = new FrameDecoder(limits.maxFrameBytesBeforeConnect(), limits.maxFrameBytesBeforeConnect(),
                this::onFrame);
        this.sender = this::write;
    }

    /** Event loop. */
    void start() {
        connectTimer = context.owner().setTimer(limits.connectTimeoutMs(), t -> {
            connectTimer = -1;
            // not connected: no CONNECT, or one refused without closing (a client id in use), or still checked
            if (connectionId == null && !closed) {
                LOG.warn("closing {}: not connected within {} ms ({})", describe(), limits.connectTimeoutMs(),
                        LimitSettings.CONNECT_TIMEOUT_KEY);
                close();
            }
        });
        socket.handler(chunk -> {
            lastRead = System.nanoTime();
            try {
                decoder.feed(chunk);
            } catch (ProtocolException e) {
                fail(e);
            }
        });
        socket.closeHandler(v -> cleanUp());
        socket.exceptionHandler(e -> LOG.debug("socket error on {}", describe(), e));
    }

    private void onFrame(Frame frame) {
        if (closed) {
            return;
        }
        if (connectionId == null && frame.type() != FrameType.CONNECT) {
            throw new ProtocolException("expected CONNECT, got " + frame.type());
        }
        if (frame.type() == FrameType.PING) {
            socket.write(Heartbeat.pong());
            return;
        }
        RequestHandler handler = handlers.get(frame.type());
        if (handler == null) {
            throw new ProtocolException("a client may not send " + frame.type());
        }
        if (router != null && frame.type() != FrameType.CONNECT && router.test(this, frame)) {
            return;
        }
        handle(handler, frame);
    }

    /**
     * Runs the local handler of a request the cluster router held back (it waited for a new destination's leader).
     * Event loop.
     */
    public void handleLocally(Frame frame) {
        if (!closed) {
            handle(handlers.get(frame.type()), frame);
        }
    }

    private void handle(RequestHandler handler, Frame frame) {
        try {
            handler.handle(this, frame);
        } catch (ProtocolException e) {
            if (e.code() == ErrorCode.PROTOCOL_ERROR) {
                throw e;
            }
            replyError(frame.correlationId(), e.code(), e.getMessage());
        }
    }

    /** Closes the connection for broken input: ERROR frame, log line, close. */
    public void fail(ProtocolException e) {
        if (closed) {
            return;
        }
        LOG.warn("closing {}: {}", describe(), e.getMessage());
        socket.write(new ErrorFrame(e.code(), e.getMessage()).encode(0));
        socket.close();
        cleanUp();
    }

    /**
     * A batch of {@code bytes} goes to a partition. Event loop. When too much is on its way, the socket is no longer
     * read, so TCP pushes back on the client until the partitions caught up ({@link #produced}).
     */
    public void producing(int bytes) {
        if (producing.addAndGet(bytes) > PRODUCING_PAUSE_BYTES && !readingPaused) {
            readingPaused = true;
            socket.pause();
            // produced() may have drained it all before it could see the flag.
            resumeIfDrained();
        }
    }

    /** A batch announced with {@link #producing} was appended (or failed). Any thread. */
    public void produced(int bytes) {
        if (producing.addAndGet(-bytes) <= PRODUCING_RESUME_BYTES && readingPaused
                && resumeScheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> {
                resumeScheduled.set(false);
                resumeIfDrained();
            });
        }
    }

    private void resumeIfDrained() {
        if (readingPaused && producing.get() <= PRODUCING_RESUME_BYTES) {
            readingPaused = false;
            if (!closed) {
                socket.resume();
            }
        }
    }

    public void send(Buffer frame) {
        // Negative correlation ids are the broker's own requests on the client's behalf (a cluster relay
        // subscribing a consumer again at a new leader): the client already had its answer.
        if (!closed && frame.getInt(5) >= 0) {
            socket.write(frame);
        }
    }

    /** Like {@link #send}, telling when the frame is written (or failed: closed connection). Any thread. */
    public Future<Void> write(Buffer frame) {
        return closed ? Future.failedFuture("connection closed") : socket.write(frame);
    }

    /** A reusable reference to {@link #write}, for consumers' deliveries. */
    public Function<Buffer, Future<Void>> sender() {
        return sender;
    }

    public void replyError(int correlationId, ErrorCode code, String message) {
        send(new ErrorFrame(code, message).encode(correlationId));
    }

    /** Replies to a failed request: a ProtocolException keeps its code, anything else is INTERNAL. */
    public void replyFailure(int correlationId, Throwable cause) {
        if (cause instanceof ProtocolException pe) {
            if (pe.code() == ErrorCode.PROTOCOL_ERROR) {
                fail(pe);
            } else {
                replyError(correlationId, pe.code(), pe.getMessage());
            }
        } else {
            LOG.warn("request failed on {}", describe(), cause);
            replyError(correlationId, ErrorCode.INTERNAL, String.valueOf(cause.getMessage()));
        }
    }

    public Context context() {
        return context;
    }

    /**
     * Runs {@code then} once {@code ready} is complete, after every request of this connection that waits before it
     * ({@link InOrder}). Event loop of this connection.
     */
    public void inOrder(io.vertx.core.Future<?> ready, Runnable then) {
        if (inOrder == null) {
            inOrder = new InOrder(context);
        }
        inOrder.run(ready, then);
    }

    public boolean isClosed() {
        return closed;
    }

    public String connectionId() {
        return connectionId;
    }

    public String clientId() {
        return clientId;
    }

    /**
     * The connection id the client itself was given: on a relay connection, its connection at the broker that
     * relays it (CONNECT's relayFor), which is what the client stamps on the messages it sends (noLocal compares
     * them); otherwise this connection's id.
     */
    public String clientConnectionId() {
        return relayFor != null ? relayFor : connectionId;
    }

    /** The relayed client's connection id at the broker relaying it; null on a client's own connection. */
    private String relayFor;
    private InOrder inOrder;

    public String user() {
        return user;
    }

    /**
     * Called once by the CONNECT handler. {@code relayFor}: on a connection another broker of the cluster opened to
     * relay one of its clients (which holds that client's id itself), the client's connection id at that broker;
     * null for a client's own connection.
     */
    public void connected(String connectionId, String clientId, String user, String relayFor,
                          ConnectionAccess access) {
        this.relayFor = relayFor;
        this.connectionId = connectionId;
        this.clientId = clientId;
        this.user = user;
        this.access = access;
        this.meteredUser = relayFor != null ? null : user == null ? "anonymous" : user;
        decoder.limits(maxFrameBytes, Commit.MAX_FRAME_BYTES);
    }

    /**
     * The client announced heartbeats every {@code intervalMs}: from now on, the connection is closed (with a log
     * line) once nothing was read from it for {@link LimitSettings#heartbeatMissedMax} intervals, except while the
     * broker itself does not read it (backpressure, {@link #producing}). Any thread.
     */
    public void heartbeats(int intervalMs) {
        long limitNanos = intervalMs * 1_000_000L * limits.heartbeatMissedMax();
        context.runOnContext(v -> {
            if (closed) {
                return;
            }
            heartbeatTimer = context.owner().setPeriodic(intervalMs, t -> {
                if (readingPaused) {
                    lastRead = System.nanoTime(); // the client may be writing: we are not reading
                    return;
                }
                long silent = System.nanoTime() - lastRead;
                if (silent > limitNanos && !closed) {
                    LOG.warn("closing {}: nothing received for {} ms, {} heartbeats of {} ms missed ({})", describe(),
                            silent / 1_000_000, limits.heartbeatMissedMax(), intervalMs,
                            LimitSettings.HEARTBEAT_MISSED_KEY);
                    close();
                }
            });
        });
    }

    /**
     * Counts a consumer about to be created against {@code max.consumers.per.connection}; call
     * {@link #consumerCreated} when its SUBSCRIBE is answered, whatever the answer. Event loop.
     *
     * @throws ProtocolException RESOURCE_EXHAUSTED at the limit
     */
    public void reserveConsumer() {
        int max = limits.maxConsumersPerConnection();
        if (max > 0 && consumers.size() + consumersPending >= max) {
            LOG.warn("refused a consumer on {} of user {}: {} = {} reached", describe(), user,
                    LimitSettings.MAX_CONSUMERS_KEY, max);
            throw new ProtocolException(ErrorCode.RESOURCE_EXHAUSTED, "this connection has " + max
                    + " consumers already, the broker's limit (" + LimitSettings.MAX_CONSUMERS_KEY + " = " + max
                    + "); close one first");
        }
        consumersPending++;
    }

    /** The SUBSCRIBE of a consumer reserved with {@link #reserveConsumer} was answered. Event loop. */
    public void consumerCreated() {
        consumersPending--;
    }

    /**
     * Counts a producer the client opened against {@code max.producers.per.connection}; an id already open counts
     * nothing (the client opens its producers again after failover, and may repeat a request whose answer it lost).
     * Event loop.
     *
     * @return the producers open now, this one included
     * @throws ProtocolException RESOURCE_EXHAUSTED at the limit
     */
    public int openProducer(int producerId) {
        if (producers.contains(producerId)) {
            return producers.count();
        }
        int max = limits.maxProducersPerConnection();
        if (max > 0 && producers.count() >= max) {
            LOG.warn("refused a producer on {} of user {}: {} = {} reached", describe(), user,
                    LimitSettings.MAX_PRODUCERS_KEY, max);
            throw new ProtocolException(ErrorCode.RESOURCE_EXHAUSTED, "this connection has " + max
                    + " producers already, the broker's limit (" + LimitSettings.MAX_PRODUCERS_KEY + " = " + max
                    + "); close one first");
        }
        return producers.add(producerId);
    }

    /** The client closed a producer; an unknown id is ignored. Event loop. */
    public void closeProducer(int producerId) {
        producers.remove(producerId);
    }

    /** The client opened a session (again, after failover: counted once). Event loop. */
    public void openSession(int sessionId) {
        sessions.add(sessionId);
    }

    /** The client closed a session; an unknown id is ignored. Event loop. */
    public void closeSession(int sessionId) {
        sessions.remove(sessionId);
    }

    /** Sessions open on this connection (OPEN_SESSION minus CLOSE_SESSION). Any thread. */
    public int sessionCount() {
        return sessions.count();
    }

    /** The broker's {@code max.producers.per.connection}, 0 = none. */
    public int maxProducers() {
        return limits.maxProducersPerConnection();
    }

    /** Producers open on this connection (OPEN_PRODUCER minus CLOSE_PRODUCER). Any thread. */
    public int producerCount() {
        return producers.count();
    }

    /** The client's IP address, without the port: what {@code max.connections.per.address} counts. */
    public String remoteHost() {
        return String.valueOf(socket.remoteAddress().hostAddress());
    }

    /** The subject of the certificate the client presented over TLS and the broker verified; null if none. */
    public X500Principal peerPrincipal() {
        if (!socket.isSsl()) {
            return null;
        }
        try {
            List<Certificate> chain = socket.peerCertificates();
            return chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate x) ? null
                    : x.getSubjectX500Principal();
        } catch (SSLPeerUnverifiedException e) {
            return null; // clientAuth = want, and the client sent none
        }
    }

    /**
     * Whether the client presented this broker's own certificate: the one the broker presented in this very handshake
     * (so the current one after a reload). The console's administrative connections do, to get through
     * {@code tls.clientAuth = need}; such a certificate names no user, the CONNECT's password logs in.
     */
    public boolean presentsOwnCertificate() {
        if (!socket.isSsl()) {
            return false;
        }
        try {
            List<Certificate> peer = socket.peerCertificates();
            Certificate[] own = socket.sslSession().getLocalCertificates();
            return peer != null && !peer.isEmpty() && own != null && own.length > 0 && peer.get(0).equals(own[0]);
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }

    /** The user this connection is counted under in the meters; null before CONNECT and for relays. Any thread. */
    public String meteredUser() {
        return meteredUser;
    }

    /** Consumers open on this connection. Any thread. */
    public int consumerCount() {
        return consumerCount;
    }

    /** What this connection's user may do; everything before CONNECT is accepted (no request gets that far). */
    public ConnectionAccess access() {
        return access;
    }

    /** The client's address, {@code host:port}, for audit lines. */
    public String remoteAddress() {
        return String.valueOf(socket.remoteAddress());
    }

    /** Whether this connection relays a client of another broker of the cluster (see {@link #connected}). */
    public boolean isRelay() {
        return relayFor != null;
    }

    /** Called by the SET_CLIENT_ID handler on a connection that connected without a client id. */
    public void assignClientId(String id) {
        if (clientId != null) {
            throw new IllegalStateException("client id already set");
        }
        this.clientId = id;
    }

    /** Whether a consumer of this connection reads {@code topic}. Event loop. */
    public boolean consumes(io.heraldmq.server.partition.Topic topic) {
        for (ServerConsumer c : consumers.values()) {
            if (c.subscription().topic() == topic) {
                return true;
            }
        }
        return false;
    }

    public ServerConsumer consumer(int id) {
        return consumers.get(id);
    }

    public boolean hasConsumer(int id) {
        return consumers.containsKey(id);
    }

    public void addConsumer(ServerConsumer consumer) {
        consumers.put(consumer.id(), consumer);
        consumerCount = consumers.size();
    }

    public ServerConsumer removeConsumer(int id) {
        ServerConsumer removed = consumers.remove(id);
        consumerCount = consumers.size();
        return removed;
    }

    /** Closes the socket after what was written so far; clean-up runs from the close handler. */
    public void close() {
        socket.close();
    }

    private void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        if (connectTimer >= 0) {
            context.owner().cancelTimer(connectTimer);
        }
        if (heartbeatTimer >= 0) {
            context.owner().cancelTimer(heartbeatTimer);
        }
        for (ServerConsumer c : consumers.values()) {
            c.close(false);
        }
        consumers.clear();
        consumerCount = 0;
        producers.clear();
        sessions.clear();
        onClose.accept(this);
    }

    String describe() {
        return "connection " + (connectionId == null ? "" : connectionId + " ") + "from " + socket.remoteAddress();
    }
}
