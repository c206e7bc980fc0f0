package io.heraldmq.server.logging;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

/**
 * The encoder a {@code logback.xml} names to write lines as the broker's {@code logging.format} and
 * {@code logging.pattern} say ({@link BrokerLogging#settings()} when it starts): Logback's {@link JsonEncoder} or a
 * {@link PatternLayoutEncoder}. The distribution's {@code config/logback.xml} uses it, so those two keys work with
 * rolling files too. {@code <pattern>} in the XML overrides {@code logging.pattern} for one appender.
 */
public final class BrokerEncoder extends EncoderBase<ILoggingEvent> {
    private String pattern;
    private Encoder<ILoggingEvent> delegate;

    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    @Override
    public void start() {
        LoggingSettings settings = BrokerLogging.settings();
        delegate = settings.json() ? json() : text(pattern == null ? settings.pattern() : pattern);
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }

    static Encoder<ILoggingEvent> json() {
        JsonEncoder json = new JsonEncoder();
        // the message as read, not its {} template and arguments; no per-JVM sequence numbers
        json.setWithFormattedMessage(true);
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        return json;
    }

    static Encoder<ILoggingEvent> text(String pattern) {
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setPattern(pattern);
        return text;
    }
}
