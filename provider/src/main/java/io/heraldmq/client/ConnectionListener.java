package io.heraldmq.client;

import io.heraldmq.protocol.ErrorFrame;
import io.vertx.core.buffer.Buffer;

/** The one way events come back from a {@link BrokerConnection}. Called on the connection's event loop. */
public interface ConnectionListener {
    /** A DELIVER frame's body; parse with {@link io.heraldmq.protocol.Deliver#read}. */
    void onDeliver(Buffer body);

    /** An ERROR that answers no pending request (e.g. a failed one-way send). */
    void onError(ErrorFrame error);

    /** The connection is gone; {@code cause} is null when it was closed on purpose. */
    void onClosed(Throwable cause);
}
