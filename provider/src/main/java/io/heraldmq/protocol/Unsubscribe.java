package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * UNSUBSCRIBE: deletes a durable subscription ({@code Session.unsubscribe}) with its stored position. The broker
 * looks for the unshared durable subscription of this connection's client id with this name, then for the shared
 * durable one (client id, if set, and name). Answered with OK, or ERROR: INVALID_DESTINATION (no such
 * subscription), ILLEGAL_STATE (it has an active consumer). Body:
 * <pre>
 * string subscriptionName  not null
 * </pre>
 */
public record Unsubscribe(String subscriptionName) {
    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.UNSUBSCRIBE, correlationId, 32);
        Wire.writeString(b, subscriptionName);
        return Frame.finish(b);
    }

    public static Unsubscribe decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        Unsubscribe f = new Unsubscribe(c.readString());
        c.expectEnd();
        if (f.subscriptionName == null || f.subscriptionName.isEmpty()) {
            throw new ProtocolException("UNSUBSCRIBE without a subscription name");
        }
        return f;
    }
}
