package io.heraldmq.admin;

import java.util.Map;

/**
 * A message of a queue as {@link HeraldAdmin#browseQueue} shows it, without consuming it.
 *
 * @param partition     its partition (queues have one: 0)
 * @param offset        its offset in that partition: what {@link HeraldAdmin#retryDeadLetter} and
 *                      {@link HeraldAdmin#deleteDeadLetter} take for a dead-letter queue
 * @param deliveryCount deliveries so far (JMSXDeliveryCount - 1 before the next)
 * @param correlationId JMSCorrelationID as text (bytes ones decoded as UTF-8), or null
 * @param replyTo       {@code queue://name} or {@code topic://name}, or null
 * @param properties    every property of the message
 * @param bodyType      none, text, bytes, map, stream or object
 * @param bodySize      bytes of the encoded body (text: of its UTF-8)
 * @param text          the whole body of a text message; null for the other kinds
 * @param bodyStart     the first bytes of the encoded body of any other kind (at most
 *                      {@link #BODY_START_BYTES}); empty for text
 */
public record BrowsedMessage(int partition, long offset, int deliveryCount, String messageId, long timestamp,
                             String type, String correlationId, int priority, boolean persistent, long expiration,
                             String replyTo, Map<String, Object> properties, String bodyType, int bodySize,
                             String text, byte[] bodyStart) {
    public static final int BODY_START_BYTES = 1024;
}
