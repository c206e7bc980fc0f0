package io.heraldmq.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops Hazelcast's "Cluster name: ..." start-up line: with {@code cluster.secret} the Hazelcast cluster name is
 * derived from the secret and is what admits a member (ClusterSettings#hazelcastClusterName), so it must not reach a
 * log file. A turbo filter, so it applies to every appender of any configuration; {@link BrokerLogging} installs it.
 */
final class ClusterNameFilter extends TurboFilter {
    static final String LOGGER = "com.hazelcast.system";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        return format != null && format.startsWith("Cluster name: ") && logger.getName().startsWith(LOGGER)
                ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
