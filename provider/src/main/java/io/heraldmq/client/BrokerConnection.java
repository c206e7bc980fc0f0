package io.heraldmq.client;

import io.heraldmq.protocol.Connect;
import io.heraldmq.protocol.Connected;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ErrorFrame;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.FrameDecoder;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.protocol.ProtocolException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * An asynchronous connection to one broker: sends frames, matches responses to requests by correlation id, and
 * passes everything else to its {@link ConnectionListener}. It knows nothing of JMS; the JMS classes wait on the
 * futures it returns. Methods are safe from any thread.
 */
public final class BrokerConnection {
    private static final int MAX_INCOMING_FRAME = 64 << 20;

    private final Vertx vertx;
    private final ConnectionListener listener;
    private final Map<Integer, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger correlationIds = new AtomicInteger();
    private NetClient client;
    private NetSocket socket;
    private Context context;
    private Connected connected;
    private volatile boolean closed;
    private volatile Throwable failure;

    private BrokerConnection(Vertx vertx, ConnectionListener listener) {
        this.vertx = vertx;
        this.listener = listener;
    }

    /**
     * Connects to the first address of {@code uri} that answers and performs the CONNECT handshake.
     *
     * @return completes with the connection, or with {@link BrokerErrorException} / {@link IOException}
     */
    public static CompletableFuture<BrokerConnection> open(Vertx vertx, BrokerUri uri, Connect connect,
                                                           ConnectionListener listener, int connectTimeoutMs) {
        BrokerConnection c = new BrokerConnection(vertx, listener);
        CompletableFuture<BrokerConnection> result = new CompletableFuture<>();
        c.client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true)
                .setConnectTimeout(connectTimeoutMs));
        c.tryAddress(uri, 0, connect, result, null);
        return result;
    }

    private void tryAddress(BrokerUri uri, int index, Connect connect, CompletableFuture<BrokerConnection> result,
                            Throwable last) {
        if (index >= uri.addresses().size()) {
            client.close();
            result.completeExceptionally(new IOException("cannot connect to " + uri + ": "
                    + (last == null ? "no address" : last.getMessage()), last));
            return;
        }
        BrokerUri.Address a = uri.addresses().get(index);
        client.connect(a.port(), a.host()).onComplete(ar -> {
            if (ar.failed()) {
                tryAddress(uri, index + 1, connect, result, ar.cause());
                return;
            }
            socket = ar.result();
            context = vertx.getOrCreateContext();
            FrameDecoder decoder = new FrameDecoder(MAX_INCOMING_FRAME, this::onFrame);
            socket.handler(chunk -> {
                try {
                    decoder.feed(chunk);
                } catch (ProtocolException e) {
                    fail(new IOException("broker sent malformed data: " + e.getMessage(), e));
                }
            });
            socket.closeHandler(v -> fail(closed ? null : new IOException("connection to broker lost")));
            request(id -> connect.encode(id)).whenComplete((frame, error) -> {
                if (error != null) {
                    close();
                    result.completeExceptionally(error);
                } else {
                    connected = Connected.decode(frame.body());
                    result.complete(this);
                }
            });
        });
    }

    private void onFrame(Frame frame) {
        if (frame.type() == FrameType.DELIVER) {
            listener.onDeliver(frame.body());
            return;
        }
        CompletableFuture<Frame> f = frame.correlationId() == 0 ? null : pending.remove(frame.correlationId());
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

    /** What the broker said in the handshake. */
    public Connected connected() {
        return connected;
    }

    /**
     * Sends a request and returns its response: the frame, or an exception ({@link BrokerErrorException} for an
     * ERROR, {@link IOException} when the connection is lost).
     *
     * @param encoder builds the frame for the correlation id it is given
     */
    public CompletableFuture<Frame> request(IntFunction<Buffer> encoder) {
        int id = nextCorrelationId();
        CompletableFuture<Frame> f = new CompletableFuture<>();
        pending.put(id, f);
        Throwable failed = failure;
        if (closed || failed != null) {
            pending.remove(id);
            f.completeExceptionally(failed != null ? failed : new IOException("connection is closed"));
            return f;
        }
        socket.write(encoder.apply(id));
        return f;
    }

    /** Sends a frame that expects no answer; an ERROR it causes reaches {@link ConnectionListener#onError}. */
    public void send(Buffer frame) {
        if (!closed && failure == null) {
            socket.write(frame);
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

    public boolean isOpen() {
        return !closed && failure == null;
    }

    /** Runs {@code task} on this connection's event loop. */
    public void runOnContext(Runnable task) {
        context.runOnContext(v -> task.run());
    }

    /** Closes the socket at once; pending requests fail. */
    public Future<Void> close() {
        if (closed) {
            return Future.succeededFuture();
        }
        closed = true;
        Promise<Void> p = Promise.promise();
        if (socket != null) {
            socket.close().onComplete(ar -> client.close().onComplete(p));
        } else {
            client.close().onComplete(p);
        }
        return p.future();
    }

    private void fail(Throwable cause) {
        if (failure != null) {
            return;
        }
        failure = cause != null ? cause : new IOException("connection is closed");
        for (Integer id : pending.keySet()) {
            CompletableFuture<Frame> f = pending.remove(id);
            if (f != null) {
                f.completeExceptionally(failure);
            }
        }
        if (!closed) {
            closed = true;
            client.close();
        }
        listener.onClosed(cause);
    }

    /** The error code of a failed request, or null if it did not fail with a broker error. */
    public static ErrorCode errorCode(Throwable t) {
        Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        return c instanceof BrokerErrorException b ? b.code() : null;
    }
}
