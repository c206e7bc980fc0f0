package io.heraldmq.tck.compat;

/**
 * One JMS call of a generated sequence. {@code id} is the op's position when it was generated; ops that create an
 * object (connection, session, producer, consumer) are referred to by that id, so removing ops while shrinking never
 * re-points a reference: an op whose object was removed is skipped on both brokers. The meaning of {@code a},
 * {@code b}, {@code c} depends on the kind (see {@link #toString()}).
 */
public record Op(Kind kind, int id, int a, int b, int c) {
    public enum Kind {
        /** a = client id number (-1 = none) */
        CONNECTION,
        /** a = connection */
        START,
        /** a = connection */
        STOP,
        /** a = connection */
        CLOSE_CONNECTION,
        /** a = connection, b = mode (0-3), c = 1 for the legacy createSession(transacted, mode) form */
        SESSION,
        /** a = session */
        CLOSE_SESSION,
        /** a = session, b = destination (-1 = none) */
        PRODUCER,
        /** a = producer, b = destination for an unidentified producer, c = persistent (1) or not, and properties */
        SEND,
        /** a = producer */
        CLOSE_PRODUCER,
        /** a = session, b = destination, c = consumer kind * 4 + selector */
        CONSUMER,
        /** a = consumer */
        RECEIVE,
        /** a = consumer */
        CLOSE_CONSUMER,
        /** a = session: acknowledge() on the last message it received */
        ACKNOWLEDGE,
        /** a = session */
        COMMIT,
        /** a = session */
        ROLLBACK,
        /** a = session */
        RECOVER,
        /** a = session, b = subscription name */
        UNSUBSCRIBE,
        /** a = session, b = queue */
        BROWSE
    }

    static final String[] DESTINATIONS = {"queue q0", "queue q1", "topic t0"};
    static final String[] SELECTORS = {null, "color = 'red'", "n > 3", "JMSPriority = 4"};
    static final String[] CONSUMER_KINDS = {"consumer", "durable", "shared", "sharedDurable"};
    /**
     * Two names for each kind of named subscription (unshared durable, shared durable, shared non-durable): a name used
     * by two kinds is refused by HeraldMQ as the specification says and taken by Artemis (docs/compatibility.md).
     */
    static final String[] SUBSCRIPTIONS = {"sub0", "sub1", "shared0", "shared1", "nondurable0", "nondurable1"};

    /** The subscription name of a consumer of this kind (1 durable, 2 shared, 3 shared durable) made by op {@code id}. */
    static String subscription(int kind, int id) {
        return SUBSCRIPTIONS[(kind == 1 ? 0 : kind == 3 ? 2 : 4) + id % 2];
    }

    static boolean isQueue(int destination) {
        return destination < 2;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CONNECTION -> "c" + id + " = createConnection()" + (a < 0 ? "" : "; c" + id + ".setClientID(cid" + a
                    + ")");
            case START -> "c" + a + ".start()";
            case STOP -> "c" + a + ".stop()";
            case CLOSE_CONNECTION -> "c" + a + ".close()";
            case SESSION -> "s" + id + " = c" + a + (c == 1 ? ".createSession(" + (b == 0) + ", " + b + ")"
                    : ".createSession(" + b + ")");
            case CLOSE_SESSION -> "s" + a + ".close()";
            case PRODUCER -> "p" + id + " = s" + a + ".createProducer(" + (b < 0 ? "null" : DESTINATIONS[b]) + ")";
            case SEND -> "p" + a + ".send(" + (b < 0 ? "" : DESTINATIONS[b] + ", ") + "text m" + id + ", n=" + id
                    + ", color=" + ((c & 2) != 0 ? "red" : "blue") + ", " + ((c & 1) != 0 ? "PERSISTENT"
                    : "NON_PERSISTENT") + ")";
            case CLOSE_PRODUCER -> "p" + a + ".close()";
            case CONSUMER -> "r" + id + " = s" + a + ".create " + CONSUMER_KINDS[c / 4] + "(" + DESTINATIONS[b]
                    + (c / 4 == 0 ? "" : ", " + subscription(c / 4, id)) + ", selector " + SELECTORS[c % 4] + ")";
            case RECEIVE -> "r" + a + ".receive()";
            case CLOSE_CONSUMER -> "r" + a + ".close()";
            case ACKNOWLEDGE -> "s" + a + ": last received message.acknowledge()";
            case COMMIT -> "s" + a + ".commit()";
            case ROLLBACK -> "s" + a + ".rollback()";
            case RECOVER -> "s" + a + ".recover()";
            case UNSUBSCRIBE -> "s" + a + ".unsubscribe(" + SUBSCRIPTIONS[b] + ")";
            case BROWSE -> "s" + a + ".createBrowser(" + DESTINATIONS[b] + ") and enumerate";
        };
    }
}
