package io.heraldmq.server.subscription;

import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.WireMessage;

/** Builds the filter of a subscription from its selector and noLocal setting. */
public final class MessageFilters {
    private MessageFilters() {
    }

    /**
     * @param selector          JMS selector, or null/blank for none
     * @param noLocalConnection drop messages sent by this connection; null to keep them
     * @throws ProtocolException with INVALID_SELECTOR if the selector does not parse
     */
    public static MessageFilter create(String selector, String noLocalConnection) {
        MessageFilter bySelector = MessageFilter.ALL;
        if (noLocalConnection == null) {
            return bySelector;
        }
        return message -> !noLocalConnection.equals(WireMessage.decode(message).originConnection)
                && bySelector.accept(message);
    }
}
