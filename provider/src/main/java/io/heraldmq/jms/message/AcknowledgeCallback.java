package io.heraldmq.jms.message;

import jakarta.jms.JMSException;

/**
 * What {@link HeraldMessage#acknowledge()} calls on a received message. The consumer side installs it; it decides
 * what acknowledging means for the session's mode and throws {@link jakarta.jms.IllegalStateException} when the
 * session or connection is closed.
 */
@FunctionalInterface
public interface AcknowledgeCallback {
    void acknowledge() throws JMSException;
}
