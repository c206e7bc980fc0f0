package io.heraldmq.server.subscription;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.WireMessage;
import io.heraldmq.selector.Selector;
import io.heraldmq.selector.SelectorParseException;
import io.heraldmq.selector.WireMessageSelectorContext;

/**
 * Builds the filter of a subscription (topics) or of one queue consumer or browser from its selector and noLocal
 * setting. The selector is parsed once, here, and evaluated on the broker for every record, so nobody is sent a
 * message its selector rejects.
 */
public final class MessageFilters {
    private MessageFilters() {
    }

    /**
     * @param selector          JMS selector, or null/blank for none
     * @param noLocalConnection drop messages sent by this connection; null to keep them
     * @throws ProtocolException with INVALID_SELECTOR if the selector does not parse
     */
    public static MessageFilter create(String selector, String noLocalConnection) {
        Selector parsed;
        try {
            parsed = Selector.parse(selector);
        } catch (SelectorParseException e) {
            throw new ProtocolException(ErrorCode.INVALID_SELECTOR, e.getMessage());
        }
        if (parsed == Selector.ALWAYS && noLocalConnection == null) {
            return MessageFilter.ALL;
        }
        // A subscription's partitions share its filter from different contexts, so nothing mutable is kept here.
        return message -> {
            WireMessage m = WireMessage.decode(message);
            if (noLocalConnection != null && noLocalConnection.equals(m.originConnection)) {
                return false;
            }
            return parsed == Selector.ALWAYS || parsed.matches(new WireMessageSelectorContext(m));
        };
    }
}
