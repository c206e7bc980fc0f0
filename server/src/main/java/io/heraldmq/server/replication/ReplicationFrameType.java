package io.heraldmq.server.replication;

/**
 * Frame types of the broker-to-broker replication connection. Codes are stable on the wire: never renumber, only
 * add. The client protocol's frame types are a separate space: a replication port never speaks to clients.
 */
public enum ReplicationFrameType {
    /** A would-be leader asks a replica to accept its epoch ({@link BeginEpoch}); answered by EPOCH_VOTE. */
    BEGIN_EPOCH(1),
    /** The answer to BEGIN_EPOCH ({@link EpochVote}). */
    EPOCH_VOTE(2),
    /** A follower asks its leader for batches ({@link Fetch}); answered by FETCH_RESULT. */
    FETCH(3),
    /** The answer to FETCH ({@link FetchResult}). */
    FETCH_RESULT(4),
    /** A broker hands a client's batch to the partition's leader ({@link ForwardProduce}); answered by FORWARD_RESULT. */
    FORWARD_PRODUCE(5),
    /** The answer to FORWARD_PRODUCE ({@link ForwardResult}). */
    FORWARD_RESULT(6),
    /** A coordinator records a transaction's decision with the decision log's leader; answered by TX_RESULT. */
    TX_DECIDE(7),
    /** A partition's new leader asks the decision log for the transactions it must apply first; TX_RESULT. */
    TX_GATE(8),
    /** Parts of a decided transaction are applied; answered by TX_RESULT. */
    TX_APPLIED(9),
    /** The answer to TX_DECIDE, TX_GATE, TX_APPLIED and TX_RESOLVE ({@code TxLogResult}). */
    TX_RESULT(10),
    /** The outcome of a transaction, rolling it back for good if it is undecided; answered by TX_RESULT. */
    TX_RESOLVE(11),
    /**
     * With cluster TLS: the connection becomes a relay connection of the client protocol ({@link RelayUpgrade});
     * empty body, answered by RELAY_ACCEPTED.
     */
    RELAY(12),
    /** The answer to RELAY (empty body): from the next byte on, the connection speaks the client protocol. */
    RELAY_ACCEPTED(13),
    /** An XA request to the decision log: record a prepared branch, its outcome, or list them ({@code TxXa}). */
    TX_XA(14),
    /** A partition's leader is told to finish its part of a decided XA branch ({@code TxXaFinish}); TX_RESULT. */
    TX_XA_FINISH(15),
    /**
     * A candidate refused as behind asks the replica that refused it for the batches it lacks ({@link CatchUpFetch});
     * answered by FETCH_RESULT.
     */
    CATCH_UP_FETCH(16);

    private static final ReplicationFrameType[] BY_CODE = new ReplicationFrameType[17];

    static {
        for (ReplicationFrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final byte code;

    ReplicationFrameType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** @return the type, or null for an unknown code */
    public static ReplicationFrameType of(byte code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
