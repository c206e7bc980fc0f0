package io.heraldmq.server.subscription;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LongKeyMapTest {
    @Test
    void putGetRemoveAndReplace() {
        LongKeyMap<String> m = new LongKeyMap<>();
        assertNull(m.put(7, "a"));
        assertEquals("a", m.put(7, "b"));
        assertEquals("b", m.get(7));
        assertNull(m.get(8));
        assertEquals(1, m.size());
        assertEquals("b", m.remove(7));
        assertNull(m.remove(7));
        assertEquals(0, m.size());
        assertThrows(NullPointerException.class, () -> m.put(1, null));
    }

    @Test
    void agreesWithAHashMapForConsecutiveAndScatteredKeys() {
        Random random = new Random(11);
        LongKeyMap<Long> m = new LongKeyMap<>();
        Map<Long, Long> model = new HashMap<>();
        long next = Long.MAX_VALUE - 50_000; // offsets near the top too: the mixing must not overflow into trouble
        for (int step = 0; step < 200_000; step++) {
            int op = random.nextInt(10);
            if (op < 5) {
                long key = random.nextInt(8) == 0 ? random.nextLong() : next++;
                assertEquals(model.put(key, key * 3), m.put(key, key * 3));
            } else if (op < 9 && !model.isEmpty()) {
                // in-flight deliveries mostly settle oldest first, but not only
                long key = random.nextBoolean() ? model.keySet().iterator().next() : next - 1 - random.nextInt(64);
                assertEquals(model.remove(key), m.remove(key));
            } else {
                long key = next - random.nextInt(128);
                assertEquals(model.get(key), m.get(key));
                assertEquals(model.containsKey(key), m.containsKey(key));
            }
            assertEquals(model.size(), m.size());
        }
        Map<Long, Long> seen = new HashMap<>();
        m.forEach((k, v) -> assertNull(seen.put(k, v)));
        assertEquals(model, seen);
    }
}
