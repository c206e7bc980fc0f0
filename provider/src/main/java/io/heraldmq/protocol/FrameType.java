package io.heraldmq.protocol;

/** The type byte of a {@link Frame}. Codes are stable on the wire: never renumber, only add. */
public enum FrameType {
    CONNECT(1),
    CONNECTED(2),
    PRODUCE(3),
    PRODUCE_ACK(4),
    SUBSCRIBE(5),
    CREDIT(6),
    DELIVER(7),
    ACK(8),
    CLOSE(9),
    ERROR(10),
    OK(11),
    SET_CLIENT_ID(12),
    CREATE_TEMP(13),
    DELETE_TEMP(14),
    UNSUBSCRIBE(15),
    ADMIN(16),
    ADMIN_RESULT(17),
    COMMIT(18);

    private static final FrameType[] BY_CODE = new FrameType[20];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final byte code;

    FrameType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** @return the type, or null if the code is unknown */
    public static FrameType of(byte code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
