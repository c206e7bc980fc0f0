package io.heraldmq.server.subscription;

import io.vertx.core.buffer.Buffer;

/** Decides whether a subscription wants a message (selector, noLocal). */
@FunctionalInterface
public interface MessageFilter {
    MessageFilter ALL = message -> true;

    /** @param message the message part of a record (see {@code WireMessage}) */
    boolean accept(Buffer message);
}
