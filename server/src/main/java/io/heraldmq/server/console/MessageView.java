package io.heraldmq.server.console;

import io.heraldmq.admin.BrowsedMessage;

import java.util.HexFormat;
import java.util.Map;

/**
 * One browsed message as HTML: headers, properties and a preview of the body (text up to {@link #TEXT_PREVIEW}
 * characters, other bodies as hex of their first bytes). All of it is the sender's data, so all of it is escaped.
 */
final class MessageView {
    static final int TEXT_PREVIEW = 4000;
    static final int HEX_PREVIEW = 256;

    private MessageView() {
    }

    static void render(StringBuilder h, BrowsedMessage m) {
        h.append("<table class=\"message-headers\">");
        header(h, "Partition / offset", m.partition() + " / " + m.offset());
        header(h, "JMSMessageID", m.messageId());
        header(h, "JMSTimestamp", Html.time(m.timestamp()));
        header(h, "JMSType", m.type());
        header(h, "JMSCorrelationID", m.correlationId());
        header(h, "JMSReplyTo", m.replyTo());
        header(h, "JMSPriority", m.priority());
        header(h, "JMSDeliveryMode", m.persistent() ? "PERSISTENT" : "NON_PERSISTENT");
        header(h, "JMSExpiration", m.expiration() == 0 ? "never" : Html.time(m.expiration()));
        header(h, "Deliveries so far", m.deliveryCount());
        h.append("</table>");
        if (!m.properties().isEmpty()) {
            h.append("<table class=\"message-properties\"><tr><th>Property</th><th>Value</th></tr>");
            for (Map.Entry<String, Object> p : m.properties().entrySet()) {
                h.append("<tr><td>").append(Html.esc(p.getKey())).append("</td><td>").append(Html.esc(value(p.getValue())))
                        .append("</td></tr>");
            }
            h.append("</table>");
        }
        h.append("<p>Body: ").append(Html.esc(m.bodyType())).append(", ").append(m.bodySize()).append(" bytes</p>");
        if (m.text() != null) {
            String text = m.text().length() > TEXT_PREVIEW ? m.text().substring(0, TEXT_PREVIEW) + " ..." : m.text();
            h.append("<pre class=\"body\">").append(Html.esc(text)).append("</pre>");
        } else if (m.bodyStart().length > 0) {
            int n = Math.min(HEX_PREVIEW, m.bodyStart().length);
            h.append("<pre class=\"body\">").append(HexFormat.ofDelimiter(" ").formatHex(m.bodyStart(), 0, n))
                    .append(m.bodySize() > n ? " ..." : "").append("</pre>");
        }
    }

    private static String value(Object v) {
        return v instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(v);
    }

    private static void header(StringBuilder h, String name, Object value) {
        h.append("<tr><th>").append(Html.esc(name)).append("</th><td>").append(Html.esc(value)).append("</td></tr>");
    }
}
