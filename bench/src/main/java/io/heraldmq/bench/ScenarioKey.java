package io.heraldmq.bench;

/** The scenarios of the comparison, in table order; the key names them on command lines and in results. */
public enum ScenarioKey {
    FANOUT("fanout"),
    DURABLE("durable"),
    QUEUE("queue"),
    LATENCY("latency"),
    TRANSACTED("transacted"),
    MANY_PRODUCERS("many-producers"),
    BACKLOG("backlog"),
    REPLAY("replay"),
    REPLAY_COLD("replay-cold");

    private final String key;

    ScenarioKey(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static ScenarioKey parse(String key) {
        for (ScenarioKey k : values()) {
            if (k.key.equalsIgnoreCase(key)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + key + "'; known: fanout, durable, queue, latency,"
                + " transacted, many-producers, backlog, replay, replay-cold");
    }
}
