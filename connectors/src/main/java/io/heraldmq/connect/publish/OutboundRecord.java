package io.heraldmq.connect.publish;

import io.heraldmq.connect.DestinationName;

import java.util.Map;

/**
 * One message a source wants published.
 *
 * @param destination    where it goes
 * @param body           the text body (the line or event)
 * @param properties     message properties: String, Long, Integer, Double or Boolean values under names that are valid JMS
 *                       property names
 * @param groupId        the stream key, sent as {@code JMSXGroupID} so one stream stays ordered
 * @param onAcknowledged run once the broker has acknowledged this record and every record published before it, on
 *                       the provider's completion thread: it must be quick and must not call JMS
 */
public record OutboundRecord(DestinationName destination, String body, Map<String, Object> properties,
                             String groupId, Runnable onAcknowledged) {
}
