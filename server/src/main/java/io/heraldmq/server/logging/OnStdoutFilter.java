package io.heraldmq.server.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Set;

/**
 * For console appenders: drops the lines marked {@link #ON_STDOUT}, the broker's ready and stopped lines, which
 * {@code Main} prints on stdout as they are (people and scripts wait for them there) and logs for the log files. On a
 * terminal they would otherwise show twice. The broker's default console has it; so has {@code config/logback.xml}'s
 * ({@code <filter class="io.heraldmq.server.logging.OnStdoutFilter"/>}); and {@link #addToConsoleAppenders()} gives
 * it to the console appenders of any other configuration (a user's own {@code logback.xml}) before each marked line.
 */
public final class OnStdoutFilter extends Filter<ILoggingEvent> {
    /** The mark of a line that is printed on stdout as well. */
    public static final Marker ON_STDOUT = MarkerFactory.getMarker("HERALDMQ_ON_STDOUT");

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return event.getMarkerList() != null && event.getMarkerList().contains(ON_STDOUT)
                ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    /**
     * Adds this filter to every console appender of Logback's configuration that lacks one, those inside an
     * appender that holds others ({@code AsyncAppender}) included. Called before a marked line is logged: the
     * configuration may be anyone's, and a reload ({@code scan}) makes new appenders. Does nothing without Logback.
     */
    public static void addToConsoleAppenders() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Set<Appender<ILoggingEvent>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Logger logger : context.getLoggerList()) {
            guard(logger, seen);
        }
    }

    private static void guard(AppenderAttachable<ILoggingEvent> holder, Set<Appender<ILoggingEvent>> seen) {
        for (Iterator<Appender<ILoggingEvent>> it = holder.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> appender = it.next();
            if (!seen.add(appender)) {
                continue;
            }
            if (appender instanceof ConsoleAppender<ILoggingEvent> console && console.getCopyOfAttachedFiltersList()
                    .stream().noneMatch(f -> f instanceof OnStdoutFilter)) {
                OnStdoutFilter filter = new OnStdoutFilter();
                filter.setContext(console.getContext());
                filter.start();
                console.addFilter(filter);
            }
            if (appender instanceof AppenderAttachable<?> nested) {
                @SuppressWarnings("unchecked")
                AppenderAttachable<ILoggingEvent> events = (AppenderAttachable<ILoggingEvent>) nested;
                guard(events, seen);
            }
        }
    }
}
