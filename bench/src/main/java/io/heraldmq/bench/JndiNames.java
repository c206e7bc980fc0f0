package io.heraldmq.bench;

/**
 * The JNDI names the load generator looks up; the runner writes a jndi.properties binding them for each broker.
 * {@value #FACTORY} is a plain factory; {@code subscriber0..3} carry a client id each (durable subscriptions need
 * one, and JNDI is where a portable application gets it); {@value #ASYNC_FACTORY} is what the backlog publisher
 * sends through with a CompletionListener. No {@code jakarta.jms} here: the runner, which has no JMS client on its
 * classpath, uses these names too.
 */
public final class JndiNames {
    public static final String FACTORY = "benchFactory";
    public static final String SUBSCRIBER_FACTORY_PREFIX = "subscriber";
    public static final int SUBSCRIBER_FACTORIES = 4;
    public static final String ASYNC_FACTORY = "asyncFactory";

    private JndiNames() {
    }

    /** The JNDI name of each scenario's destination (bound to a topic, or a queue for queue and transacted). */
    public static String destination(ScenarioKey scenario) {
        return "bench/" + scenario.key();
    }

    public static boolean isQueue(ScenarioKey scenario) {
        return scenario == ScenarioKey.QUEUE || scenario == ScenarioKey.TRANSACTED;
    }
}
