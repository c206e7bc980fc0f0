package io.heraldmq.selector;

import io.heraldmq.protocol.WireMessage;

import java.nio.charset.StandardCharsets;

/**
 * The selector view of a {@link WireMessage}: the six header fields a selector may reference, JMSExpiration (as
 * Artemis and Classic allow), and the message properties. Not thread-safe; {@link #reset} lets one instance be
 * reused for many messages.
 */
public final class WireMessageSelectorContext implements SelectorContext {
    private WireMessage message;
    private String correlationId;
    private boolean correlationIdDecoded;

    public WireMessageSelectorContext(WireMessage message) {
        reset(message);
    }

    /** Points this context at another message. */
    public WireMessageSelectorContext reset(WireMessage message) {
        this.message = java.util.Objects.requireNonNull(message, "message");
        this.correlationId = null;
        this.correlationIdDecoded = false;
        return this;
    }

    @Override
    public Object value(String identifier) {
        switch (identifier) {
            case "JMSDeliveryMode":
                return message.persistent ? "PERSISTENT" : "NON_PERSISTENT";
            case "JMSPriority":
                return message.priority;
            case "JMSMessageID":
                return message.messageId;
            case "JMSTimestamp":
                return message.timestamp;
            case "JMSCorrelationID":
                if (!correlationIdDecoded) {
                    byte[] bytes = message.correlationId;
                    correlationId = bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
                    correlationIdDecoded = true;
                }
                return correlationId;
            case "JMSType":
                return message.type;
            case "JMSExpiration":
                // Not among the specification's six; Artemis and Classic offer it, and selectors written for them
                // use it (e.g. "JMSExpiration = 0" for messages that never expire).
                return message.expiration;
            default:
                return message.properties.get(identifier);
        }
    }
}
