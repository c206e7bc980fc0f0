package io.heraldmq.protocol;

/** What a destination name refers to; one byte on the wire. */
public enum DestinationKind {
    QUEUE(0),
    TOPIC(1),
    TEMPORARY_QUEUE(2),
    TEMPORARY_TOPIC(3);

    private final byte code;

    DestinationKind(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** Queues (temporary or not) hand each message to one consumer; topics to every subscription. */
    public boolean isQueue() {
        return this == QUEUE || this == TEMPORARY_QUEUE;
    }

    public boolean isTemporary() {
        return this == TEMPORARY_QUEUE || this == TEMPORARY_TOPIC;
    }

    public static DestinationKind of(byte code) {
        if (code < 0 || code > 3) {
            throw new ProtocolException("unknown destination kind " + code);
        }
        return values()[code];
    }
}
