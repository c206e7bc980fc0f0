package io.heraldmq.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.classic.util.ContextInitializer;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The broker's Logback set-up. Without a configuration file ({@code -Dlogback.configurationFile}, or a
 * {@code logback.xml} on the class path) {@link DefaultConfigurator} makes it: one console appender on stderr (stdout
 * is the CLI tools' output) at INFO, lines as {@link LoggingSettings} say. Once the broker has read its configuration
 * file, {@link #apply} rebuilds that console appender, or re-reads the configuration file so that its
 * {@link BrokerEncoder}s see the settings.
 * <p>
 * The broker id is a Logback context property ({@value LoggingSettings#BROKER_ID_PROPERTY}), set once by
 * {@link #brokerId}: not MDC, which is per thread, and a broker's lines come from event loops, Hazelcast's and
 * Vert.x's threads alike. One broker per JVM in production; a test JVM with several brokers shows the last one's id.
 * The property and {@link ClusterNameFilter} outlive a reset of the context (a reload of the configuration file).
 */
public final class BrokerLogging {
    private static final String CONSOLE = "CONSOLE";
    private static volatile LoggingSettings settings = LoggingSettings.DEFAULTS;
    private static volatile String brokerId = "-";

    private BrokerLogging() {
    }

    /** The settings in force (defaults until {@link #apply}). */
    public static LoggingSettings settings() {
        return settings;
    }

    /** Writes lines as these settings say from now on (the broker's {@code logging.*} keys, read at start). */
    public static void apply(LoggingSettings newSettings) {
        settings = newSettings;
        LoggerContext context = context();
        if (context == null) {
            return;
        }
        URL file = configurationFile();
        if (file == null) {
            context.reset();
            configureConsole(context);
            return;
        }
        context.reset();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        try {
            joran.doConfigure(file);
        } catch (JoranException e) {
            // Logback has reported what is wrong on the console through its status messages
            throw new IllegalArgumentException("the logging configuration " + file + " cannot be read: " + e, e);
        }
    }

    /**
     * The file Logback read at start, found as it finds it: {@code -Dlogback.configurationFile} (a URL, a class path
     * resource or a file name), else {@code logback-test.xml} or {@code logback.xml} on the class path; null = none.
     */
    static URL configurationFile() {
        String property = System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY);
        ClassLoader loader = BrokerLogging.class.getClassLoader();
        if (property != null) {
            try {
                return new URL(property);
            } catch (MalformedURLException notAUrl) {
                URL resource = loader.getResource(property);
                if (resource != null) {
                    return resource;
                }
                try {
                    return Path.of(property).toUri().toURL();
                } catch (MalformedURLException | InvalidPathException e) {
                    throw new IllegalArgumentException("logback.configurationFile " + property + " is not a file", e);
                }
            }
        }
        URL test = loader.getResource(ContextInitializer.TEST_AUTOCONFIG_FILE);
        return test != null ? test : loader.getResource(ContextInitializer.AUTOCONFIG_FILE);
    }

    /** Puts this broker's id on every line from now on. */
    public static void brokerId(String id) {
        brokerId = id;
        LoggerContext context = context();
        if (context != null) {
            context.putProperty(LoggingSettings.BROKER_ID_PROPERTY, id);
        }
    }

    /** The console appender of a broker without a configuration file. */
    static void configureConsole(LoggerContext context) {
        ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(CONSOLE);
        console.setTarget("System.err");
        BrokerEncoder encoder = new BrokerEncoder();
        encoder.setContext(context);
        encoder.start();
        console.setEncoder(encoder);
        OnStdoutFilter onStdout = new OnStdoutFilter();
        onStdout.setContext(context);
        onStdout.start();
        console.addFilter(onStdout);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
    }

    /**
     * What outlives every (re)configuration: the broker id property, the cluster-name filter, and java.util.logging
     * routed here (the Prometheus client and parts of Hazelcast log through JUL) with Logback's levels.
     */
    static void installPermanent(LoggerContext context) {
        context.putProperty(LoggingSettings.BROKER_ID_PROPERTY, brokerId);
        addFilter(context);
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        addLevelPropagator(context);
        if (context.getCopyOfListenerList().stream().noneMatch(l -> l instanceof ResetListener)) {
            context.addListener(new ResetListener());
        }
    }

    private static void addFilter(LoggerContext context) {
        if (context.getTurboFilterList().stream().noneMatch(f -> f instanceof ClusterNameFilter)) {
            ClusterNameFilter filter = new ClusterNameFilter();
            filter.setContext(context);
            filter.start();
            context.addTurboFilter(filter);
        }
    }

    private static void addLevelPropagator(LoggerContext context) {
        if (context.getCopyOfListenerList().stream().noneMatch(l -> l instanceof LevelChangePropagator)) {
            LevelChangePropagator propagator = new LevelChangePropagator() {
                @Override
                public boolean isResetResistant() {
                    return true;
                }
            };
            propagator.setContext(context);
            propagator.setResetJUL(true);
            propagator.start();
            context.addListener(propagator);
        }
    }

    private static LoggerContext context() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        return factory instanceof LoggerContext c ? c : null;
    }

    /** Puts back the property and the filter that a reset of the context cleared. */
    private static final class ResetListener implements LoggerContextListener {
        @Override
        public boolean isResetResistant() {
            return true;
        }

        @Override
        public void onStart(LoggerContext context) {
        }

        @Override
        public void onReset(LoggerContext context) {
            context.putProperty(LoggingSettings.BROKER_ID_PROPERTY, brokerId);
            addFilter(context);
        }

        @Override
        public void onStop(LoggerContext context) {
        }

        @Override
        public void onLevelChange(ch.qos.logback.classic.Logger logger, Level level) {
        }
    }
}
