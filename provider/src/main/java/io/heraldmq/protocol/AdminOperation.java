package io.heraldmq.protocol;

/**
 * The operation an {@link Admin} request asks for; one byte on the wire. Codes are stable: never renumber, only add.
 * Arguments are named strings; the ones each operation reads, and the columns of its {@link AdminResult}:
 * <pre>
 * CREATE_TOPIC         name, kind (topic|queue, default topic), partitions (default: the broker's; queues 1),
 *                      retention.ms, retention.bytes (default -1: the broker's default)
 *                      → one row: name, kind, partitions, retention.ms, retention.bytes
 * DELETE_TOPIC         name, kind, force (true: even with consumers attached)        → no rows
 * LIST_TOPICS          leader (optional, {@code here}: only destinations no other live broker leads; a clustered
 *                      broker asks each leader so for its part)
 *                      → name, kind, partitions, retention.ms, retention.bytes, size.bytes, messages,
 *                        log.start.by.partition, log.end.by.partition, size.by.partition ("0=12,1=3")
 * LIST_SUBSCRIPTIONS   topic (optional: only that topic's); leader (optional, {@code here}: only destinations
 *                      no other live broker leads; a clustered broker asks each leader so for its part)
 *                      → id, kind, topic, name, client.id, durable, shared, selector, consumers, backlog,
 *                        backlog.by.partition ("0=12,1=3"), expired (messages skipped as expired since the
 *                        subscription opened; not persisted), retention.ms
 * SEEK_SUBSCRIPTION    id, to (offset|timestamp|beginning|end), value (offset, or timestamp in ms since the epoch),
 *                      partition (optional: only that one)                          → partition, offset
 * DELETE_SUBSCRIPTION  id                                                            → no rows
 * DEAD_LETTER_SETTINGS name, kind, and to change them (each optional; absent = unchanged): max.delivery.attempts
 *                      (-1 = unlimited), redelivery.delay.ms, redelivery.multiplier, max.redelivery.delay.ms
 *                      (0 = no cap), dead.letter.queue; with none of those it only shows them
 *                      → one row: kind, name, max.delivery.attempts, redelivery.delay.ms, redelivery.multiplier,
 *                        max.redelivery.delay.ms, dead.letter.queue, source (destination|default)
 * SET_SUBSCRIPTION_RETENTION  topic, subscription (an id, or the name of one durable subscription of the topic),
 *                      retention.ms (1 or more)                                      → one row: id, retention.ms
 * CLUSTER_STATUS       (none)
 *                      → type (member|partition); member rows: id, address (client host:port), coordinator;
 *                        partition rows: kind, destination, partition, leader (absent: offline), replicas, isr
 *                        ("b1,b2"), epoch, lag ("b1=0,b2=12,b3=-": the leader's log end minus each replica's,
 *                        "-" when unknown)
 * CLUSTER_DRAIN        broker (a broker id), replicas (true: move its replicas too)    → no rows
 * CLUSTER_REBALANCE    (none)                                                          → no rows
 * TX_LIST              (none)
 *                      → xid (formatId:gtridHex:bqualHex), state (prepared|deciding|heuristic-commit|
 *                        heuristic-rollback), prepared.at (ms since the epoch; since the broker's start for branches
 *                        it recovered), messages (sent by the branch), consumed (deliveries it holds),
 *                        destinations ("queue:a,topic:b")
 * TX_COMMIT            xid: an operator commits a prepared XA branch (a heuristic decision the transaction
 *                      manager is told of as XA_HEURCOM)                               → no rows
 * TX_ROLLBACK          xid: likewise rolls it back (XA_HEURRB)                         → no rows
 * </pre>
 * The CLUSTER_ operations fail with ILLEGAL_STATE on a broker that is not clustered.
 * Subscription ids are those LIST_SUBSCRIPTIONS shows ({@code queue:<name>}, {@code durable:<clientId>:<name>},
 * {@code shared-durable:<clientId>:<name>}, ...). Numbers are decimal strings, booleans {@code true}/{@code false}.
 */
public enum AdminOperation {
    CREATE_TOPIC(1),
    DELETE_TOPIC(2),
    LIST_TOPICS(3),
    LIST_SUBSCRIPTIONS(4),
    SEEK_SUBSCRIPTION(5),
    DELETE_SUBSCRIPTION(6),
    DEAD_LETTER_SETTINGS(7),
    SET_SUBSCRIPTION_RETENTION(8),
    CLUSTER_STATUS(9),
    CLUSTER_DRAIN(10),
    CLUSTER_REBALANCE(11),
    TX_LIST(12),
    TX_COMMIT(13),
    TX_ROLLBACK(14);

    private final byte code;

    AdminOperation(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** @return the operation, or null if the code is unknown (the broker answers INVALID_ARGUMENT) */
    public static AdminOperation of(byte code) {
        for (AdminOperation op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        return null;
    }
}
