package io.heraldmq.server.spi;

import java.util.Map;

/**
 * Something that runs inside the broker process from keys of the broker's configuration file, found with
 * {@link java.util.ServiceLoader} on the class path: the log-ingestion connectors ({@code connector.*} keys), whose
 * module depends on the broker's and so cannot be called by it directly. A plugin talks to the broker as a client,
 * through the URL it is given.
 * <p>
 * Lifecycle: made by the ServiceLoader, {@link #start} once after the broker is ready, {@link #close} once before the
 * broker closes. {@link #report} may be called from any thread at any time after start.
 */
public interface BrokerPlugin extends AutoCloseable {
    /** The configuration keys this plugin takes: every key starting with this (e.g. {@code "connector."}). */
    String keyPrefix();

    /**
     * Starts with the configuration's keys under {@link #keyPrefix} (full keys); throws, naming the key, for a
     * configuration it refuses, or when it cannot start.
     *
     * @param brokerUrl the broker's client URL ({@code tcp://host:port})
     */
    void start(Map<String, String> keys, String brokerUrl) throws Exception;

    /** What the plugin has done so far, for the operator (printed on SIGUSR1 and at shutdown); lines end in \n. */
    String report();

    /** Stops cleanly; does not throw. */
    @Override
    void close();
}
