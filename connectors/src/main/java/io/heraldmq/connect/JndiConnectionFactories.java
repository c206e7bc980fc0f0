package io.heraldmq.connect;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;

import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Connection factories of any JMS provider, looked up by JNDI from an environment written in the connectors file
 * ({@code java.naming.factory.initial} and the provider's own keys, e.g. Artemis's {@code connectionFactory.cf =
 * tcp://host:61616}). Looked up once, when the connector is made: a wrong class name or a missing binding stops the
 * start with the key named; a factory, once found, serves every reconnection.
 * <p>
 * With a {@code classpath}, the provider lives in a {@link ProviderClassLoader}, and every call on its factory runs
 * with that loader as the thread's context class loader: the lookup itself (JNDI loads
 * {@code java.naming.factory.initial} through it) and the creation of connections, so the threads a provider starts
 * then, which inherit it, find the provider's classes too.
 */
public final class JndiConnectionFactories {
    private JndiConnectionFactories() {
    }

    /**
     * The factory that {@code settings} name by JNDI through these three options (the broker's {@code jndi.*},
     * {@code connection.factory}, {@code classpath}, or a jms source's {@code source.*} ones).
     *
     * @throws IllegalArgumentException naming the key when the factory cannot be found
     */
    public static ConnectionFactory lookup(ConnectorSettings settings, Option<Map<String, String>> environmentOption,
                                           Option<String> nameOption, Option<List<Path>> classpathOption) {
        String what = settings.key(environmentOption);
        Map<String, String> environment = settings.get(environmentOption);
        String name = settings.get(nameOption);
        List<Path> classpath = settings.get(classpathOption);
        ClassLoader loader = classpath.isEmpty() ? null
                : ProviderClassLoader.create(settings.key(classpathOption), classpath);
        Object found;
        try {
            found = withLoader(loader, () -> {
                Context context = new InitialContext(new Hashtable<>(environment));
                try {
                    return context.lookup(name);
                } finally {
                    context.close();
                }
            });
        } catch (NamingException e) {
            throw new IllegalArgumentException(what + "*: cannot look up " + name + ": " + e
                    + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
        } catch (Exception e) {
            throw new IllegalArgumentException(what + "*: looking up " + name + " failed: " + e, e);
        }
        if (!(found instanceof ConnectionFactory factory)) {
            throw new IllegalArgumentException(what + "*: " + name + " is a "
                    + (found == null ? "null" : found.getClass().getName()) + ", not a jakarta.jms.ConnectionFactory");
        }
        return loader == null ? factory : new ProviderConnectionFactory(factory, loader);
    }

    private static <T> T withLoader(ClassLoader loader, Callable<T> call) throws Exception {
        if (loader == null) {
            return call.call();
        }
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return call.call();
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /** A provider's factory whose calls run with the provider's loader as the context class loader. */
    private record ProviderConnectionFactory(ConnectionFactory factory, ClassLoader loader)
            implements ConnectionFactory {
        @Override
        public Connection createConnection() throws JMSException {
            return jms(factory::createConnection);
        }

        @Override
        public Connection createConnection(String user, String password) throws JMSException {
            return jms(() -> factory.createConnection(user, password));
        }

        @Override
        public JMSContext createContext() {
            return runtime(factory::createContext);
        }

        @Override
        public JMSContext createContext(String user, String password) {
            return runtime(() -> factory.createContext(user, password));
        }

        @Override
        public JMSContext createContext(String user, String password, int sessionMode) {
            return runtime(() -> factory.createContext(user, password, sessionMode));
        }

        @Override
        public JMSContext createContext(int sessionMode) {
            return runtime(() -> factory.createContext(sessionMode));
        }

        private Connection jms(Callable<Connection> call) throws JMSException {
            try {
                return withLoader(loader, call);
            } catch (JMSException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e); // createConnection throws nothing else
            }
        }

        private JMSContext runtime(Callable<JMSContext> call) {
            try {
                return withLoader(loader, call);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e); // createContext throws nothing checked
            }
        }
    }
}
