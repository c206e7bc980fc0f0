package io.heraldmq.connect.otlp;

import com.google.protobuf.CodedInputStream;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OTLP/JSON's differences from proto3 JSON, the error bodies, and bounded gzip. */
class OtlpDecodingTest {
    private static final String TRACE = "5b8efff798038103d269b633813fc60c";
    private static final String SPAN = "eee19b7ec3c1b174";

    private static String json(String traceId, String spanId) {
        // as the OTLP specification's example: hex ids, enum as a number, 64-bit integers as strings, and a field
        // this version of the protocol does not know
        return """
                {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}]},
                 "scopeLogs":[{"scope":{"name":"my.library","version":"1.0.0"},
                  "logRecords":[{"timeUnixNano":"1544712660300000000","observedTimeUnixNano":1544712660300000001,
                   "severityNumber":10,"severityText":"Information","traceId":"%s","spanId":"%s",
                   "body":{"stringValue":"Example log record"},"futureField":{"x":1},
                   "attributes":[{"key":"int.attribute","value":{"intValue":"10"}},
                                 {"key":"kv","value":{"kvlistValue":{"values":[{"key":"a","value":{"boolValue":true}}]}}}]}]}]}]}
                """.formatted(traceId, spanId);
    }

    @Test
    void otlpJsonWithHexIdsAndNumericEnums() throws Exception {
        ExportLogsServiceRequest r = OtlpEncoding.JSON.decode(json(TRACE, SPAN).getBytes(StandardCharsets.UTF_8));
        LogRecord rec = r.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
        assertEquals(TRACE, HexFormat.of().formatHex(rec.getTraceId().toByteArray()));
        assertEquals(SPAN, HexFormat.of().formatHex(rec.getSpanId().toByteArray()));
        assertEquals(SeverityNumber.SEVERITY_NUMBER_INFO2, rec.getSeverityNumber());
        assertEquals(1544712660300000000L, rec.getTimeUnixNano());
        assertEquals(1544712660300000001L, rec.getObservedTimeUnixNano());
        assertEquals("Example log record", rec.getBody().getStringValue());
        assertEquals(10, rec.getAttributes(0).getValue().getIntValue());
        assertEquals("shop", r.getResourceLogs(0).getResource().getAttributes(0).getValue().getStringValue());
    }

    @Test
    void upperCaseHexAndOriginalFieldNamesAreTakenToo() throws Exception {
        String text = """
                {"resource_logs":[{"scope_logs":[{"log_records":[{"trace_id":"%s","span_id":"%s",
                 "severity_number":"SEVERITY_NUMBER_ERROR"}]}]}]}
                """.formatted(TRACE.toUpperCase(), SPAN.toUpperCase());
        LogRecord rec = OtlpEncoding.JSON.decode(text.getBytes(StandardCharsets.UTF_8))
                .getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
        assertEquals(TRACE, HexFormat.of().formatHex(rec.getTraceId().toByteArray()));
        assertEquals(SPAN, HexFormat.of().formatHex(rec.getSpanId().toByteArray()));
        assertEquals(SeverityNumber.SEVERITY_NUMBER_ERROR, rec.getSeverityNumber());
    }

    @Test
    void base64IdsAsProto3JsonWritesThemAreKeptAndNonHexIdsAreDropped() throws Exception {
        byte[] trace = HexFormat.of().parseHex(TRACE);
        byte[] span = HexFormat.of().parseHex(SPAN);
        LogRecord rec = OtlpEncoding.JSON.decode(json(Base64.getEncoder().encodeToString(trace),
                Base64.getEncoder().encodeToString(span)).getBytes(StandardCharsets.UTF_8))
                .getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
        assertEquals(TRACE, HexFormat.of().formatHex(rec.getTraceId().toByteArray()));
        assertEquals(SPAN, HexFormat.of().formatHex(rec.getSpanId().toByteArray()));

        // 32 base64 letters that are not hex: an invalid id, treated as absent rather than failing the request
        rec = OtlpEncoding.JSON.decode(json("z".repeat(32), "").getBytes(StandardCharsets.UTF_8))
                .getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
        assertEquals(0, rec.getTraceId().size());
        assertEquals(0, rec.getSpanId().size());
    }

    @Test
    void malformedBodiesAre400() {
        for (String bad : new String[]{"{\"resourceLogs\":[", "not json", "{\"resourceLogs\":{\"x\":1}}",
                "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"soon\"}]}]}]}"}) {
            OtlpHttpException e = assertThrows(OtlpHttpException.class,
                    () -> OtlpEncoding.JSON.decode(bad.getBytes(StandardCharsets.UTF_8)), bad);
            assertEquals(400, e.status());
        }
        OtlpHttpException e = assertThrows(OtlpHttpException.class,
                () -> OtlpEncoding.PROTOBUF.decode("not protobuf at all".getBytes(StandardCharsets.UTF_8)));
        assertEquals(400, e.status());
    }

    @Test
    void contentTypesAndResponses() throws Exception {
        assertEquals(OtlpEncoding.JSON, OtlpEncoding.of("application/json; charset=utf-8"));
        assertEquals(OtlpEncoding.PROTOBUF, OtlpEncoding.of("Application/X-Protobuf"));
        assertNull(OtlpEncoding.of("text/plain"));
        assertNull(OtlpEncoding.of(null));

        assertEquals("{}", new String(OtlpEncoding.JSON.encode(ExportLogsServiceResponse.getDefaultInstance()),
                StandardCharsets.UTF_8));
        assertEquals(0, OtlpEncoding.PROTOBUF.encode(ExportLogsServiceResponse.getDefaultInstance()).length);
        ExportLogsServiceResponse partial = ExportLogsServiceResponse.newBuilder().setPartialSuccess(
                ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(2).setErrorMessage("too long")).build();
        assertEquals(partial, ExportLogsServiceResponse.parseFrom(OtlpEncoding.PROTOBUF.encode(partial)));
        assertEquals("{\"partialSuccess\":{\"rejectedLogRecords\":\"2\",\"errorMessage\":\"too long\"}}",
                new String(OtlpEncoding.JSON.encode(partial), StandardCharsets.UTF_8));

        assertEquals("{\"code\":8,\"message\":\"full \\\"now\\\"\"}",
                new String(OtlpEncoding.JSON.status(429, "full \"now\""), StandardCharsets.UTF_8));
        CodedInputStream in = CodedInputStream.newInstance(OtlpEncoding.PROTOBUF.status(401, "who are you"));
        assertEquals((1 << 3), in.readTag());
        assertEquals(16, in.readInt32());
        assertEquals((2 << 3) | 2, in.readTag());
        assertEquals("who are you", in.readString());
        assertTrue(in.isAtEnd());
    }

    @Test
    void gzipIsInflatedWithABound() throws Exception {
        byte[] plain = "x".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        byte[] gz = gzip(plain);
        assertEquals(10_000, OtlpHttpHandler.inflate(gz, 10_000).length);
        assertEquals(413, assertThrows(OtlpHttpException.class, () -> OtlpHttpHandler.inflate(gz, 9_999)).status());
        assertEquals(400, assertThrows(OtlpHttpException.class,
                () -> OtlpHttpHandler.inflate(plain, 100_000)).status());
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(b);
        }
        return bytes.toByteArray();
    }
}
