package io.heraldmq.tck.compat;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator is a pure function of its seed, refers only to objects made before, and reaches every kind of call. */
class SequenceGeneratorTest {
    @Test
    void theSameSeedGivesTheSameSequence() {
        assertEquals(SequenceGenerator.generate(42, 30), SequenceGenerator.generate(42, 30));
        assertNotEquals(SequenceGenerator.generate(42, 30), SequenceGenerator.generate(43, 30));
    }

    @Test
    void everyReferenceIsToAnEarlierObjectOfTheRightKind() {
        for (long seed = 0; seed < 500; seed++) {
            List<Op> ops = SequenceGenerator.generate(seed, 30);
            Map<Integer, Op.Kind> made = new HashMap<>();
            for (Op op : ops) {
                Op.Kind needs = switch (op.kind()) {
                    case START, STOP, CLOSE_CONNECTION, SESSION -> Op.Kind.CONNECTION;
                    case CLOSE_SESSION, PRODUCER, CONSUMER, ACKNOWLEDGE, COMMIT, ROLLBACK, RECOVER, UNSUBSCRIBE,
                            BROWSE -> Op.Kind.SESSION;
                    case SEND, CLOSE_PRODUCER -> Op.Kind.PRODUCER;
                    case RECEIVE, CLOSE_CONSUMER -> Op.Kind.CONSUMER;
                    case CONNECTION -> null;
                };
                if (needs != null) {
                    assertEquals(needs, made.get(op.a()), "seed " + seed + ": " + op);
                }
                made.put(op.id(), op.kind());
            }
        }
    }

    @Test
    void everyKindOfCallIsGenerated() {
        Set<Op.Kind> seen = EnumSet.noneOf(Op.Kind.class);
        for (long seed = 0; seed < 200; seed++) {
            SequenceGenerator.generate(seed, 30).forEach(op -> seen.add(op.kind()));
        }
        assertEquals(EnumSet.allOf(Op.Kind.class), seen);
    }

    @Test
    void opsAreNumberedByPosition() {
        List<Op> ops = SequenceGenerator.generate(7, 30);
        for (int i = 0; i < ops.size(); i++) {
            assertEquals(i, ops.get(i).id());
        }
        assertTrue(ops.size() >= 30);
    }
}
