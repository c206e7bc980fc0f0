package io.heraldmq.client;

import io.heraldmq.protocol.ErrorFrame;
import io.vertx.core.buffer.Buffer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The one way events come back from a {@link BrokerConnection}. Called on the connection's event loop. */
public interface ConnectionListener {
    /** A DELIVER frame's body; parse with {@link io.heraldmq.protocol.Deliver#read}. */
    void onDeliver(Buffer body);

    /**
     * CONSUMER_MOVED ({@link io.heraldmq.protocol.ConsumerMoved}): the broker relayed a consumer to a leader it lost
     * and subscribed it again at the new one; the consumer's deliveries received before this are void.
     */
    default void onConsumerMoved(int consumerId, int move) {
    }

    /** An ERROR that answers no pending request (e.g. a failed one-way send). */
    void onError(ErrorFrame error);

    /**
     * The connection is gone for good; {@code cause} is null when it was closed on purpose. With failover, only once
     * reconnecting failed for the whole reconnect timeout.
     */
    void onClosed(Throwable cause);

    /**
     * Failover: the socket was lost and the connection is reconnecting. Everything the broker said on the lost socket
     * is void from now on: deliveries of the old {@link BrokerConnection#generation()} must not be acknowledged (the
     * broker gives them out again). Called before the requests that were waiting on the lost socket fail, so that
     * whoever waits for them finds the cleaned-up state. Must not block.
     */
    default void onInterrupted(Throwable cause) {
    }

    /**
     * Failover: a new socket is connected and the CONNECT handshake done; nothing else has been sent on it yet. The
     * listener restores its state with {@link BrokerConnection#resumeRequest} (subscriptions...); once the stage
     * completes, the requests made meanwhile and the sends to repeat go out, in their original order. Must not block.
     */
    default CompletionStage<Void> onResumed() {
        return CompletableFuture.completedFuture(null);
    }
}
