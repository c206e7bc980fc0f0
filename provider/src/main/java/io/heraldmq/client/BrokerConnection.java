package io.heraldmq.client;

import io.heraldmq.protocol.Connect;
import io.heraldmq.protocol.Connected;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ErrorFrame;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.FrameDecoder;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.protocol.Heartbeat;
import io.heraldmq.protocol.ProtocolException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * An asynchronous connection to a broker: sends frames, matches responses to requests by correlation id, and passes
 * everything else to its {@link ConnectionListener}. It knows nothing of JMS; the JMS classes wait on the futures it
 * returns. Methods are safe from any thread.
 * <p>
 * <b>Failover.</b> With a reconnect timeout above 0, an unexpected loss of the socket does not end the connection:
 * it connects again ({@link Reconnector}: the URL's addresses in turn, backing off, for up to the timeout), repeats
 * the CONNECT handshake (same client id and credentials), lets the listener restore its state
 * ({@link ConnectionListener#onResumed}) and then goes on. Meanwhile:
 * <ul>
 *   <li>a request written to the lost socket fails with {@link ConnectionLostException} (its outcome is unknown),
 *       unless it was made with {@code resendAfterFailover}: then the same frame bytes are written again on the new
 *       socket (the broker recognises a PRODUCE of an idempotent batch it already stored);</li>
 *   <li>requests made while reconnecting wait and are written once the connection is back, after the ones to
 *       resend, in correlation id order (= the order they were made);</li>
 *   <li>one-way frames ({@link #send}) are dropped: acks and credit of the lost socket mean nothing on a new one,
 *       and a NON_PERSISTENT send without acknowledgement may be lost.</li>
 * </ul>
 * Only when reconnecting fails for the whole timeout do the waiting requests fail and
 * {@link ConnectionListener#onClosed} get the cause. The first connection ({@link #open}) tries each address once.
 * <p>
 * Threading: socket events, reconnect attempts and listener callbacks run on one event-loop context; the state and
 * the pending requests are guarded by a monitor that is held only for map updates and non-blocking socket writes.
 */
public final class BrokerConnection {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerConnection.class);
    private static final int MAX_INCOMING_FRAME = 64 << 20;

    private enum State { OPENING, CONNECTED, RECONNECTING, RESUMING, FAILED, CLOSED }

    /** A request waiting for its answer. */
    private static final class Pending {
        final CompletableFuture<Frame> future = new CompletableFuture<>();
        /** The encoded frame: kept while it is still to be written, and for good when it is to be resent. */
        Buffer frame;
        final boolean resend;
        /** The {@link Link#seq} it was written to; 0 while not written. */
        int link;

        Pending(Buffer frame, boolean resend) {
            this.frame = frame;
            this.resend = resend;
        }
    }

    /** One socket. */
    private static final class Link {
        final NetSocket socket;
        final int seq;
        /** CONNECTED was received on it. */
        boolean handshaken;
        /** System.nanoTime() of the last write to and the last bytes read from the socket, for heartbeats. */
        volatile long lastWrite = System.nanoTime();
        volatile long lastRead = System.nanoTime();
        /** The heartbeat timer, or -1. Context only. */
        long heartbeatTimer = -1;

        Link(NetSocket socket, int seq) {
            this.socket = socket;
            this.seq = seq;
        }

        void write(Buffer frame) {
            lastWrite = System.nanoTime();
            socket.write(frame);
        }
    }

    /** Default of the URL option {@code heartbeatMs}. */
    public static final int DEFAULT_HEARTBEAT_MS = 10_000;
    /** A broker heard nothing from for this many heartbeat intervals is taken as lost. */
    static final int HEARTBEATS_MISSED_MAX = 3;

    private final Vertx vertx;
    private final ConnectionListener listener;
    private final BrokerUri uri;
    private final long reconnectTimeoutMs;
    private final int connectTimeoutMs;
    private final NetClient client;
    private final Context context;
    private final AtomicInteger correlationIds = new AtomicInteger();
    private final Object lock = new Object();
    /** Guarded by lock. Ordered by correlation id, which is the order requests were made. */
    private final TreeMap<Integer, Pending> pending = new TreeMap<>();
    /** Guarded by lock. */
    private State state = State.OPENING;
    /** Guarded by lock: the socket in use (or being handshaken), null between sockets. */
    private Link current;
    private int linkSeq;
    private volatile Connect connect;
    private volatile Connected connected;
    private volatile int generation = 1;
    private volatile Throwable failure;
    /** Used on the context only. */
    private final Reconnector reconnector;
    /** See {@link #expectClose}. */
    private volatile boolean closeExpected;
    private Throwable lastReconnectError;

    private BrokerConnection(Vertx vertx, BrokerUri uri, Connect connect, ConnectionListener listener,
                             int connectTimeoutMs, long reconnectTimeoutMs) {
        this.vertx = vertx;
        this.uri = uri;
        this.listener = listener;
        this.reconnectTimeoutMs = reconnectTimeoutMs;
        this.connectTimeoutMs = connectTimeoutMs;
        this.client = vertx.createNetClient(ClientTls.options(uri, connectTimeoutMs));
        this.connect = connect.relayFor() == null ? connect.withHeartbeat(heartbeatMs(uri)) : connect;
        // One context for every socket this connection will have, so its events never run concurrently.
        this.context = vertx.getOrCreateContext();
        this.reconnector = new Reconnector(uri.addresses().size(), reconnectTimeoutMs, 0);
    }

    /**
     * The URL option {@code heartbeatMs}: the client sends PING after writing nothing for that long, and takes a
     * broker it heard nothing from for {@value #HEARTBEATS_MISSED_MAX} intervals as lost; 0 = no heartbeats (the only
     * way to talk to brokers of before heartbeats, which refuse a CONNECT that announces them).
     */
    static int heartbeatMs(BrokerUri uri) {
        String v = uri.options().get("heartbeatMs");
        if (v == null) {
            return DEFAULT_HEARTBEAT_MS;
        }
        try {
            int ms = Integer.parseInt(v.trim());
            if (ms < 0) {
                throw new IllegalArgumentException("heartbeatMs must be 0 (none) or more, was " + v);
            }
            return ms;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("heartbeatMs must be a number, was '" + v + "'");
        }
    }

    /** {@link #open(Vertx, BrokerUri, Connect, ConnectionListener, int, long)} without failover. */
    public static CompletableFuture<BrokerConnection> open(Vertx vertx, BrokerUri uri, Connect connect,
                                                           ConnectionListener listener, int connectTimeoutMs) {
        return open(vertx, uri, connect, listener, connectTimeoutMs, 0);
    }

    /**
     * Connects to the first address of {@code uri} that answers and performs the CONNECT handshake. A broker's
     * refusal of the handshake is final; an address that does not answer passes to the next one.
     *
     * @param reconnectTimeoutMs how long to try to reconnect after losing the socket; 0 = no failover
     * @return completes with the connection, or with {@link BrokerErrorException} / {@link IOException}
     */
    public static CompletableFuture<BrokerConnection> open(Vertx vertx, BrokerUri uri, Connect connect,
                                                           ConnectionListener listener, int connectTimeoutMs,
                                                           long reconnectTimeoutMs) {
        BrokerConnection c = new BrokerConnection(vertx, uri, connect, listener, connectTimeoutMs,
                reconnectTimeoutMs);
        CompletableFuture<BrokerConnection> result = new CompletableFuture<>();
        c.context.runOnContext(v -> c.firstConnect(0, null, result));
        return result;
    }

    private void firstConnect(int index, Throwable last, CompletableFuture<BrokerConnection> result) {
        if (index >= uri.addresses().size()) {
            finish(State.CLOSED, null);
            result.completeExceptionally(new IOException("cannot connect to " + uri + ": "
                    + (last == null ? "no address" : last.getMessage()), last));
            return;
        }
        establish(index).onComplete(ar -> {
            if (ar.failed()) {
                if (ar.cause() instanceof BrokerErrorException) {
                    finish(State.CLOSED, null);
                    result.completeExceptionally(ar.cause());
                } else {
                    firstConnect(index + 1, ar.cause(), result);
                }
                return;
            }
            boolean up;
            synchronized (lock) {
                up = state == State.OPENING && current == ar.result();
                if (up) {
                    state = State.CONNECTED;
                }
            }
            if (up) {
                result.complete(this);
            } else {
                firstConnect(index + 1, new IOException("connection lost right after the handshake"), result);
            }
        });
    }

    /**
     * Connects a socket to address {@code index} and performs the handshake on it; it becomes {@link #current}.
     * Context: this connection's.
     */
    private Future<Link> establish(int index) {
        BrokerUri.Address a = uri.addresses().get(index);
        return client.connect(a.port(), a.host()).compose(socket -> {
            Link link;
            synchronized (lock) {
                if (state == State.CLOSED || state == State.FAILED) {
                    socket.close();
                    return Future.failedFuture(new IOException("connection is closed"));
                }
                link = new Link(socket, ++linkSeq);
                current = link;
            }
            FrameDecoder decoder = new FrameDecoder(MAX_INCOMING_FRAME, f -> onFrame(link, f));
            socket.handler(chunk -> {
                link.lastRead = System.nanoTime();
                try {
                    decoder.feed(chunk);
                } catch (ProtocolException e) {
                    LOG.warn("broker {} sent malformed data; dropping the connection", a, e);
                    socket.close();
                }
            });
            socket.closeHandler(v -> linkClosed(link));
            int id = nextCorrelationId();
            Pending hello = new Pending(null, false);
            hello.link = link.seq;
            synchronized (lock) {
                pending.put(id, hello);
            }
            link.write(connect.encode(id));
            // a broker that takes the socket but never answers (hung, or still starting) must not stall failover
            vertx.setTimer(connectTimeoutMs, t -> {
                if (!link.handshaken) {
                    socket.close();
                }
            });
            Promise<Link> done = Promise.promise();
            hello.future.whenComplete((frame, error) -> context.runOnContext(v -> {
                if (error != null) {
                    socket.close();
                    done.fail(error);
                } else {
                    connected = Connected.decode(frame.body());
                    link.handshaken = true;
                    startHeartbeats(link, connected.heartbeatMs());
                    done.complete(link);
                }
            }));
            return done.future();
        });
    }

    /**
     * Every half interval: a PING if nothing was written for an interval, and the socket closed (which fails over)
     * if nothing was read for {@value #HEARTBEATS_MISSED_MAX} intervals. Context: this connection's.
     */
    private void startHeartbeats(Link link, int heartbeatMs) {
        if (heartbeatMs <= 0) {
            return;
        }
        long intervalNanos = heartbeatMs * 1_000_000L;
        link.heartbeatTimer = vertx.setPeriodic(Math.max(1, heartbeatMs / 2), t -> {
            long now = System.nanoTime();
            if (now - link.lastRead > HEARTBEATS_MISSED_MAX * intervalNanos) {
                vertx.cancelTimer(t);
                LOG.warn("broker {} sent nothing for {} ms (heartbeat {} ms); taking the connection as lost",
                        link.socket.remoteAddress(), (now - link.lastRead) / 1_000_000, heartbeatMs);
                link.socket.close();
            } else if (now - link.lastWrite >= intervalNanos) {
                link.write(Heartbeat.ping());
            }
        });
    }

    private void onFrame(Link link, Frame frame) {
        if (frame.type() == FrameType.PONG) {
            return; // its arrival was noted by the socket's handler
        }
        if (frame.type() == FrameType.DELIVER) {
            if (link.handshaken) {
                listener.onDeliver(frame.body());
            }
            return;
        }
        if (frame.type() == FrameType.CONSUMER_MOVED) {
            if (link.handshaken) {
                io.heraldmq.protocol.ConsumerMoved moved = io.heraldmq.protocol.ConsumerMoved.decode(frame.body());
                listener.onConsumerMoved(moved.consumerId(), moved.move());
            }
            return;
        }
        CompletableFuture<Frame> f = null;
        if (frame.correlationId() != 0) {
            synchronized (lock) {
                Pending p = pending.get(frame.correlationId());
                // an answer belongs to the socket its request went out on (a resent request is answered again)
                if (p != null && p.link == link.seq) {
                    pending.remove(frame.correlationId());
                    f = p.future;
                }
            }
        }
        if (frame.type() == FrameType.ERROR) {
            ErrorFrame error = ErrorFrame.decode(frame.body());
            if (f != null) {
                f.completeExceptionally(new BrokerErrorException(error.code(), error.message()));
            } else {
                listener.onError(error);
            }
        } else if (f != null) {
            f.complete(frame);
        }
    }

    /** The socket of {@code link} closed. Context: this connection's. */
    private void linkClosed(Link link) {
        List<Pending> lost = new ArrayList<>();
        boolean interrupted = false;
        boolean closedOnPurpose = false;
        boolean failed = false;
        synchronized (lock) {
            if (link.heartbeatTimer >= 0) {
                vertx.cancelTimer(link.heartbeatTimer);
            }
            if (link != current) {
                return; // a socket already replaced or given up
            }
            current = null;
            for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (p.link == link.seq) {
                    if (p.resend) {
                        p.link = 0; // written again on the next socket
                    } else {
                        it.remove();
                        lost.add(p);
                    }
                }
            }
            switch (state) {
                case CONNECTED, RESUMING -> {
                    if (closeExpected) {
                        // the broker closed the socket after answering our CLOSE: no failover for that; close()
                        // follows and ends the connection
                        LOG.debug("the broker closed the connection after its CLOSE");
                    } else if (reconnectTimeoutMs > 0) {
                        if (state == State.CONNECTED) {
                            reconnector.lost(System.nanoTime());
                        }
                        state = State.RECONNECTING;
                        generation++;
                        interrupted = true;
                    } else {
                        state = State.FAILED;
                        failure = new IOException("connection to broker lost");
                        failed = true;
                    }
                }
                case CLOSED -> closedOnPurpose = true;
                default -> {
                    // OPENING or RECONNECTING: a socket whose handshake failed; the attempt loop goes on
                }
            }
        }
        IOException cause = new ConnectionLostException("connection to broker " + link.socket.remoteAddress()
                + " lost before the answer came; the request may or may not have been applied");
        if (interrupted) {
            LOG.warn("connection to broker {} lost; reconnecting to {} for up to {} ms", link.socket.remoteAddress(),
                    uri, reconnectTimeoutMs);
            listener.onInterrupted(cause);
        }
        for (Pending p : lost) {
            p.future.completeExceptionally(cause);
        }
        if (interrupted) {
            attempt();
        } else if (closedOnPurpose) {
            listener.onClosed(null);
        } else if (failed) {
            failPending(failure);
            client.close();
            listener.onClosed(failure);
        }
    }

    /** One reconnect attempt. Context: this connection's. */
    private void attempt() {
        synchronized (lock) {
            if (state != State.RECONNECTING) {
                return;
            }
        }
        if (reconnector.expired(System.nanoTime())) {
            Throwable last = lastReconnectError;
            finish(State.FAILED, new IOException("connection to the broker lost; no broker of " + uri
                    + " could be reached within " + reconnectTimeoutMs + " ms after " + reconnector.attempts()
                    + " attempt(s)" + (last == null ? "" : ": " + last.getMessage()), last));
            return;
        }
        int index = reconnector.nextAddress();
        establish(index).onComplete(ar -> {
            if (ar.failed()) {
                lastReconnectError = ar.cause();
                vertx.setTimer(reconnector.nextDelayMs(), t -> attempt());
                return;
            }
            Link link = ar.result();
            synchronized (lock) {
                if (state != State.RECONNECTING || current != link) {
                    link.socket.close();
                    return;
                }
                state = State.RESUMING;
            }
            LOG.info("reconnected to broker {} after {} attempt(s); restoring consumers", uri.addresses().get(index),
                    reconnector.attempts());
            listener.onResumed().whenComplete((v, error) -> context.runOnContext(x -> resumed(link, error)));
        });
    }

    /** The listener restored its state on {@code link}: what waited goes out, in order. */
    private void resumed(Link link, Throwable error) {
        if (error != null) {
            LOG.warn("restoring the connection's state after a reconnect failed in part", error);
        }
        synchronized (lock) {
            if (state != State.RESUMING || current != link) {
                return; // lost again meanwhile: that loss started the next attempt
            }
            state = State.CONNECTED;
            lastReconnectError = null;
            for (Pending p : pending.values()) {
                if (p.link == 0) {
                    p.link = link.seq;
                    link.write(p.frame);
                    if (!p.resend) {
                        p.frame = null;
                    }
                }
            }
        }
    }

    /** What the broker said in the latest handshake. */
    public Connected connected() {
        return connected;
    }

    /**
     * Counts socket losses: deliveries and acknowledgements belong to the generation they were received in, and
     * those of an older one are void (the broker gives them out again). Starts at 1.
     */
    public int generation() {
        return generation;
    }

    /** The client id to present when reconnecting (it was set after the connection opened). */
    public void clientIdChanged(String clientId) {
        Connect c = connect;
        connect = c.withClientId(clientId);
    }

    /** Whether a lost socket is reconnected rather than ending the connection. */
    public boolean failoverEnabled() {
        return reconnectTimeoutMs > 0;
    }

    /**
     * Sends a request and returns its response: the frame, or an exception ({@link BrokerErrorException} for an
     * ERROR, {@link ConnectionLostException} when the socket it was written to is lost, {@link IOException} when the
     * connection is closed or failed).
     *
     * @param encoder builds the frame for the correlation id it is given
     */
    public CompletableFuture<Frame> request(IntFunction<Buffer> encoder) {
        return request(encoder, false);
    }

    /**
     * @param resendAfterFailover write the same bytes again on the new socket if the one it went out on is lost
     *                            before the answer: for requests the broker recognises when repeated (a PRODUCE of
     *                            an idempotent batch)
     */
    public CompletableFuture<Frame> request(IntFunction<Buffer> encoder, boolean resendAfterFailover) {
        int id = nextCorrelationId();
        Pending p = new Pending(encoder.apply(id), resendAfterFailover);
        synchronized (lock) {
            switch (state) {
                case CONNECTED -> {
                    p.link = current.seq;
                    pending.put(id, p);
                    current.write(p.frame);
                    if (!p.resend) {
                        p.frame = null;
                    }
                }
                case OPENING, RECONNECTING, RESUMING -> pending.put(id, p); // written once connected
                default -> {
                    Throwable failed = failure;
                    p.future.completeExceptionally(failed != null ? failed : new IOException("connection is closed"));
                }
            }
        }
        return p.future;
    }

    /**
     * A request while the listener restores its state ({@link ConnectionListener#onResumed}): written at once on the
     * new socket, before everything that waits.
     */
    public CompletableFuture<Frame> resumeRequest(IntFunction<Buffer> encoder) {
        int id = nextCorrelationId();
        Pending p = new Pending(encoder.apply(id), false);
        synchronized (lock) {
            if ((state == State.RESUMING || state == State.CONNECTED) && current != null) {
                p.link = current.seq;
                pending.put(id, p);
                current.write(p.frame);
                p.frame = null;
            } else {
                p.future.completeExceptionally(new ConnectionLostException("the connection was lost again"));
            }
        }
        return p.future;
    }

    /**
     * Sends a frame that expects no answer; an ERROR it causes reaches {@link ConnectionListener#onError}. Dropped
     * while the connection is not up (see the class comment).
     */
    public void send(Buffer frame) {
        synchronized (lock) {
            if (state == State.CONNECTED && current != null) {
                current.write(frame);
            }
        }
    }

    /**
     * A one-way frame that restores state, so it may go while the listener restores the rest
     * ({@link ConnectionListener#onResumed}): written on the current socket when connected or resuming, dropped
     * otherwise, as the listener sends it again on the next resume.
     */
    public void resumeSend(Buffer frame) {
        synchronized (lock) {
            if ((state == State.CONNECTED || state == State.RESUMING) && current != null) {
                current.write(frame);
            }
        }
    }

    /** A correlation id for a one-way frame whose failure should still be reported. */
    public int nextCorrelationId() {
        int id = correlationIds.incrementAndGet();
        if (id == 0) {
            id = correlationIds.incrementAndGet();
        }
        return id;
    }

    /** Whether the connection is up now (not reconnecting, closed or failed). */
    public boolean isOpen() {
        synchronized (lock) {
            return state == State.CONNECTED;
        }
    }

    /** Runs {@code task} on this connection's event loop. */
    public void runOnContext(Runnable task) {
        context.runOnContext(v -> task.run());
    }

    /**
     * Says that the connection is about to be closed (a CLOSE of the connection is on its way), so that the broker
     * closing the socket in answer is not taken for a lost connection and failed over.
     */
    public void expectClose() {
        closeExpected = true;
    }

    /** Closes the socket at once (also while reconnecting); pending requests fail. */
    public Future<Void> close() {
        Link link;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return Future.succeededFuture();
            }
            boolean wasFailed = state == State.FAILED;
            state = State.CLOSED;
            link = current;
            if (wasFailed) {
                link = null;
            }
        }
        failPending(new IOException("connection is closed"));
        Promise<Void> p = Promise.promise();
        if (link != null) {
            link.socket.close().onComplete(ar -> client.close().onComplete(p));
        } else {
            client.close().onComplete(p);
        }
        return p.future();
    }

    /** Ends the connection: every waiting request fails; the listener hears of a failure. */
    private void finish(State end, Throwable cause) {
        Link link;
        synchronized (lock) {
            if (state == State.CLOSED || state == State.FAILED) {
                return;
            }
            state = end;
            link = current;
            current = null;
            failure = cause;
        }
        failPending(cause != null ? cause : new IOException("connection is closed"));
        if (link != null) {
            link.socket.close();
        }
        client.close();
        if (cause != null) {
            listener.onClosed(cause);
        }
    }

    private void failPending(Throwable cause) {
        List<Pending> all;
        synchronized (lock) {
            all = new ArrayList<>(pending.values());
            pending.clear();
        }
        for (Pending p : all) {
            p.future.completeExceptionally(cause);
        }
    }

    /** The error code of a failed request, or null if it did not fail with a broker error. */
    public static ErrorCode errorCode(Throwable t) {
        Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        return c instanceof BrokerErrorException b ? b.code() : null;
    }
}
