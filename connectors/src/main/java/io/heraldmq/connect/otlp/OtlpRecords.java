package io.heraldmq.connect.otlp;

import io.heraldmq.connect.DestinationName;
import io.heraldmq.connect.DestinationTemplate;
import io.heraldmq.connect.publish.OutboundRecord;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;

import com.google.protobuf.ByteString;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an OTLP logs export request into the messages to publish: one TextMessage per {@code LogRecord}.
 * <ul>
 * <li>Body: a string body as it is; any other kind as JSON text ({@link AnyValues}); no body, an empty text.</li>
 * <li>{@code source}: the connector's name; {@code peer}: the sender's address.</li>
 * <li>{@code bodyType}: {@code string}, {@code kvlist}, {@code array}, {@code int}, {@code double}, {@code bool} or
 * {@code bytes}; absent when the record has no body.</li>
 * <li>{@code severityNumber} (Integer, 1-24) and {@code severityText}, when set.</li>
 * <li>{@code timestamp}: ISO-8601 UTC with nanoseconds, of {@code time_unix_nano} or, when that is 0, of
 * {@code observed_time_unix_nano} (the OpenTelemetry data model's rule); {@code timeUnixNano} and
 * {@code observedTimeUnixNano} (Long, nanoseconds since the epoch), when not 0.</li>
 * <li>{@code traceId}, {@code spanId}: lower-case hex, when valid (16 and 8 bytes, not all zero; OTLP says to treat
 * an invalid id as absent); {@code traceFlags} (Integer, the low byte of {@code flags}) when not 0.</li>
 * <li>{@code eventName}, {@code scopeName}, {@code scopeVersion}, when not empty.</li>
 * <li>Attributes: {@code resource_<key>} per resource attribute, {@code scope_<key>} per scope attribute,
 * {@code attr_<key>} per log record attribute, with every character of the key other than ASCII letters, digits
 * and {@code _} written as {@code _} ({@code service.name} is {@code resource_service_name}), so a name is always a
 * valid JMS property name and never a reserved word. Values as {@link AnyValues#propertyValue}. When two keys of
 * one kind come out as the same name, the first one sent is kept.</li>
 * <li>{@code truncated = true} on a body cut at {@code max.line.bytes}.</li>
 * <li>{@code JMSXGroupID}: the resource's {@code service.name} ({@code unknown_service} without one), plus
 * {@code /host.name} when it has one: one service's stream on one host stays in order.</li>
 * </ul>
 * Destination template fields: {@code ${service.name}}, {@code ${service.namespace}}, {@code ${host.name}},
 * {@code ${deployment.environment.name}}, {@code ${k8s.namespace.name}} (resource attributes),
 * {@code ${scope.name}}, and {@code ${severity}} (the severity text, else the severity number's short name:
 * {@code TRACE}, {@code DEBUG}, {@code INFO}, {@code WARN}, {@code ERROR}, {@code FATAL}).
 * <p>
 * A record is refused (not published; the response's partial success counts it) when its body is longer than
 * {@code max.line.bytes} UTF-8 bytes under {@code long.lines = refuse}, or when its property names and values add
 * up to more than {@code max.line.bytes} characters: cutting attributes would make them lie, and a message the
 * broker refuses as too large would be sent again forever. Thread-safe: requests are mapped on worker threads, and
 * the destination template's cache is used under its lock.
 */
final class OtlpRecords {
    static final Set<String> FIELDS = Set.of("service.name", "service.namespace", "host.name",
            "deployment.environment.name", "k8s.namespace.name", "scope.name", "severity");
    private static final Set<String> RESOURCE_FIELDS = Set.of("service.name", "service.namespace", "host.name",
            "deployment.environment.name", "k8s.namespace.name");
    private static final String[] SEVERITY_NAMES = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
    private static final Runnable NOTHING = () -> { };
    /** What a property value other than a string is counted as, in characters, against the size bound. */
    private static final int NON_STRING_CHARS = 8;

    /**
     * What one request maps to.
     *
     * @param records what to publish, in the request's order; the last one's callback is the request's
     * @param refused records not published
     * @param refusal why the first refused one was, for the response and the log (null when none was)
     * @param cut     bodies cut at {@code max.line.bytes}
     */
    record Mapped(List<OutboundRecord> records, int refused, String refusal, int cut) {
    }

    private final String connectorName;
    private final DestinationTemplate destination;
    private final int maxBytes;
    private final boolean refuseLong;

    OtlpRecords(String connectorName, DestinationTemplate destination, int maxBytes, boolean refuseLong) {
        this.connectorName = connectorName;
        this.destination = destination;
        this.maxBytes = maxBytes;
        this.refuseLong = refuseLong;
    }

    /**
     * @param onAllAcknowledged run once the broker acknowledged every record mapped here (as the last one's
     *                          callback: the publisher acknowledges in order)
     */
    Mapped map(ExportLogsServiceRequest request, String peer, Runnable onAllAcknowledged) {
        List<OutboundRecord> out = new ArrayList<>();
        int refused = 0;
        int cut = 0;
        String refusal = null;
        for (ResourceLogs rl : request.getResourceLogsList()) {
            Map<String, Object> resourceProps = attributes("resource_", rl.getResource().getAttributesList());
            Map<String, String> fields = new HashMap<>();
            for (KeyValue kv : rl.getResource().getAttributesList()) {
                if (RESOURCE_FIELDS.contains(kv.getKey())) {
                    fields.putIfAbsent(kv.getKey(), AnyValues.text(kv.getValue()));
                }
            }
            String service = fields.get("service.name");
            String host = fields.get("host.name");
            String group = (service == null || service.isEmpty() ? "unknown_service" : service)
                    + (host == null || host.isEmpty() ? "" : "/" + host);
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                InstrumentationScope scope = sl.getScope();
                Map<String, Object> shared = new LinkedHashMap<>(resourceProps);
                attributes("scope_", scope.getAttributesList()).forEach(shared::putIfAbsent);
                putIfNotEmpty(shared, "scopeName", scope.getName());
                putIfNotEmpty(shared, "scopeVersion", scope.getVersion());
                shared.put("source", connectorName);
                shared.put("peer", peer);
                for (LogRecord rec : sl.getLogRecordsList()) {
                    Body body = body(rec.getBody());
                    String why = null;
                    if (body.tooLong && refuseLong) {
                        why = "a body longer than max.line.bytes (" + maxBytes + ") under long.lines = refuse";
                    }
                    Map<String, Object> p = null;
                    if (why == null) {
                        p = properties(rec, shared, body);
                        int size = chars(p);
                        if (size > maxBytes) {
                            why = "attributes of " + size + " characters, more than max.line.bytes (" + maxBytes
                                    + ")";
                        }
                    }
                    if (why != null) {
                        refused++;
                        if (refusal == null) {
                            refusal = why;
                        }
                        continue;
                    }
                    if (body.tooLong) {
                        cut++;
                    }
                    String severity = severity(rec);
                    DestinationName d;
                    synchronized (destination) {
                        d = destination.render(f -> switch (f) {
                            case "scope.name" -> scope.getName();
                            case "severity" -> severity;
                            default -> fields.get(f);
                        });
                    }
                    out.add(new OutboundRecord(d, body.text, p, group, NOTHING));
                }
            }
        }
        if (!out.isEmpty()) {
            OutboundRecord last = out.get(out.size() - 1);
            out.set(out.size() - 1, new OutboundRecord(last.destination(), last.body(), last.properties(),
                    last.groupId(), onAllAcknowledged));
        }
        return new Mapped(out, refused, refusal, cut);
    }

    private record Body(String text, String type, boolean tooLong) {
    }

    private Body body(AnyValue v) {
        String type = AnyValues.kind(v);
        String text = type == null ? "" : type.equals("string") ? v.getStringValue() : AnyValues.toJson(v);
        if (text.length() * 3L <= maxBytes) {
            return new Body(text, type, false); // even all three-byte characters would fit
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= maxBytes) {
            return new Body(text, type, false);
        }
        if (refuseLong) {
            return new Body(null, type, true);
        }
        int keep = maxBytes;
        while (keep > 0 && (utf8[keep] & 0xC0) == 0x80) {
            keep--; // not in the middle of a character
        }
        return new Body(new String(utf8, 0, keep, StandardCharsets.UTF_8), type, true);
    }

    private static Map<String, Object> properties(LogRecord rec, Map<String, Object> shared, Body body) {
        Map<String, Object> p = new HashMap<>(shared.size() + rec.getAttributesCount() + 16);
        p.putAll(shared);
        attributes("attr_", rec.getAttributesList()).forEach(p::putIfAbsent);
        if (body.type != null) {
            p.put("bodyType", body.type);
        }
        if (body.tooLong) {
            p.put("truncated", true);
        }
        if (rec.getSeverityNumberValue() != 0) {
            p.put("severityNumber", rec.getSeverityNumberValue());
        }
        putIfNotEmpty(p, "severityText", rec.getSeverityText());
        long time = rec.getTimeUnixNano();
        long observed = rec.getObservedTimeUnixNano();
        if (time > 0) {
            p.put("timeUnixNano", time);
        }
        if (observed > 0) {
            p.put("observedTimeUnixNano", observed);
        }
        long t = time > 0 ? time : observed;
        if (t > 0) {
            p.put("timestamp", Instant.ofEpochSecond(0, t).toString());
        }
        if (validId(rec.getTraceId(), 16)) {
            p.put("traceId", HexFormat.of().formatHex(rec.getTraceId().toByteArray()));
        }
        if (validId(rec.getSpanId(), 8)) {
            p.put("spanId", HexFormat.of().formatHex(rec.getSpanId().toByteArray()));
        }
        int traceFlags = rec.getFlags() & 0xFF;
        if (traceFlags != 0) {
            p.put("traceFlags", traceFlags);
        }
        putIfNotEmpty(p, "eventName", rec.getEventName());
        return p;
    }

    /** Attributes as properties named {@code prefix + sanitised key}; the first of two equal names is kept. */
    private static Map<String, Object> attributes(String prefix, List<KeyValue> attributes) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (KeyValue kv : attributes) {
            Object v = AnyValues.propertyValue(kv.getValue());
            if (v != null && !kv.getKey().isEmpty()) {
                p.putIfAbsent(propertyName(prefix, kv.getKey()), v);
            }
        }
        return p;
    }

    /** {@code prefix} and the key with every character but ASCII letters, digits and {@code _} as {@code _}. */
    static String propertyName(String prefix, String key) {
        StringBuilder b = new StringBuilder(prefix.length() + key.length()).append(prefix);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            b.append(ok ? c : '_');
        }
        return b.toString();
    }

    /** The severity text, else the severity number's short name, else null. */
    static String severity(LogRecord rec) {
        if (!rec.getSeverityText().isEmpty()) {
            return rec.getSeverityText();
        }
        int n = rec.getSeverityNumberValue();
        return n >= 1 && n <= 24 ? SEVERITY_NAMES[(n - 1) / 4] : null;
    }

    private static boolean validId(ByteString id, int length) {
        if (id.size() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (id.byteAt(i) != 0) {
                return true;
            }
        }
        return false;
    }

    private static void putIfNotEmpty(Map<String, Object> p, String key, String value) {
        if (!value.isEmpty()) {
            p.put(key, value);
        }
    }

    private static int chars(Map<String, Object> p) {
        int n = 0;
        for (Map.Entry<String, Object> e : p.entrySet()) {
            n += e.getKey().length() + (e.getValue() instanceof String s ? s.length() : NON_STRING_CHARS);
        }
        return n;
    }
}
