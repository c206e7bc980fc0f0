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
    HERALDMQ("HeraldMQ", "heraldmq", "heraldmq", "io.heraldmq.server.Main", "HeraldMQ ready on", 1),
    /**
     * Three HeraldMQ brokers in one cluster, every partition on all three (replication factor 3, a send acknowledged
     * once two have it durable); the client is given all three addresses and connects to the first.
     */
    HERALDMQ_CLUSTER("HeraldMQ x3", "heraldmq-cluster", "heraldmq", "io.heraldmq.server.Main", "HeraldMQ ready on",
            3),
    /**
     * The single node with no figures kept ({@code http.port = -1}, {@code jmx.enabled = false}): next to
     * {@link #HERALDMQ}, which serves /metrics, it gives what the metrics cost.
     */
    HERALDMQ_NO_METRICS("HeraldMQ no metrics", "heraldmq-nometrics", "heraldmq", "io.heraldmq.server.Main",
            "HeraldMQ ready on", 1),
    /**
     * The single node with only a TLS port (TLS 1.3, the {@link BenchTls} key): next to {@link #ARTEMIS_TLS}, and to
     * {@link #HERALDMQ} for what TLS costs.
     */
    HERALDMQ_TLS("HeraldMQ TLS", "heraldmq-tls", "heraldmq", "io.heraldmq.server.Main", "HeraldMQ ready on", 1),
    ARTEMIS("Artemis", "artemis", "artemis", "io.heraldmq.bench.artemis.ArtemisLauncher", "BENCH-BROKER-READY", 1),
    /** Artemis with a TLS acceptor only, the same key as {@link #HERALDMQ_TLS}. */
    ARTEMIS_TLS("Artemis TLS", "artemis-tls", "artemis", "io.heraldmq.bench.artemis.ArtemisLauncher",
            "BENCH-BROKER-READY", 1),
    /**
     * Artemis' replicated pair (shared-nothing high availability): a primary that replicates its journal to a
     * backup, which takes over when the primary dies; clients are given both addresses with {@code ha=true}. The
     * peer of {@link #HERALDMQ_CLUSTER}.
     */
    ARTEMIS_PAIR("Artemis pair", "artemis-pair", "artemis", "io.heraldmq.bench.artemis.ArtemisLauncher",
            "BENCH-BROKER-READY", 2),
    CLASSIC("Classic", "classic", "classic", "io.heraldmq.bench.classic.ClassicLauncher", "BENCH-BROKER-READY", 1);

    private final String displayName;
    private final String key;
    private final String module;
    private final String mainClass;
    private final String readyMarker;
    private final int brokers;

    BrokerKind(String displayName, String key, String module, String mainClass, String readyMarker, int brokers) {
        this.displayName = displayName;
        this.key = key;
        this.module = module;
        this.mainClass = mainClass;
        this.readyMarker = readyMarker;
        this.brokers = brokers;
    }

    /** How many broker JVMs this kind runs (a cluster's members all on 127.0.0.1). */
    int brokers() {
        return brokers;
    }

    /** The name in {@code bench.brokers} and of the run directory. */
    String key() {
        return key;
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

    /** Whether this kind's clients connect over TLS (and {@link BenchTls} must exist). */
    boolean tls() {
        return this == HERALDMQ_TLS || this == ARTEMIS_TLS;
    }

    /**
     * The command-line arguments of broker {@code index} of this kind, whose client ports are {@code ports}.
     *
     * @param tls the key material, for the TLS kinds; else null
     */
    List<String> brokerArguments(int index, int[] ports, Path dataDir, Path config, BenchTls tls) {
        String port = Integer.toString(ports[index]);
        return switch (this) {
            case HERALDMQ -> List.of("--port", port, "--http-port", "0", "--data-dir", dataDir.toString());
            // the plain port on any free port, unused: the clients are given the TLS port (config)
            case HERALDMQ_TLS -> List.of("--port", "0", "--http-port", "0", "--data-dir", dataDir.toString(),
                    "--config", config.toString());
            case HERALDMQ_CLUSTER, HERALDMQ_NO_METRICS -> List.of("--port", port, "--data-dir", dataDir.toString(),
                    "--config", config.toString());
            case ARTEMIS, CLASSIC -> List.of(port, dataDir.toString());
            case ARTEMIS_TLS -> List.of(port, dataDir.toString(), "tls", tls.keyStore().toString(), tls.password());
            case ARTEMIS_PAIR -> List.of(port, dataDir.toString(), index == 0 ? "primary" : "backup",
                    Integer.toString(ports[1 - index]));
        };
    }

    /**
     * The configuration file of broker {@code index}: a cluster member's, the same for all but the member port, as a
     * user writes them; the one that turns metrics off. Null for the others.
     */
    String config(int index, int[] memberPorts, int[] ports, BenchTls tls) {
        if (this == HERALDMQ_TLS) {
            return "tls.port = " + ports[index] + "\ntls.keyStorePath = " + tls.keyStore() + "\ntls.keyStorePassword = "
                    + tls.password() + "\n";
        }
        if (this == HERALDMQ_NO_METRICS) {
            return "http.port = -1\njmx.enabled = false\n";
        }
        if (brokers == 1) {
            return null;
        }
        StringBuilder members = new StringBuilder();
        for (int p : memberPorts) {
            members.append(members.length() == 0 ? "" : ",").append("127.0.0.1:").append(p);
        }
        return "host = 127.0.0.1\nhttp.port = 0\ncluster.members = " + members + "\ncluster.port = "
                + memberPorts[index] + "\n";
    }

    static BrokerKind parse(String name) {
        for (BrokerKind kind : values()) {
            if (kind.key.equalsIgnoreCase(name.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown broker '" + name + "'; known: heraldmq, heraldmq-cluster,"
                + " heraldmq-nometrics, heraldmq-tls, artemis, artemis-pair, artemis-tls, classic");
    }

    /**
     * The JNDI environment the load generator gets. Factories: {@link JndiNames#FACTORY} (plain), four subscriber
     * factories with a client id each (for durable subscriptions), and {@link JndiNames#ASYNC_FACTORY} for asynchronous
     * sends. The only non-default client settings are on that asynchronous factory, each the provider's own way
     * to send PERSISTENT messages without waiting for each one: Artemis' {@code confirmationWindowSize} (without
     * it Artemis does not confirm sends asynchronously to a CompletionListener), and Classic's
     * {@code jms.useAsyncSend} (Classic 6.1 refuses {@code send(Message, CompletionListener)}, so the backlog is
     * sent with plain {@code send}, which this option makes asynchronous). Over TLS, the clients trust exactly the
     * broker's certificate ({@link BenchTls}) and check that it names 127.0.0.1 where the provider does by default.
     *
     * @param tls the key material, for the TLS kinds; else null
     */
    String jndiProperties(int[] ports, BenchTls tls) {
        StringBuilder all = new StringBuilder((this == HERALDMQ_TLS ? "ssl" : "tcp") + "://127.0.0.1:" + ports[0]);
        for (int i = 1; i < ports.length; i++) {
            all.append(",127.0.0.1:").append(ports[i]);
        }
        // HeraldMQ's trust store options are Artemis's names
        String trust = tls == null ? null : "trustStorePath=" + tls.trustStore() + "&trustStorePassword="
                + tls.password();
        String url = this == HERALDMQ_TLS ? all + "?" + trust : all.toString();
        String clientIdOption = url.contains("?") ? "&clientID=" : "?clientID=";
        String artemisTls = this == ARTEMIS_TLS ? "sslEnabled=true&" + trust + "&trustStoreType=PKCS12" : null;
        List<String> lines = new ArrayList<>();
        switch (this) {
            case HERALDMQ, HERALDMQ_CLUSTER, HERALDMQ_NO_METRICS, HERALDMQ_TLS -> {
                lines.add("java.naming.factory.initial = io.heraldmq.jndi.HeraldInitialContextFactory");
                lines.add("connectionFactory." + JndiNames.FACTORY + " = " + url);
                lines.add("connectionFactory." + JndiNames.ASYNC_FACTORY + " = " + url);
                for (int i = 0; i < JndiNames.SUBSCRIBER_FACTORIES; i++) {
                    lines.add("connectionFactory." + JndiNames.SUBSCRIBER_FACTORY_PREFIX + i + " = " + url
                            + clientIdOption + clientId(i));
                }
            }
            case ARTEMIS, ARTEMIS_PAIR, ARTEMIS_TLS -> {
                lines.add("java.naming.factory.initial = "
                        + "org.apache.activemq.artemis.jndi.ActiveMQInitialContextFactory");
                lines.add("connectionFactory." + JndiNames.FACTORY + " = " + artemisUrl(ports, artemisTls, null));
                lines.add("connectionFactory." + JndiNames.ASYNC_FACTORY + " = "
                        + artemisUrl(ports, artemisTls, "confirmationWindowSize=1048576"));
                for (int i = 0; i < JndiNames.SUBSCRIBER_FACTORIES; i++) {
                    lines.add("connectionFactory." + JndiNames.SUBSCRIBER_FACTORY_PREFIX + i + " = "
                            + artemisUrl(ports, artemisTls, "clientID=" + clientId(i)));
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

    /**
     * One address, or a pair as Artemis writes it: {@code (tcp://a,tcp://b)?ha=true}, and the given options.
     *
     * @param tls the TLS options of a single address, or null
     */
    private static String artemisUrl(int[] ports, String tls, String option) {
        if (ports.length == 1) {
            String options = tls == null ? option : option == null ? tls : tls + "&" + option;
            return "tcp://127.0.0.1:" + ports[0] + (options == null ? "" : "?" + options);
        }
        StringBuilder url = new StringBuilder("(");
        for (int i = 0; i < ports.length; i++) {
            url.append(i == 0 ? "" : ",").append("tcp://127.0.0.1:").append(ports[i]);
        }
        url.append(")?ha=true&reconnectAttempts=-1");
        return option == null ? url.toString() : url + "&" + option;
    }

    private static String clientId(int index) {
        return "bench-subscriber-" + index;
    }

    @Override
    public String toString() {
        return key.toLowerCase(Locale.ROOT);
    }
}
