package io.heraldmq.connect.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;

import java.util.Base64;
import java.util.HexFormat;

/**
 * The OTLP/JSON encoding (OTLP specification, "JSON Protobuf Encoding"): proto3's JSON mapping, read by
 * protobuf-java-util's {@link JsonFormat}, with OTLP's differences handled so:
 * <ul>
 * <li>{@code traceId} and {@code spanId} are hex, not base64. JsonFormat decodes them as base64, which every hex
 * string also is (hex digits are base64 letters): 32 hex digits become 24 bytes, 16 become 12, lengths no valid id
 * has. Such a value is encoded back to its text, which is exact (a length that is a multiple of 4 leaves no spare
 * bits), and read as hex; one that is not hex is an invalid id and cleared (OTLP: treat as absent). An id that
 * decoded to 16 or 8 bytes was sent as base64, proto3's way, and is kept.</li>
 * <li>Enum values are integers ({@code "severityNumber": 9}): JsonFormat reads integers as well as names.</li>
 * <li>Keys are lowerCamelCase, and receivers should take the original field names too: JsonFormat takes both.</li>
 * <li>Unknown fields must be ignored: {@link JsonFormat.Parser#ignoringUnknownFields()}.</li>
 * <li>64-bit integers may come as numbers or as decimal strings: JsonFormat takes both.</li>
 * </ul>
 * Responses are printed by JsonFormat without whitespace: lowerCamelCase keys, 64-bit integers as strings, which
 * OTLP/JSON allows.
 */
final class OtlpJson {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final int TRACE_ID_BYTES = 16;
    private static final int SPAN_ID_BYTES = 8;

    private OtlpJson() {
    }

    static ExportLogsServiceRequest parse(String json) throws InvalidProtocolBufferException {
        ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
        try {
            PARSER.merge(json, b);
        } catch (RuntimeException e) {
            // JsonFormat wraps what it detects; anything else it lets through is bad input all the same
            throw new InvalidProtocolBufferException(e.getMessage());
        }
        for (ResourceLogs.Builder rl : b.getResourceLogsBuilderList()) {
            for (ScopeLogs.Builder sl : rl.getScopeLogsBuilderList()) {
                for (LogRecord.Builder r : sl.getLogRecordsBuilderList()) {
                    r.setTraceId(fromHex(r.getTraceId(), TRACE_ID_BYTES));
                    r.setSpanId(fromHex(r.getSpanId(), SPAN_ID_BYTES));
                }
            }
        }
        return b.build();
    }

    /** An id JsonFormat decoded from {@code 2 * length} hex digits as base64, decoded as hex instead. */
    static ByteString fromHex(ByteString decodedAsBase64, int length) {
        if (decodedAsBase64.size() != 2 * length * 3 / 4) {
            return decodedAsBase64;
        }
        String text = Base64.getEncoder().encodeToString(decodedAsBase64.toByteArray());
        try {
            return ByteString.copyFrom(HexFormat.of().parseHex(text));
        } catch (IllegalArgumentException e) {
            return ByteString.EMPTY;
        }
    }

    static String print(MessageOrBuilder message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
        }
    }
}
