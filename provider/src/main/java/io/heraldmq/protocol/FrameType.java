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
    COMMIT(18),
    /** XA: prepare a branch, its whole work in the frame ({@link XaPrepare}). */
    XA_PREPARE(19),
    /** XA: commit a branch, prepared or (one-phase) with its work in the frame ({@link XaCommit}). */
    XA_COMMIT(20),
    /** XA: roll a prepared branch back ({@link XaRollback}). */
    XA_ROLLBACK(21),
    /** XA: list the prepared and heuristically completed branches ({@link XaRecover}), answered by XA_XIDS. */
    XA_RECOVER(22),
    /** XA: forget a heuristically completed branch ({@link XaForget}). */
    XA_FORGET(23),
    /** The answer to XA_RECOVER ({@link XaXids}). */
    XA_XIDS(24),
    /** Heartbeat from the client, idle for its interval ({@link Heartbeat}); answered by PONG. */
    PING(25),
    /** The broker's answer to PING ({@link Heartbeat}). */
    PONG(26),
    /**
     * The outcome of a COMMIT whose answer was lost with its connection ({@link TxOutcome}): OK if it committed,
     * TRANSACTION_ROLLED_BACK if it did not (and now never will).
     */
    TX_OUTCOME(30),
    /** A producer is created ({@link OpenProducer}); answered by PRODUCER_OPENED, or ERROR at the broker's limit. */
    OPEN_PRODUCER(27),
    /** The answer to OPEN_PRODUCER ({@link ProducerOpened}). */
    PRODUCER_OPENED(28),
    /** A producer is closed ({@link CloseProducer}); one-way. */
    CLOSE_PRODUCER(29),
    /** Broker to client: a relayed consumer was subscribed again at its destination's new leader ({@link ConsumerMoved}). */
    CONSUMER_MOVED(31),
    /**
     * Broker to broker, on a relay only: prepare one leader's part of a transaction that spans brokers
     * ({@link TxPrepare}); answered by TX_PREPARED or ERROR.
     */
    TX_PREPARE(32),
    /** The answer to TX_PREPARE: what the decision needs of the prepared part (server-side layout). */
    TX_PREPARED(33),
    /** Broker to broker, on a relay only: apply or release a prepared part ({@link TxFinish}); answered by OK. */
    TX_FINISH(34),
    /** A session is created ({@link OpenSession}); one-way, counted for the meters only. */
    OPEN_SESSION(35),
    /** A session is closed ({@link CloseSession}); one-way. */
    CLOSE_SESSION(36);

    private static final FrameType[] BY_CODE = new FrameType[37];

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

    /** Whether a frame of this type carries a whole transaction and may be up to {@link Commit#MAX_FRAME_BYTES}. */
    public boolean carriesTransaction() {
        return this == COMMIT || this == XA_PREPARE || this == XA_COMMIT || this == TX_PREPARE;
    }

    /** @return the type, or null if the code is unknown */
    public static FrameType of(byte code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
