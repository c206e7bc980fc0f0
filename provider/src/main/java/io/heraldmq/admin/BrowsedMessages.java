package io.heraldmq.admin;

import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.WireMessage;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;

/** Turns a browsed record into a {@link BrowsedMessage}. */
final class BrowsedMessages {
    private BrowsedMessages() {
    }

    static BrowsedMessage describe(HeraldAdmin.Deliveries.Entry e) {
        WireMessage m = WireMessage.decode(RecordBatch.message(e.record()));
        int size = m.body == null ? 0 : m.body.length();
        String text = null;
        byte[] start = new byte[0];
        if (m.bodyType == WireMessage.BODY_TEXT && m.body != null) {
            text = m.body.toString(StandardCharsets.UTF_8);
        } else if (m.body != null) {
            start = m.body.getBytes(0, Math.min(size, BrowsedMessage.BODY_START_BYTES));
        }
        String replyTo = m.replyTo == null ? null
                : (m.replyToKind != null && m.replyToKind.isQueue() ? "queue://" : "topic://") + m.replyTo;
        return new BrowsedMessage(e.partition(), e.offset(), e.deliveryCount(), m.messageId, m.timestamp, m.type,
                m.correlationId == null ? null : new String(m.correlationId, StandardCharsets.UTF_8), m.priority,
                m.persistent, m.expiration, replyTo, Collections.unmodifiableMap(new LinkedHashMap<>(m.properties)),
                bodyType(m.bodyType, m.body != null), size, text, start);
    }

    private static String bodyType(byte type, boolean hasBody) {
        return switch (type) {
            case WireMessage.BODY_TEXT -> "text";
            case WireMessage.BODY_BYTES -> "bytes";
            case WireMessage.BODY_MAP -> "map";
            case WireMessage.BODY_STREAM -> "stream";
            case WireMessage.BODY_OBJECT -> "object";
            default -> hasBody ? "unknown" : "none";
        };
    }
}
