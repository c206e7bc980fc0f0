package io.heraldmq.server.spi;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The {@link BrokerPlugin}s of one broker process: which configuration keys each takes, starting them in class-path
 * order and closing them in reverse. A configuration key of a plugin that is not on the class path is refused at
 * start, naming the jar that brings it, so that a {@code connector.*} file run without the connectors does not look
 * as if it worked.
 */
public final class BrokerPlugins implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerPlugins.class);
    /** Prefixes of plugins that HeraldMQ ships, and the jar each comes in, for the refusal's message. */
    private static final Map<String, String> KNOWN = Map.of("connector.", "heraldmq-connect.jar");

    private final List<BrokerPlugin> available;
    private final Map<BrokerPlugin, Map<String, String>> configured = new LinkedHashMap<>();
    private final List<BrokerPlugin> started = new ArrayList<>();

    BrokerPlugins(List<BrokerPlugin> available) {
        this.available = List.copyOf(available);
    }

    /** The plugins on the class path of this class. */
    public static BrokerPlugins onClassPath() {
        List<BrokerPlugin> found = new ArrayList<>();
        ServiceLoader.load(BrokerPlugin.class, BrokerPlugins.class.getClassLoader()).forEach(found::add);
        return new BrokerPlugins(found);
    }

    /** Whether {@code key} belongs to a plugin HeraldMQ ships, present or not; the broker leaves those keys alone. */
    public static boolean isPluginKey(String key) {
        return KNOWN.keySet().stream().anyMatch(key::startsWith);
    }

    /**
     * Hands each plugin its keys from {@code configuration} (the plugin keys of the broker's file); throws naming
     * the first key no plugin on the class path takes. Plugins without keys are not started.
     */
    public BrokerPlugins configure(Map<String, String> configuration) {
        for (Map.Entry<String, String> e : new TreeMap<>(configuration).entrySet()) {
            BrokerPlugin owner = available.stream().filter(p -> e.getKey().startsWith(p.keyPrefix())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("configuration key '" + e.getKey()
                            + "' needs " + KNOWN.entrySet().stream().filter(k -> e.getKey().startsWith(k.getKey()))
                            .map(Map.Entry::getValue).findFirst().orElse("a plugin")
                            + " on the class path (bin/heraldmq adds it when it finds it next to the broker's jar)"));
            configured.computeIfAbsent(owner, p -> new TreeMap<>()).put(e.getKey(), e.getValue());
        }
        return this;
    }

    /** Starts the configured plugins; if one fails, closes those started and rethrows. */
    public void start(String brokerUrl) throws Exception {
        for (Map.Entry<BrokerPlugin, Map<String, String>> e : configured.entrySet()) {
            try {
                e.getKey().start(e.getValue(), brokerUrl);
            } catch (Exception failure) {
                close();
                throw failure;
            }
            started.add(e.getKey());
        }
    }

    public boolean isEmpty() {
        return configured.isEmpty();
    }

    /** Every started plugin's report. */
    public String report() {
        StringBuilder b = new StringBuilder();
        for (BrokerPlugin p : started) {
            b.append(p.report());
        }
        return b.toString();
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (RuntimeException e) {
                LOG.warn("a plugin did not stop cleanly", e);
            }
        }
        started.clear();
    }
}
