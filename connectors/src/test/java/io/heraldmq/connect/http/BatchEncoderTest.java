package io.heraldmq.connect.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchEncoderTest {
    private static String encode(BatchEncoder.Format f, String... bodies) {
        BatchEncoder e = new BatchEncoder(f, "logs.web");
        for (int i = 0; i < bodies.length; i++) {
            e.add(bodies[i], "ID:" + i);
        }
        assertEquals(bodies.length, e.count());
        return new String(e.toBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void ndjsonKeepsJsonAsItIsCompactsMultiLineJsonAndQuotesTheRest() {
        assertEquals("{\"a\":1}\n"
                        + "{\"b\":[1,2]}\n"
                        + "\"plain \\\"quoted\\\" line\"\n"
                        + "\"{not json\"\n"
                        + "[1,2]\n"
                        + "\"42\"\n",
                encode(BatchEncoder.Format.NDJSON, "{\"a\":1}", "{\n  \"b\": [1, 2]\n}", "plain \"quoted\" line",
                        "{not json", "[1,2]", "42"));
        assertEquals("", encode(BatchEncoder.Format.NDJSON));
    }

    @Test
    void bulkWritesAnActionLineWithTheMessageIdBeforeEachDocument() {
        assertEquals("{\"index\":{\"_index\":\"logs.web\",\"_id\":\"ID:0\"}}\n"
                        + "{\"a\":1}\n"
                        + "{\"index\":{\"_index\":\"logs.web\",\"_id\":\"ID:1\"}}\n"
                        + "{\"message\":\"line with\\nbreak\"}\n"
                        + "{\"index\":{\"_index\":\"logs.web\",\"_id\":\"ID:2\"}}\n"
                        + "{\"message\":\"[1,2]\"}\n",
                encode(BatchEncoder.Format.BULK, "{\"a\":1}", "line with\nbreak", "[1,2]"));
    }

    @Test
    void everyLineOfABigBatchIsOneJsonValue() {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            bodies.add(i % 2 == 0 ? "{\"i\":" + i + ",\n\"s\":\"ü\"}" : "text " + i);
        }
        String out = encode(BatchEncoder.Format.NDJSON, bodies.toArray(String[]::new));
        String[] lines = out.split("\n");
        assertEquals(500, lines.length);
        assertEquals("{\"i\":498,\"s\":\"ü\"}", lines[498]);
        assertEquals("\"text 499\"", lines[499]);
    }

    @Test
    void bulkAnswersWithErrorsOrThatAreNotJsonObjectsCountAsFailures() {
        assertFalse(HttpTarget.bulkFailed(bytes("{\"took\":3,\"errors\":false,\"items\":[{\"index\":{}}]}")));
        assertTrue(HttpTarget.bulkFailed(bytes("{\"took\":3,\"errors\":true,\"items\":[]}")));
        assertFalse(HttpTarget.bulkFailed(bytes("{\"items\":[{\"errors\":true}]}")));
        assertTrue(HttpTarget.bulkFailed(bytes("ok")));
        assertTrue(HttpTarget.bulkFailed(bytes("")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
