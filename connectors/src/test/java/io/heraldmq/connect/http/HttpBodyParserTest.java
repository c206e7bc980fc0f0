package io.heraldmq.connect.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpBodyParserTest {
    private final HttpBodyParser parser = new HttpBodyParser(new PropertyNames(), 1000, null);

    private List<HttpBodyParser.BodyRecord> parse(BodyFormat f, String body) throws MalformedBodyException {
        return parse(parser, f, body);
    }

    private static List<HttpBodyParser.BodyRecord> parse(HttpBodyParser p, BodyFormat f, String body)
            throws MalformedBodyException {
        byte[] b = (body + "trailing bytes beyond the length are ignored").getBytes(StandardCharsets.UTF_8);
        return p.parse(f, b, body.getBytes(StandardCharsets.UTF_8).length);
    }

    private String error(BodyFormat f, String body) {
        return assertThrows(MalformedBodyException.class, () -> parse(f, body)).getMessage();
    }

    @Test
    void ndjsonObjectsKeepTheirTextAndGiveTheirTopLevelScalarsAsFields() throws Exception {
        List<HttpBodyParser.BodyRecord> r = parse(BodyFormat.NDJSON,
                "{\"app\":\"web\",\"n\":42,\"ratio\":0.5,\"ok\":true,\"nil\":null,\"nested\":{\"x\":1},"
                        + "\"list\":[1,{\"y\":2}],\"big\":123456789012345678901234567890}\r\n"
                        + "\n   \n\"just a string\"\n{\"user.id\":\"u1\",\"JMSType\":\"t\",\"and\":1,\"2xx\":3}");
        assertEquals(3, r.size());
        assertEquals("{\"app\":\"web\",\"n\":42,\"ratio\":0.5,\"ok\":true,\"nil\":null,\"nested\":{\"x\":1},"
                + "\"list\":[1,{\"y\":2}],\"big\":123456789012345678901234567890}", r.get(0).body());
        assertEquals(Map.of("app", "web", "n", 42L, "ratio", 0.5, "ok", true,
                "big", "123456789012345678901234567890"), r.get(0).fields());
        assertEquals("just a string", r.get(1).body());
        assertEquals(Map.of(), r.get(1).fields());
        assertEquals(Map.of("user_id", "u1", "_JMSType", "t", "_and", 1L, "_2xx", 3L), r.get(2).fields());
        assertFalse(r.get(0).truncated());
    }

    @Test
    void malformedNdjsonNamesTheLine() {
        String e = error(BodyFormat.NDJSON, "{\"a\":1}\n{\"a\":2}\n{\"a\":\n{\"a\":4}");
        assertTrue(e.startsWith("line 3: not a complete JSON value: Unexpected end-of-input"), e);
        e = error(BodyFormat.NDJSON, "{\"a\":1}\n{\"a\":\n4}\n");
        assertEquals("line 2: the JSON value goes on to line 3 (one value per line)", e);
        e = error(BodyFormat.NDJSON, "{\"a\":1}\n\nnope\n");
        assertTrue(e.startsWith("line 3, column ") && e.contains("token 'nope'"), e);
        e = error(BodyFormat.NDJSON, "{\"a\":1}\n\n{\"a\" 2}");
        assertTrue(e.startsWith("line 3, column ") && e.contains("colon"), e);
        assertEquals("line 2: a JSON object or string expected, found a number",
                error(BodyFormat.NDJSON, "{}\n42\n"));
        assertEquals("line 1: a JSON object or string expected, found an array", error(BodyFormat.NDJSON, "[1]"));
        e = error(BodyFormat.NDJSON, "{\"a\":1} {\"b\":2}");
        assertEquals("line 1, column 9: more than one JSON value on the line", e);
    }

    @Test
    void aJsonArrayGivesEachObjectItsOriginalTextAcrossLines() throws Exception {
        String body = "[\n  {\"host\": \"h1\", \"msg\": \"ü multi-byte\"},\n  \"plain\",\n  {\n    \"host\": \"h2\"\n  }\n]\n";
        List<HttpBodyParser.BodyRecord> r = parse(BodyFormat.JSON, body);
        assertEquals(3, r.size());
        assertEquals("{\"host\": \"h1\", \"msg\": \"ü multi-byte\"}", r.get(0).body());
        assertEquals(Map.of("host", "h1", "msg", "ü multi-byte"), r.get(0).fields());
        assertEquals("plain", r.get(1).body());
        assertEquals("{\n    \"host\": \"h2\"\n  }", r.get(2).body());
        assertEquals(List.of(), parse(BodyFormat.JSON, "[]"));
        assertEquals(List.of(), parse(BodyFormat.JSON, "  "));
        List<HttpBodyParser.BodyRecord> one = parse(BodyFormat.JSON, " {\"a\":\"b\"} ");
        assertEquals("{\"a\":\"b\"}", one.get(0).body());
    }

    @Test
    void malformedJsonNamesLineColumnAndElement() {
        String e = error(BodyFormat.JSON, "[\n{\"a\":1},\n{\"a\":2,,}\n]");
        assertTrue(e.startsWith("line 3, column "), e);
        assertTrue(e.contains("(element 2)"), e);
        e = error(BodyFormat.JSON, "[{\"a\":1}, 7]");
        assertEquals("line 1, column 11 (element 2): a JSON object or string expected, found a number", e);
        e = error(BodyFormat.JSON, "[{\"a\":1}");
        assertTrue(e.contains("end-of-input"), e);
        e = error(BodyFormat.JSON, "[] []");
        assertTrue(e.contains("more after the end"), e);
        e = error(BodyFormat.JSON, "\"x\"");
        assertTrue(e.contains("a JSON array or object expected, found a string"), e);
    }

    @Test
    void plainLinesSkipBlankOnesAndDropCarriageReturns() throws Exception {
        List<HttpBodyParser.BodyRecord> r = parse(BodyFormat.TEXT, "one\r\n\ntwo ü\nthree");
        assertEquals(List.of("one", "two ü", "three"), r.stream().map(HttpBodyParser.BodyRecord::body).toList());
        assertTrue(r.stream().allMatch(x -> x.fields().isEmpty()));
    }

    @Test
    void longRecordsAreCutAtACharacterBoundaryAndMarked() throws Exception {
        HttpBodyParser small = new HttpBodyParser(new PropertyNames(), 10, null);
        List<HttpBodyParser.BodyRecord> r = parse(small, BodyFormat.TEXT, "short\n123456789üü\n");
        assertFalse(r.get(0).truncated());
        assertTrue(r.get(1).truncated());
        assertEquals("123456789", r.get(1).body()); // the ü's two bytes would end past byte 10
        assertEquals(13, r.get(1).byteLength());
        // A long object is still validated and its fields taken whole; a long string element is cut too.
        r = parse(small, BodyFormat.JSON, "[{\"app\":\"web\",\"pad\":\"xxxxxxxx\"},\"" + "y".repeat(20) + "\"]");
        assertTrue(r.get(0).truncated());
        assertEquals("{\"app\":\"we", r.get(0).body());
        assertEquals("web", r.get(0).fields().get("app"));
        assertTrue(r.get(1).truncated());
        assertEquals("y".repeat(10), r.get(1).body());
        assertThrows(MalformedBodyException.class, () -> parse(small, BodyFormat.NDJSON, "{\"app\":\"web\", broken"));
    }

    @Test
    void fieldsCanBeLimitedToSomeNames() throws Exception {
        HttpBodyParser some = new HttpBodyParser(new PropertyNames(), 1000, Set.of("app", "user.id"));
        List<HttpBodyParser.BodyRecord> r = parse(some, BodyFormat.NDJSON,
                "{\"app\":\"web\",\"message\":\"long text\",\"user.id\":7}");
        assertEquals(Map.of("app", "web", "user_id", 7L), r.get(0).fields());
    }

    @Test
    void propertyNamesAreMadeValid() {
        assertEquals("a_b", PropertyNames.sanitise("a-b"));
        assertEquals("_", PropertyNames.sanitise(""));
        assertEquals("_JMSXGroupID", PropertyNames.sanitise("JMSXGroupID"));
        assertEquals("_NULL", PropertyNames.sanitise("NULL"));
        assertEquals("_9", PropertyNames.sanitise("9"));
        assertEquals("héllo$x", PropertyNames.sanitise("héllo$x"));
        assertTrue(PropertyNames.isValid("app"));
        assertFalse(PropertyNames.isValid("a b"));
    }

    @Test
    void contentTypesPickTheFormat() {
        assertEquals(BodyFormat.NDJSON, BodyFormat.of("application/x-ndjson"));
        assertEquals(BodyFormat.JSON, BodyFormat.of("Application/JSON; charset=utf-8"));
        assertEquals(BodyFormat.TEXT, BodyFormat.of("text/plain;charset=UTF-8"));
        assertEquals(null, BodyFormat.of("application/x-www-form-urlencoded"));
        assertEquals(null, BodyFormat.of(null));
    }
}
