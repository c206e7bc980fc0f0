package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * SUBSCRIBE: attach a consumer to a destination. Answered with OK or ERROR. Body:
 * <pre>
 * int32  consumerId        chosen by the client, unique within the connection; DELIVER and ACK name it
 * byte   destinationKind   {@link DestinationKind}
 * string destination
 * string subscriptionName  null for a non-durable, unshared topic subscriber and for queues
 * byte   flags             bit 0 DURABLE, bit 1 SHARED, bit 2 NO_LOCAL, bit 3 BROWSE (queue browser)
 * string selector          null or empty for none
 * int32  initialCredit     messages the broker may send before the first CREDIT
 * </pre>
 */
public record Subscribe(int consumerId, DestinationKind kind, String destination, String subscriptionName, byte flags,
                        String selector, int initialCredit) {
    public static final byte FLAG_DURABLE = 1;
    public static final byte FLAG_SHARED = 2;
    public static final byte FLAG_NO_LOCAL = 4;
    public static final byte FLAG_BROWSE = 8;

    public boolean durable() {
        return (flags & FLAG_DURABLE) != 0;
    }

    public boolean shared() {
        return (flags & FLAG_SHARED) != 0;
    }

    public boolean noLocal() {
        return (flags & FLAG_NO_LOCAL) != 0;
    }

    public boolean browse() {
        return (flags & FLAG_BROWSE) != 0;
    }

    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.SUBSCRIBE, correlationId, 64);
        b.appendInt(consumerId).appendByte(kind.code());
        Wire.writeString(b, destination);
        Wire.writeString(b, subscriptionName);
        b.appendByte(flags);
        Wire.writeString(b, selector);
        b.appendInt(initialCredit);
        return Frame.finish(b);
    }

    public static Subscribe decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        int consumerId = c.readInt();
        DestinationKind kind = DestinationKind.of(c.readByte());
        String destination = c.readString();
        if (destination == null) {
            throw new ProtocolException("SUBSCRIBE without a destination");
        }
        Subscribe f = new Subscribe(consumerId, kind, destination, c.readString(), c.readByte(), c.readString(),
                c.readInt());
        c.expectEnd();
        return f;
    }
}
