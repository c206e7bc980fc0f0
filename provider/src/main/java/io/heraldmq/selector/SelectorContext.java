package io.heraldmq.selector;

/**
 * The message a {@link Selector} is evaluated against: gives the value of a header field or property by the
 * identifier used for it in a selector.
 * <p>
 * Implementations need not be thread-safe: a context is used by one evaluation at a time.
 */
@FunctionalInterface
public interface SelectorContext {

    /**
     * Value of a header field or property by its selector identifier, or null if absent.
     * <p>
     * Values are {@link Boolean}, {@link Byte}, {@link Short}, {@link Integer}, {@link Long}, {@link Float},
     * {@link Double} or {@link String}. The header fields a selector may refer to are {@code JMSDeliveryMode} (as the
     * string {@code "PERSISTENT"} or {@code "NON_PERSISTENT"}), {@code JMSPriority} (Integer), {@code JMSMessageID},
     * {@code JMSTimestamp} (Long), {@code JMSCorrelationID} and {@code JMSType} (String), and {@code JMSExpiration}
     * (Long, 0 = never, as Artemis and Classic offer); every other identifier is a property name. A value of any other
     * type makes every comparison with it false and every arithmetic with it unknown.
     */
    Object value(String identifier);
}
