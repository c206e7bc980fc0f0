package io.heraldmq.server.security;

import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.WireMessage;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JMSXUserID: a batch stamped right is kept as sent; any other is rewritten with the user (or without one). */
class UserIdStampTest {
    private static Buffer batch(Map<String, Object>... properties) {
        RecordBatch.Builder b = new RecordBatch.Builder(RecordBatch.ATTR_PERSISTENT, 256).idempotent(42, 7);
        for (Map<String, Object> p : properties) {
            WireMessage m = new WireMessage();
            m.messageId = "ID:1";
            m.correlationId = "c".getBytes(StandardCharsets.UTF_8);
            m.destinationKind = io.heraldmq.protocol.DestinationKind.QUEUE;
            m.destination = "orders";
            m.properties.putAll(p);
            m.body = Buffer.buffer("hello");
            b.add(1000, "group", m.encode());
        }
        return b.build();
    }

    private static List<Object> userIds(Buffer batch) {
        List<Object> out = new ArrayList<>();
        RecordBatch.forEachRecord(batch, (o, r) -> out.add(WireMessage.decode(RecordBatch.message(r)).properties
                .getOrDefault(UserIdStamp.PROPERTY, "(absent)")));
        return out;
    }

    @Test
    void aBatchStampedWithTheUserIsStoredAsSent() {
        Buffer b = batch(Map.of("a", 1, UserIdStamp.PROPERTY, "alice", "z", "x"), Map.of(UserIdStamp.PROPERTY,
                "alice"));
        assertSame(b, UserIdStamp.apply(b, "alice"));
    }

    @Test
    void missingForgedOrDuplicatedValuesAreRewritten() {
        Buffer forged = batch(Map.of(UserIdStamp.PROPERTY, "alice"), Map.of(UserIdStamp.PROPERTY, "root"),
                Map.of("other", "x"), Map.of(UserIdStamp.PROPERTY, 5));
        Buffer stored = UserIdStamp.apply(forged, "alice");
        assertEquals(List.of("alice", "alice", "alice", "alice"), userIds(stored));
        assertEquals(null, RecordBatch.check(stored));
        assertEquals(RecordBatch.attributes(forged), RecordBatch.attributes(stored));
        assertEquals(42, RecordBatch.producerId(stored));
        assertEquals(7, RecordBatch.baseSequence(stored));
        assertTrue(RecordBatch.isIdempotent(stored));
        List<String> keys = new ArrayList<>();
        RecordBatch.forEachRecord(stored, (o, r) -> keys.add(RecordBatch.recordKey(r)));
        assertEquals(List.of("group", "group", "group", "group"), keys);
        assertTrue(UserIdStamp.stamped(stored, "alice".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anAnonymousSendHasNoUserId() {
        Buffer clean = batch(Map.of("a", true));
        assertSame(clean, UserIdStamp.apply(clean, null));
        Buffer forged = batch(Map.of(UserIdStamp.PROPERTY, "alice"));
        Buffer stored = UserIdStamp.apply(forged, null);
        assertEquals(List.of("(absent)"), userIds(stored));
        assertFalse(UserIdStamp.stamped(forged, null));
    }

    @Test
    void everyValueTypeIsSkipped() {
        Map<String, Object> all = new java.util.LinkedHashMap<>();
        all.put("n", null);
        all.put("b", true);
        all.put("y", (byte) 1);
        all.put("s", (short) 2);
        all.put("i", 3);
        all.put("l", 4L);
        all.put("f", 5f);
        all.put("d", 6d);
        all.put("str", "x".repeat(40_000));
        all.put(UserIdStamp.PROPERTY, "zoë");
        Buffer b = batch(all);
        assertSame(b, UserIdStamp.apply(b, "zoë"));
    }
}
