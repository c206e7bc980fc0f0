package io.heraldmq.client;

import java.io.IOException;

/**
 * A request was written to a connection that was lost before its answer came: the broker may or may not have applied
 * it. With failover the connection itself goes on (see {@link BrokerConnection}); only this request's outcome is
 * unknown. Requests that are safe to send again (idempotent sends) never fail this way while failover goes on: they
 * are sent again on the new connection.
 */
public final class ConnectionLostException extends IOException {
    public ConnectionLostException(String message) {
        super(message);
    }
}
