package io.heraldmq.connect.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;

import java.util.Base64;

/**
 * OTLP {@code AnyValue}s as message property values and as plain JSON text.
 * <p>
 * Property values: a string, bool, int or double as {@code String}, {@code Boolean}, {@code Long} or {@code Double};
 * bytes as base64 text; an array or key-value list as its JSON text. JSON text is the value itself, not the OTLP
 * JSON envelope: a key-value list is an object ({@code {"a":1}}, keys in the order sent), an array an array, bytes a
 * base64 string, a non-finite double the string {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"} (as in
 * proto3 JSON), an unset value {@code null}.
 * <p>
 * {@code string_value_strindex} and {@code key_strindex} refer to the profiling signal's string table; OTLP tells
 * receivers of other signals to treat them as absent, which these methods do (an unset value, or a key of "").
 */
final class AnyValues {
    private AnyValues() {
    }

    /** Whether the value holds something a receiver of logs can use. */
    static boolean isSet(AnyValue v) {
        return v.getValueCase() != AnyValue.ValueCase.VALUE_NOT_SET
                && v.getValueCase() != AnyValue.ValueCase.STRING_VALUE_STRINDEX;
    }

    /** The value's kind as the {@code bodyType} property names it: {@code string}, {@code kvlist}, ... */
    static String kind(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> "string";
            case BOOL_VALUE -> "bool";
            case INT_VALUE -> "int";
            case DOUBLE_VALUE -> "double";
            case ARRAY_VALUE -> "array";
            case KVLIST_VALUE -> "kvlist";
            case BYTES_VALUE -> "bytes";
            default -> null;
        };
    }

    /** The message property value for {@code v}; null if it is not set. */
    static Object propertyValue(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> v.getBoolValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
            case ARRAY_VALUE, KVLIST_VALUE -> toJson(v);
            default -> null;
        };
    }

    /** The value as text: a string as it is, anything else as {@link #propertyValue} renders it; null if not set. */
    static String text(AnyValue v) {
        Object p = propertyValue(v);
        return p == null ? null : p.toString();
    }

    static String toJson(AnyValue v) {
        StringBuilder b = new StringBuilder();
        appendJson(b, v);
        return b.toString();
    }

    private static void appendJson(StringBuilder b, AnyValue v) {
        switch (v.getValueCase()) {
            case STRING_VALUE -> appendJsonString(b, v.getStringValue());
            case BOOL_VALUE -> b.append(v.getBoolValue());
            case INT_VALUE -> b.append(v.getIntValue());
            case DOUBLE_VALUE -> {
                double d = v.getDoubleValue();
                if (Double.isFinite(d)) {
                    b.append(d);
                } else {
                    appendJsonString(b, Double.toString(d));
                }
            }
            case BYTES_VALUE -> appendJsonString(b,
                    Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
            case ARRAY_VALUE -> {
                b.append('[');
                for (int i = 0; i < v.getArrayValue().getValuesCount(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    appendJson(b, v.getArrayValue().getValues(i));
                }
                b.append(']');
            }
            case KVLIST_VALUE -> {
                b.append('{');
                boolean first = true;
                for (KeyValue kv : v.getKvlistValue().getValuesList()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    appendJsonString(b, kv.getKey());
                    b.append(':');
                    appendJson(b, kv.getValue());
                }
                b.append('}');
            }
            default -> b.append("null");
        }
    }

    /** {@code s} as a JSON string literal (RFC 8259 escapes). */
    static void appendJsonString(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
