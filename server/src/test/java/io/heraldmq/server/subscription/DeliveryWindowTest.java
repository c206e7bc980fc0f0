package io.heraldmq.server.subscription;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliveryWindowTest {
    private static List<Long> offsets(DeliveryWindow w) {
        List<Long> out = new ArrayList<>();
        for (PendingDelivery p : w) {
            out.add(p.offset);
        }
        return out;
    }

    @Test
    void highestPriorityFirstThenArrivalOrder() {
        DeliveryWindow w = new DeliveryWindow();
        int[] priorities = {4, 9, 0, 4, 9, 7};
        for (int i = 0; i < priorities.length; i++) {
            w.add(Records.pending(i, priorities[i], true));
        }
        assertEquals(List.of(1L, 4L, 5L, 0L, 3L, 2L), offsets(w));
        assertEquals(6, w.size());
    }

    @Test
    void topicSubscriptionsKeepLogOrder() {
        DeliveryWindow w = new DeliveryWindow();
        w.add(Records.pending(0, 1, false));
        w.add(Records.pending(1, 9, false));
        assertEquals(List.of(0L, 1L), offsets(w));
    }

    @Test
    void returnedDeliveriesGoAheadOfLaterRecordsOfTheirLevel() {
        DeliveryWindow w = new DeliveryWindow();
        w.add(Records.pending(5, 4, true));
        w.add(Records.pending(6, 8, true));
        w.add(Records.pending(2, 4, true));
        assertEquals(List.of(6L, 2L, 5L), offsets(w));
    }

    @Test
    void deliveriesPutBackInAnyOrderGoOutInOffsetOrder() {
        DeliveryWindow w = new DeliveryWindow();
        w.add(Records.pending(9, 4, true));
        w.add(Records.pending(7, 4, true));
        w.add(Records.pending(3, 4, true));
        w.add(Records.pending(5, 4, true));
        assertEquals(List.of(3L, 5L, 7L, 9L), offsets(w));
    }

    @Test
    void removalThroughTheIteratorKeepsTheIndex() {
        DeliveryWindow w = new DeliveryWindow();
        for (int i = 0; i < 4; i++) {
            w.add(Records.pending(i, i % 2 == 0 ? 3 : 6, true));
        }
        for (Iterator<PendingDelivery> it = w.iterator(); it.hasNext(); ) {
            if (it.next().offset % 2 == 1) {
                it.remove();
            }
        }
        assertEquals(List.of(0L, 2L), offsets(w));
        assertEquals(2, w.size());
        assertFalse(w.contains(1));
        assertNull(w.get(3));
        assertTrue(w.contains(2));
    }

    @Test
    void takeAllMergesTheOtherWindowByOffset() {
        DeliveryWindow w = new DeliveryWindow();
        w.add(Records.pending(10, 4, true));
        w.add(Records.pending(11, 6, true));
        DeliveryWindow aside = new DeliveryWindow();
        aside.add(Records.pending(3, 4, true));
        aside.add(Records.pending(4, 4, true));
        aside.add(Records.pending(5, 6, true));
        w.takeAll(aside);
        assertEquals(List.of(5L, 11L, 3L, 4L, 10L), offsets(w));
        assertEquals(5, w.size());
        assertTrue(w.contains(3));
        assertTrue(aside.isEmpty());
        assertFalse(aside.iterator().hasNext());
    }

    @Test
    void agreesWithASortedMapUnderRandomAddsRemovalsAndMerges() {
        java.util.Random random = new java.util.Random(7);
        DeliveryWindow w = new DeliveryWindow();
        DeliveryWindow aside = new DeliveryWindow();
        java.util.TreeMap<Long, Integer> model = new java.util.TreeMap<>();
        java.util.TreeMap<Long, Integer> asideModel = new java.util.TreeMap<>();
        long next = 0;
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            if (op < 4) {
                // mostly log order, sometimes a put-back below what is held
                long offset = random.nextInt(4) == 0 ? random.nextInt((int) next + 1) : next++;
                int priority = random.nextInt(3) * 4;
                if (!model.containsKey(offset) && !asideModel.containsKey(offset)) {
                    w.add(Records.pending(offset, priority, true));
                    model.put(offset, priority);
                }
            } else if (op < 8) {
                Iterator<PendingDelivery> it = w.iterator();
                for (int skip = random.nextInt(3); it.hasNext(); skip--) {
                    PendingDelivery p = it.next();
                    if (skip <= 0) {
                        it.remove();
                        model.remove(p.offset);
                        if (random.nextBoolean()) {
                            aside.add(p);
                            asideModel.put(p.offset, p.priority);
                        }
                        break;
                    }
                }
            } else if (op == 8) {
                w.takeAll(aside);
                model.putAll(asideModel);
                asideModel.clear();
            } else {
                long probe = random.nextInt((int) next + 1);
                assertEquals(model.containsKey(probe), w.contains(probe));
            }
            assertEquals(model.size(), w.size());
            assertEquals(asideModel.size(), aside.size());
        }
        List<Long> expected = new ArrayList<>();
        for (int level = DeliveryWindow.LEVELS - 1; level >= 0; level--) {
            for (java.util.Map.Entry<Long, Integer> e : model.entrySet()) {
                if (e.getValue() == level) {
                    expected.add(e.getKey());
                }
            }
        }
        assertEquals(expected, offsets(w));
    }

    @Test
    void priorityOutOfRangeIsClamped() {
        assertEquals(9, Records.pending(0, 42, true).priority);
        assertEquals(0, Records.pending(0, -3, true).priority);
    }

    @Test
    void groupIsTheRecordKeyOnQueuesOnly() {
        assertEquals("g1", PendingDelivery.of(0, 1, Records.record(4, "g1", 0, 0), true).group);
        assertNull(PendingDelivery.of(0, 1, Records.record(4, "g1", 0, 0), false).group);
    }
}
