package io.heraldmq.jndi;

import io.heraldmq.client.BrokerUri;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.jms.HeraldQueue;
import io.heraldmq.jms.HeraldTopic;
import io.heraldmq.jms.HeraldXAConnectionFactory;

import javax.naming.ConfigurationException;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.spi.InitialContextFactory;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a read-only JNDI context of HeraldMQ administered objects from the environment, in the style of the
 * ActiveMQ, Artemis and Qpid JMS clients, so that the {@code jndi.properties} those applications already carry work
 * with a change of class name and URL:
 * <pre>
 * java.naming.factory.initial  = io.heraldmq.jndi.HeraldInitialContextFactory
 * java.naming.provider.url     = tcp://127.0.0.1:7440           # binds "ConnectionFactory"
 * connectionFactory.&lt;jndiName&gt; = tcp://h1:p1,h2:p2?clientID=x  # "connectionfactory." works too
 * xaConnectionFactory.&lt;jndiName&gt; = tcp://h1:p1                  # an XA connection factory
 * queue.&lt;jndiName&gt;             = &lt;physical queue name&gt;
 * topic.&lt;jndiName&gt;             = &lt;physical topic name&gt;
 * </pre>
 * {@code <jndiName>} is everything after the first dot and may contain {@code /} and dots; it is bound as one flat
 * name. A connection factory entry that is empty or only options ({@code connectionFactory.Durable = ?clientID=x})
 * connects to the provider URL, so that one URL, for instance set as a system property by a test launcher, serves
 * every factory. {@code ConnectionFactory} is always bound: to {@code java.naming.provider.url}, or to
 * {@code tcp://127.0.0.1:7440} when that is absent, unless a {@code connectionFactory.ConnectionFactory} entry says
 * otherwise. The provider URL is a broker URL, never a file to load: {@code new InitialContext()} has already merged
 * every {@code jndi.properties} on the classpath into the environment.
 * <p>
 * {@code lookup("dynamicQueues/<name>")} and {@code lookup("dynamicTopics/<name>")} create destinations on the fly.
 * A malformed entry fails the creation of the context with a {@link ConfigurationException} that names its key.
 */
public final class HeraldInitialContextFactory implements InitialContextFactory {
    public static final String CONNECTION_FACTORY_PREFIX = "connectionFactory.";
    /** The Qpid JMS spelling of {@link #CONNECTION_FACTORY_PREFIX}. */
    public static final String CONNECTION_FACTORY_PREFIX_LOWER = "connectionfactory.";
    /** Binds a {@link HeraldXAConnectionFactory} (see its Javadoc). */
    public static final String XA_CONNECTION_FACTORY_PREFIX = "xaConnectionFactory.";
    public static final String QUEUE_PREFIX = "queue.";
    public static final String TOPIC_PREFIX = "topic.";
    public static final String DEFAULT_CONNECTION_FACTORY_NAME = "ConnectionFactory";
    public static final String DEFAULT_BROKER_URL = "tcp://127.0.0.1:" + BrokerUri.DEFAULT_PORT;

    public HeraldInitialContextFactory() {
    }

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) throws NamingException {
        Hashtable<Object, Object> env = new Hashtable<>();
        if (environment != null) {
            env.putAll(environment);
        }
        // Sorted so that the order of the Hashtable does not decide which of two conflicting entries is reported.
        Map<String, Object> entries = new TreeMap<>();
        for (Map.Entry<?, ?> e : env.entrySet()) {
            if (e.getKey() instanceof String key) {
                entries.put(key, e.getValue());
            }
        }

        Object providerUrl = env.get(Context.PROVIDER_URL);
        String brokerUrl = providerUrl == null || providerUrl.toString().isBlank() ? DEFAULT_BROKER_URL
                : value(Context.PROVIDER_URL, providerUrl);
        Map<String, Object> bindings = new LinkedHashMap<>();
        Map<String, String> boundBy = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            String key = e.getKey();
            if (key.startsWith(CONNECTION_FACTORY_PREFIX) || key.startsWith(CONNECTION_FACTORY_PREFIX_LOWER)) {
                bind(bindings, boundBy, key, connectionFactory(key, brokerUrl(key, e.getValue(), brokerUrl)));
            } else if (key.startsWith(XA_CONNECTION_FACTORY_PREFIX)) {
                bind(bindings, boundBy, key, xaConnectionFactory(key, brokerUrl(key, e.getValue(), brokerUrl)));
            } else if (key.startsWith(QUEUE_PREFIX)) {
                bind(bindings, boundBy, key, queue(key, value(key, e.getValue())));
            } else if (key.startsWith(TOPIC_PREFIX)) {
                bind(bindings, boundBy, key, topic(key, value(key, e.getValue())));
            }
        }
        if (!bindings.containsKey(DEFAULT_CONNECTION_FACTORY_NAME)) {
            bindings.put(DEFAULT_CONNECTION_FACTORY_NAME, connectionFactory(Context.PROVIDER_URL, brokerUrl));
        }
        return new ReadOnlyContext(env, bindings);
    }

    private static String value(String key, Object value) throws ConfigurationException {
        if (!(value instanceof String s)) {
            throw new ConfigurationException("JNDI property " + key + " must be a string, not "
                    + (value == null ? "null" : value.getClass().getName()));
        }
        return s.trim();
    }

    /** A factory entry's URL; an empty one, or options only ({@code ?clientID=x}), means the provider URL. */
    private static String brokerUrl(String key, Object value, String providerUrl) throws ConfigurationException {
        String url = value(key, value);
        return url.isEmpty() || url.startsWith("?") ? providerUrl + url : url;
    }

    private static String jndiName(String key) throws ConfigurationException {
        String name = key.substring(key.indexOf('.') + 1);
        if (name.isEmpty()) {
            throw new ConfigurationException("JNDI property " + key + " has no name after the first dot");
        }
        return name;
    }

    private static void bind(Map<String, Object> bindings, Map<String, String> boundBy, String key, Object object)
            throws ConfigurationException {
        String name = jndiName(key);
        String previous = boundBy.putIfAbsent(name, key);
        if (previous != null) {
            throw new ConfigurationException("JNDI properties " + previous + " and " + key + " both bind the name "
                    + name);
        }
        bindings.put(name, object);
    }

    private static HeraldConnectionFactory connectionFactory(String key, String url) throws ConfigurationException {
        try {
            return new HeraldConnectionFactory(url);
        } catch (IllegalArgumentException e) {
            throw configurationError(key, "is not a valid broker URL (" + e.getMessage() + ")", e);
        }
    }

    private static HeraldXAConnectionFactory xaConnectionFactory(String key, String url)
            throws ConfigurationException {
        try {
            return new HeraldXAConnectionFactory(url);
        } catch (IllegalArgumentException e) {
            throw configurationError(key, "is not a valid broker URL (" + e.getMessage() + ")", e);
        }
    }

    private static HeraldQueue queue(String key, String physicalName) throws ConfigurationException {
        try {
            return new HeraldQueue(physicalName);
        } catch (IllegalArgumentException e) {
            throw configurationError(key, "is not a valid queue name (" + e.getMessage() + ")", e);
        }
    }

    private static HeraldTopic topic(String key, String physicalName) throws ConfigurationException {
        try {
            return new HeraldTopic(physicalName);
        } catch (IllegalArgumentException e) {
            throw configurationError(key, "is not a valid topic name (" + e.getMessage() + ")", e);
        }
    }

    private static ConfigurationException configurationError(String key, String what, Exception cause) {
        ConfigurationException ce = new ConfigurationException("JNDI property " + key + " " + what);
        ce.setRootCause(cause);
        return ce;
    }
}
