package io.heraldmq.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * For console appenders: drops the lines marked {@link #ON_STDOUT}, the broker's ready and stopped lines, which
 * {@code Main} prints on stdout as they are (people and scripts wait for them there) and logs for the log files. On a
 * terminal they would otherwise show twice. The broker's default console has it; so has {@code config/logback.xml}'s
 * ({@code <filter class="io.heraldmq.server.logging.OnStdoutFilter"/>}).
 */
public final class OnStdoutFilter extends Filter<ILoggingEvent> {
    /** The mark of a line that is printed on stdout as well. */
    public static final Marker ON_STDOUT = MarkerFactory.getMarker("HERALDMQ_ON_STDOUT");

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return event.getMarkerList() != null && event.getMarkerList().contains(ON_STDOUT)
                ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
