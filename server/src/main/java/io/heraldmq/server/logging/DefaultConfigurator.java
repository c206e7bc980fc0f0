package io.heraldmq.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's first configurator (a service in META-INF/services): a broker without a configuration file logs to the
 * console as {@link BrokerLogging} sets it up, at INFO, rather than Logback's own default (DEBUG on stdout, every
 * Netty and Hazelcast detail). With {@code -Dlogback.configurationFile} or a {@code logback.xml} /
 * {@code logback-test.xml} on the class path it steps aside, so Logback reads that file as usual. Either way the broker
 * id property and the cluster-name filter are installed.
 */
public final class DefaultConfigurator extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        BrokerLogging.installPermanent(context);
        if (System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY) != null
                || BrokerLogging.configurationFile() != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        BrokerLogging.configureConsole(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
