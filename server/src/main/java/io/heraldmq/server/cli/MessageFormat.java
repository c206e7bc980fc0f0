package io.heraldmq.server.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How {@code consume} prints a message.
 * <p>
 * Text: the body alone ({@code --properties}: the properties as {@code k=v,k=v}, or {@code -} for none, then a tab,
 * then the body), like Kafka's console consumer. A TextMessage's text as it is; a BytesMessage's bytes as UTF-8; a
 * MapMessage or StreamMessage as JSON; an ObjectMessage is not deserialized (it could run the sender's code) and
 * shows as {@code [ObjectMessage]}. A body with line breaks spans several lines: scripts that need one message per
 * line use JSON.
 * <p>
 * JSON, one object per message, one per line:
 * <pre>
 * {"destination":"queue://orders","messageId":"ID:...","timestamp":1767225600000,"correlationId":null,
 *  "type":null,"priority":4,"deliveryMode":"persistent","redelivered":false,"expiration":0,
 *  "properties":{"JMSXDeliveryCount":1,"region":"eu"},"bodyType":"text","body":"a line"}
 * </pre>
 * {@code bodyType} is {@code text}, {@code bytes} (body: base64), {@code map} (body: an object), {@code stream}
 * (body: an array), {@code object} (body: null, not deserialized) or {@code none} (a plain Message; body null).
 * Property values keep their JSON type (numbers, booleans, strings); byte arrays in maps and streams are base64.
 */
final class MessageFormat {
    private MessageFormat() {
    }

    static String text(Message m, boolean withProperties) throws JMSException {
        String body = switch (bodyType(m)) {
            case "text" -> nullToEmpty(((TextMessage) m).getText());
            case "bytes" -> new String(bytes((BytesMessage) m), StandardCharsets.UTF_8);
            case "map", "stream" -> String.valueOf(body(m));
            case "object" -> "[ObjectMessage]";
            default -> "";
        };
        if (!withProperties) {
            return body;
        }
        Map<String, Object> properties = properties(m);
        List<String> pairs = new ArrayList<>();
        properties.forEach((k, v) -> pairs.add(k + "=" + v));
        return (pairs.isEmpty() ? "-" : String.join(",", pairs)) + "\t" + body;
    }

    static JsonObject json(Message m, ConsoleDestination destination) throws JMSException {
        String type = bodyType(m);
        return new JsonObject()
                .put("destination", destination.toString())
                .put("messageId", m.getJMSMessageID())
                .put("timestamp", m.getJMSTimestamp())
                .put("correlationId", m.getJMSCorrelationID())
                .put("type", m.getJMSType())
                .put("priority", m.getJMSPriority())
                .put("deliveryMode", m.getJMSDeliveryMode() == DeliveryMode.PERSISTENT ? "persistent"
                        : "non-persistent")
                .put("redelivered", m.getJMSRedelivered())
                .put("expiration", m.getJMSExpiration())
                .put("properties", new JsonObject(jsonValues(properties(m))))
                .put("bodyType", type)
                .put("body", body(m));
    }

    static String bodyType(Message m) {
        if (m instanceof TextMessage) {
            return "text";
        } else if (m instanceof BytesMessage) {
            return "bytes";
        } else if (m instanceof MapMessage) {
            return "map";
        } else if (m instanceof StreamMessage) {
            return "stream";
        } else if (m instanceof ObjectMessage) {
            return "object";
        }
        return "none";
    }

    /** The body as a JSON value (see the class comment). */
    private static Object body(Message m) throws JMSException {
        switch (bodyType(m)) {
            case "text":
                return ((TextMessage) m).getText();
            case "bytes":
                return Base64.getEncoder().encodeToString(bytes((BytesMessage) m));
            case "map": {
                MapMessage map = (MapMessage) m;
                Map<String, Object> values = new TreeMap<>();
                for (Object name : Collections.list(map.getMapNames())) {
                    values.put(name.toString(), map.getObject(name.toString()));
                }
                return new JsonObject(jsonValues(values));
            }
            case "stream": {
                StreamMessage stream = (StreamMessage) m;
                stream.reset();
                JsonArray values = new JsonArray();
                while (true) {
                    try {
                        values.add(jsonValue(stream.readObject()));
                    } catch (MessageEOFException end) {
                        return values;
                    }
                }
            }
            default:
                return null;
        }
    }

    private static byte[] bytes(BytesMessage m) throws JMSException {
        m.reset();
        byte[] out = new byte[(int) m.getBodyLength()];
        m.readBytes(out);
        return out;
    }

    /** Every property, by name. */
    static Map<String, Object> properties(Message m) throws JMSException {
        Map<String, Object> out = new TreeMap<>();
        for (Object name : Collections.list(m.getPropertyNames())) {
            out.put(name.toString(), m.getObjectProperty(name.toString()));
        }
        return out;
    }

    private static Map<String, Object> jsonValues(Map<String, Object> values) {
        Map<String, Object> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, jsonValue(v)));
        return out;
    }

    private static Object jsonValue(Object v) {
        if (v instanceof byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }
        if (v instanceof Character c) {
            return c.toString();
        }
        return v;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
