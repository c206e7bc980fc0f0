package io.heraldmq.connect.otlp;

import com.google.protobuf.ByteString;
import io.heraldmq.connect.DestinationTemplate;
import io.heraldmq.connect.publish.OutboundRecord;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OtlpRecordsTest {
    private static final String TRACE = "5b8efff798038103d269b633813fc60c";
    private static final String SPAN = "eee19b7ec3c1b174";

    private static OtlpRecords records(String template, int maxBytes, boolean refuse) {
        return new OtlpRecords("otel", DestinationTemplate.parse(template, OtlpRecords.FIELDS), maxBytes, refuse);
    }

    private static KeyValue kv(String key, AnyValue v) {
        return KeyValue.newBuilder().setKey(key).setValue(v).build();
    }

    private static AnyValue s(String v) {
        return AnyValue.newBuilder().setStringValue(v).build();
    }

    private static AnyValue i(long v) {
        return AnyValue.newBuilder().setIntValue(v).build();
    }

    private static ExportLogsServiceRequest request(List<KeyValue> resource, LogRecord... logs) {
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder().addAllAttributes(resource))
                .addScopeLogs(ScopeLogs.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("com.example.Checkout").setVersion("1.2")
                                .addAttributes(kv("lib.kind", s("servlet"))))
                        .addAllLogRecords(List.of(logs))))
                .build();
    }

    private static LogRecord.Builder log(String body) {
        return LogRecord.newBuilder().setBody(s(body));
    }

    @Test
    void aLogRecordBecomesOneMessageWithItsFieldsAsProperties() {
        LogRecord rec = log("payment refused")
                .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN).setSeverityText("Warning")
                .setTimeUnixNano(1_700_000_000_123_456_789L).setObservedTimeUnixNano(1_700_000_001_000_000_000L)
                .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(TRACE)))
                .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(SPAN)))
                .setFlags(0x101).setEventName("payment.refused")
                .addAttributes(kv("http.request.method", s("POST")))
                .addAttributes(kv("retry", AnyValue.newBuilder().setBoolValue(true).build()))
                .addAttributes(kv("attempt", i(3)))
                .addAttributes(kv("ratio", AnyValue.newBuilder().setDoubleValue(0.5).build()))
                .addAttributes(kv("raw", AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi")).build()))
                .addAttributes(kv("tags", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(s("a")).addValues(i(1))).build()))
                .build();
        AtomicInteger done = new AtomicInteger();
        OtlpRecords.Mapped m = records("topic://logs.${service.name}.${severity}", 64 * 1024, false)
                .map(request(List.of(kv("service.name", s("checkout")), kv("host.name", s("web-1")),
                        kv("k8s.pod.name", s("checkout-7d9"))), rec), "/10.0.0.1:5555", done::incrementAndGet);

        assertEquals(1, m.records().size());
        assertEquals(0, m.refused());
        OutboundRecord r = m.records().get(0);
        assertEquals("payment refused", r.body());
        assertEquals("logs.checkout.Warning", r.destination().name());
        assertFalse(r.destination().queue());
        assertEquals("checkout/web-1", r.groupId());
        Map<String, Object> p = r.properties();
        assertEquals("otel", p.get("source"));
        assertEquals("/10.0.0.1:5555", p.get("peer"));
        assertEquals("string", p.get("bodyType"));
        assertEquals(13, p.get("severityNumber"));
        assertEquals("Warning", p.get("severityText"));
        assertEquals(1_700_000_000_123_456_789L, p.get("timeUnixNano"));
        assertEquals(1_700_000_001_000_000_000L, p.get("observedTimeUnixNano"));
        assertEquals("2023-11-14T22:13:20.123456789Z", p.get("timestamp"));
        assertEquals(TRACE, p.get("traceId"));
        assertEquals(SPAN, p.get("spanId"));
        assertEquals(1, p.get("traceFlags"));
        assertEquals("payment.refused", p.get("eventName"));
        assertEquals("com.example.Checkout", p.get("scopeName"));
        assertEquals("1.2", p.get("scopeVersion"));
        assertEquals("servlet", p.get("scope_lib_kind"));
        assertEquals("checkout", p.get("resource_service_name"));
        assertEquals("web-1", p.get("resource_host_name"));
        assertEquals("checkout-7d9", p.get("resource_k8s_pod_name"));
        assertEquals("POST", p.get("attr_http_request_method"));
        assertEquals(true, p.get("attr_retry"));
        assertEquals(3L, p.get("attr_attempt"));
        assertEquals(0.5, p.get("attr_ratio"));
        assertEquals("aGk=", p.get("attr_raw"));
        assertEquals("[\"a\",1]", p.get("attr_tags"));
        assertNull(p.get("truncated"));
        for (String name : p.keySet()) {
            assertTrue(Character.isJavaIdentifierStart(name.charAt(0)), name);
            assertTrue(name.chars().allMatch(Character::isJavaIdentifierPart), name);
        }

        assertEquals(0, done.get());
        r.onAcknowledged().run();
        assertEquals(1, done.get());
    }

    @Test
    void otherBodyKindsAreJsonTextAndNoBodyIsEmpty() {
        AnyValue kvlist = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                .addValues(kv("msg", s("line \"one\"\n\ttwo")))
                .addValues(kv("n", i(-7)))
                .addValues(kv("nested", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                        .addValues(kv("ok", AnyValue.newBuilder().setBoolValue(false).build()))).build()))
                .addValues(kv("nan", AnyValue.newBuilder().setDoubleValue(Double.NaN).build()))
                .addValues(kv("unset", AnyValue.getDefaultInstance()))).build();
        OtlpRecords.Mapped m = records("queue://logs", 1024, false).map(request(List.of(),
                LogRecord.newBuilder().setBody(kvlist).build(),
                LogRecord.newBuilder().setBody(i(42)).build(),
                LogRecord.newBuilder().setBody(AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[]{
                        (byte) 0xff, 0})).build()).build(),
                LogRecord.newBuilder().build()), "peer", () -> { });

        List<OutboundRecord> r = m.records();
        assertEquals(4, r.size());
        assertEquals("{\"msg\":\"line \\\"one\\\"\\n\\ttwo\",\"n\":-7,\"nested\":{\"ok\":false},\"nan\":\"NaN\","
                + "\"unset\":null}", r.get(0).body());
        assertEquals("kvlist", r.get(0).properties().get("bodyType"));
        assertEquals("42", r.get(1).body());
        assertEquals("int", r.get(1).properties().get("bodyType"));
        assertEquals("\"/wA=\"", r.get(2).body());
        assertEquals("", r.get(3).body());
        assertNull(r.get(3).properties().get("bodyType"));
        assertTrue(r.get(3).destination().queue());
        // no service.name: the OpenTelemetry fallback name, and no timestamp without one
        assertEquals("unknown_service", r.get(0).groupId());
        assertNull(r.get(3).properties().get("timestamp"));
    }

    @Test
    void invalidIdsAndProfilingOnlyFieldsAreTreatedAsAbsent() {
        LogRecord rec = log("x")
                .setTraceId(ByteString.copyFrom(new byte[16]))
                .setSpanId(ByteString.copyFrom(new byte[]{1, 2, 3}))
                .setObservedTimeUnixNano(1_000_000_000L)
                .addAttributes(kv("from.table", AnyValue.newBuilder().setStringValueStrindex(4).build()))
                .addAttributes(KeyValue.newBuilder().setKeyStrindex(2).setValue(s("keyless")).build())
                .build();
        Map<String, Object> p = records("topic://t", 1024, false).map(request(List.of(), rec), "peer", () -> { })
                .records().get(0).properties();
        assertNull(p.get("traceId"));
        assertNull(p.get("spanId"));
        assertNull(p.get("attr_from_table"));
        assertFalse(p.containsKey("attr_"));
        assertNull(p.get("timeUnixNano"));
        assertEquals("1970-01-01T00:00:01Z", p.get("timestamp"));
    }

    @Test
    void keysAreSanitisedAndTheFirstOfTwoEqualNamesIsKept() {
        assertEquals("attr_http_method", OtlpRecords.propertyName("attr_", "http.method"));
        assertEquals("resource_k8s_pod_name", OtlpRecords.propertyName("resource_", "k8s.pod.name"));
        assertEquals("attr___b_c__", OtlpRecords.propertyName("attr_", "ä b-c/é"));
        LogRecord rec = log("x").addAttributes(kv("a.b", s("first"))).addAttributes(kv("a_b", s("second"))).build();
        Map<String, Object> p = records("topic://t", 1024, false).map(request(List.of(), rec), "peer", () -> { })
                .records().get(0).properties();
        assertEquals("first", p.get("attr_a_b"));
    }

    @Test
    void severityFieldFallsBackToTheNumbersShortName() {
        OtlpRecords r = records("topic://logs.${severity}.${scope.name}", 1024, false);
        List<OutboundRecord> out = r.map(request(List.of(kv("service.name", s("svc"))),
                log("a").setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR3).build(),
                log("b").setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_TRACE).build(),
                log("c").setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_FATAL4).build(),
                log("d").build()), "peer", () -> { }).records();
        assertEquals(List.of("logs.ERROR.com.example.Checkout", "logs.TRACE.com.example.Checkout",
                        "logs.FATAL.com.example.Checkout", "logs.unknown.com.example.Checkout"),
                out.stream().map(o -> o.destination().name()).toList());
        assertEquals("svc", out.get(0).groupId());
    }

    @Test
    void longBodiesAreCutAtACharacterBoundaryOrRefused() {
        String body = "é".repeat(600); // 1,200 bytes of two-byte characters
        OtlpRecords.Mapped cut = records("topic://t", 1023, false).map(request(List.of(), log(body).build(),
                log("short").build()), "peer", () -> { });
        assertEquals(2, cut.records().size());
        assertEquals("é".repeat(511), cut.records().get(0).body());
        assertEquals(true, cut.records().get(0).properties().get("truncated"));
        assertEquals(1, cut.cut());

        AtomicInteger done = new AtomicInteger();
        OtlpRecords.Mapped refused = records("topic://t", 1023, true).map(request(List.of(), log("short").build(),
                log(body).build()), "peer", done::incrementAndGet);
        assertEquals(1, refused.records().size());
        assertEquals("short", refused.records().get(0).body());
        assertEquals(1, refused.refused());
        assertTrue(refused.refusal().contains("long.lines = refuse"), refused.refusal());
        // the request's callback moves to the last record published
        refused.records().get(0).onAcknowledged().run();
        assertEquals(1, done.get());
    }

    @Test
    void aRecordWhoseAttributesExceedTheBoundIsRefusedWhatEverLongLinesSays() {
        LogRecord big = log("x").addAttributes(kv("blob", s("y".repeat(2000)))).build();
        OtlpRecords.Mapped m = records("topic://t", 1024, false).map(request(List.of(), big, log("ok").build()),
                "peer", () -> { });
        assertEquals(1, m.records().size());
        assertEquals("ok", m.records().get(0).body());
        assertEquals(1, m.refused());
        assertTrue(m.refusal().contains("attributes of"), m.refusal());
    }

    @Test
    void anEmptyRequestMapsToNothing() {
        OtlpRecords.Mapped m = records("topic://t", 1024, false).map(ExportLogsServiceRequest.getDefaultInstance(),
                "peer", () -> { });
        assertTrue(m.records().isEmpty());
        assertEquals(0, m.refused());
    }
}
