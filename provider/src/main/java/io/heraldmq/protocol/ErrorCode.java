package io.heraldmq.protocol;

/**
 * Error codes carried by an {@link ErrorFrame}. The client maps each to the JMS exception the specification names.
 * Codes are stable on the wire: never renumber, only add.
 */
public enum ErrorCode {
    /** Malformed frame or protocol misuse; the broker closes the connection after sending it. */
    PROTOCOL_ERROR(1),
    /** The client speaks a protocol version the broker does not. */
    UNSUPPORTED_VERSION(2),
    /** Wrong user name or password. */
    AUTHENTICATION_FAILED(3),
    /** The user may not do this on this destination. */
    NOT_AUTHORIZED(4),
    /** A record is larger than the broker's max message size. */
    MESSAGE_TOO_LARGE(5),
    /** Unknown or invalid destination. */
    INVALID_DESTINATION(6),
    /** The selector does not parse. */
    INVALID_SELECTOR(7),
    /** The client id is invalid or already in use. */
    INVALID_CLIENT_ID(8),
    /** Disk full or another resource exhausted. */
    RESOURCE_EXHAUSTED(9),
    /** The request is not allowed in the current state (e.g. unsubscribe with an active consumer). */
    ILLEGAL_STATE(10),
    /** This broker does not lead the partition; the client must refresh metadata and retry. */
    NOT_LEADER(11),
    /** A transaction could not be committed. */
    TRANSACTION_ROLLED_BACK(12),
    /** An administrative request named an unknown operation or gave a missing or malformed argument. */
    INVALID_ARGUMENT(16),
    /**
     * A shared durable subscription of that name exists with another topic, selector or kind (unshared) and is in use:
     * the client throws a plain JMSException, as the specification (and Artemis) has it.
     */
    SUBSCRIPTION_CONFLICT(17),
    /** XA: the broker knows no prepared or heuristically completed branch of that xid (XAER_NOTA). */
    XA_UNKNOWN_XID(18),
    /** XA: a branch of that xid is prepared already (XAER_DUPID). */
    XA_DUPLICATE_XID(19),
    /** XA: the branch is not in a state that allows the request (XAER_PROTO), e.g. forget of a prepared one. */
    XA_WRONG_STATE(20),
    /** XA: an operator committed the branch (heuristically) before the transaction manager decided (XA_HEURCOM). */
    XA_HEURISTIC_COMMIT(21),
    /** XA: an operator rolled the branch back (heuristically) before the transaction manager decided (XA_HEURRB). */
    XA_HEURISTIC_ROLLBACK(22),
    /** Anything else; the message says what. */
    INTERNAL(99);

    private final short code;

    ErrorCode(int code) {
        this.code = (short) code;
    }

    public short code() {
        return code;
    }

    public static ErrorCode of(short code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return INTERNAL;
    }
}
