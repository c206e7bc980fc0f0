package io.heraldmq.jms;

import io.vertx.core.buffer.Buffer;

/**
 * What a connection routes DELIVER entries to, by consumer id: a {@link HeraldMessageConsumer} or a queue browser's
 * enumeration. Called on the connection's event loop.
 */
interface DeliveryTarget {
    void enqueue(int partition, long offset, int deliveryCount, Buffer record);

    /** The broker sent the end marker of a browse (an empty DELIVER). Consumers never get one. */
    default void browseEnded() {
    }

    /**
     * The broker moved this consumer to its destination's new leader ({@link io.heraldmq.protocol.ConsumerMoved}):
     * what came before is void. A browse cannot go on (its position lived with the lost leader): by default it ends
     * as if the broker were gone.
     */
    default void moved(int move) {
        brokerGone();
    }

    /** The connection to the broker is lost. */
    void brokerGone();

    /**
     * Failover: the socket was lost and the connection reconnects. A browse cannot go on (its position lived with the
     * lost consumer on the broker): by default it ends as if the broker were gone. Consumers are handled by their
     * session instead ({@link HeraldSession#connectionInterrupted}) and do nothing here.
     */
    default void connectionInterrupted() {
        brokerGone();
    }
}
