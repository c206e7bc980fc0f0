package io.heraldmq.bench.runner;

import io.heraldmq.bench.JndiNames;
import io.heraldmq.bench.ScenarioKey;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The three brokers compared: how to start each in a JVM of its own, how it says it is ready, and the
 * jndi.properties a JMS application uses to reach it. Client settings are each provider's defaults, except where
 * named in {@link #jndiProperties}.
 */
enum BrokerKind {
    HERALDMQ("HeraldMQ", "heraldmq", "io.heraldmq.server.Main", "HeraldMQ ready on"),
    ARTEMIS("Artemis", "artemis", "io.heraldmq.bench.artemis.ArtemisLauncher", "BENCH-BROKER-READY"),
    CLASSIC("Classic", "classic", "io.heraldmq.bench.classic.ClassicLauncher", "BENCH-BROKER-READY");

    private final String displayName;
    private final String module;
    private final String mainClass;
    private final String readyMarker;

    BrokerKind(String displayName, String module, String mainClass, String readyMarker) {
        this.displayName = displayName;
        this.module = module;
        this.mainClass = mainClass;
        this.readyMarker = readyMarker;
    }

    String displayName() {
        return displayName;
    }

    /** The bench sub-module whose target/classpath.txt (and classes, if any) run this broker and its client. */
    String module() {
        return module;
    }

    String mainClass() {
        return mainClass;
    }

    String readyMarker() {
        return readyMarker;
    }

    List<String> brokerArguments(int port, Path dataDir) {
        return switch (this) {
            case HERALDMQ -> List.of("--port", Integer.toString(port), "--data-dir", dataDir.toString());
            case ARTEMIS, CLASSIC -> List.of(Integer.toString(port), dataDir.toString());
        };
    }

    static BrokerKind parse(String name) {
        for (BrokerKind kind : values()) {
            if (kind.module.equalsIgnoreCase(name.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown broker '" + name + "'; known: heraldmq, artemis, classic");
    }

    /**
     * The JNDI environment the load generator gets. Factories: {@link JndiNames#FACTORY} (plain), four subscriber
     * factories with a client id each (for durable subscriptions), and {@link JndiNames#ASYNC_FACTORY} for asynchronous
     * sends. The only non-default client settings are on that asynchronous factory, each the provider's own way
     * to send PERSISTENT messages without waiting for each one: Artemis' {@code confirmationWindowSize} (without
     * it Artemis does not confirm sends asynchronously to a CompletionListener), and Classic's
     * {@code jms.useAsyncSend} (Classic 6.1 refuses {@code send(Message, CompletionListener)}, so the backlog is
     * sent with plain {@code send}, which this option makes asynchronous).
     */
    String jndiProperties(int port) {
        String url = "tcp://127.0.0.1:" + port;
        List<String> lines = new ArrayList<>();
        switch (this) {
            case HERALDMQ -> {
                lines.add("java.naming.factory.initial = io.heraldmq.jndi.HeraldInitialContextFactory");
                lines.add("connectionFactory." + JndiNames.FACTORY + " = " + url);
                lines.add("connectionFactory." + JndiNames.ASYNC_FACTORY + " = " + url);
                for (int i = 0; i < JndiNames.SUBSCRIBER_FACTORIES; i++) {
                    lines.add("connectionFactory." + JndiNames.SUBSCRIBER_FACTORY_PREFIX + i + " = " + url
                            + "?clientID=" + clientId(i));
                }
            }
            case ARTEMIS -> {
                lines.add("java.naming.factory.initial = "
                        + "org.apache.activemq.artemis.jndi.ActiveMQInitialContextFactory");
                lines.add("connectionFactory." + JndiNames.FACTORY + " = " + url);
                lines.add("connectionFactory." + JndiNames.ASYNC_FACTORY + " = " + url
                        + "?confirmationWindowSize=1048576");
                for (int i = 0; i < JndiNames.SUBSCRIBER_FACTORIES; i++) {
                    lines.add("connectionFactory." + JndiNames.SUBSCRIBER_FACTORY_PREFIX + i + " = " + url
                            + "?clientID=" + clientId(i));
                }
            }
            case CLASSIC -> {
                lines.add("java.naming.factory.initial = org.apache.activemq.jndi.ActiveMQInitialContextFactory");
                lines.add("java.naming.provider.url = " + url);
                StringBuilder names = new StringBuilder(JndiNames.FACTORY + "," + JndiNames.ASYNC_FACTORY);
                lines.add("connection." + JndiNames.ASYNC_FACTORY + ".brokerURL = " + url + "?jms.useAsyncSend=true");
                for (int i = 0; i < JndiNames.SUBSCRIBER_FACTORIES; i++) {
                    names.append(',').append(JndiNames.SUBSCRIBER_FACTORY_PREFIX).append(i);
                    lines.add("connection." + JndiNames.SUBSCRIBER_FACTORY_PREFIX + i + ".brokerURL = " + url
                            + "?jms.clientID=" + clientId(i));
                }
                lines.add("connectionFactoryNames = " + names);
            }
        }
        for (ScenarioKey scenario : ScenarioKey.values()) {
            String kind = JndiNames.isQueue(scenario) ? "queue." : "topic.";
            lines.add(kind + JndiNames.destination(scenario) + " = bench." + scenario.key());
        }
        return String.join("\n", lines) + "\n";
    }

    private static String clientId(int index) {
        return "bench-subscriber-" + index;
    }

    @Override
    public String toString() {
        return displayName.toLowerCase(Locale.ROOT);
    }
}
