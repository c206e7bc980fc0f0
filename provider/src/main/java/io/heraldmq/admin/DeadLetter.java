package io.heraldmq.admin;

import java.util.Map;

/**
 * A message in a dead-letter queue, as {@link HeraldAdmin#listDeadLetters} shows it.
 *
 * @param offset              its offset in the dead-letter queue (partition 0)
 * @param originalDestination {@code JMS_HeraldOriginalDestination}, or null if the copy does not carry it
 * @param deliveryCount       {@code JMS_HeraldDeliveryCount}: deliveries before it was dead-lettered; 0 if absent
 * @param failureReason       {@code JMS_HeraldFailureReason}, or null
 * @param timestamp           JMSTimestamp of the message
 * @param properties          every property of the copy (the three above included)
 * @param text                the body of a TextMessage; null for other kinds of message
 */
public record DeadLetter(long offset, String messageId, String originalDestination, int deliveryCount,
                         String failureReason, long timestamp, Map<String, Object> properties, String text) {
}
