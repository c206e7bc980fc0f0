package io.heraldmq.tck.compat;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shrinking keeps only the ops a divergence needs, and never runs more often than its budget. */
class ShrinkerTest {
    private static List<Op> ops(int n) {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ops.add(new Op(Op.Kind.START, i, 0, 0, 0));
        }
        return ops;
    }

    private static boolean has(List<Op> ops, int id) {
        return ops.stream().anyMatch(o -> o.id() == id);
    }

    @Test
    void keepsExactlyTheOpsTheDivergenceNeeds() {
        List<Op> minimal = Shrinker.shrink(ops(40), c -> has(c, 3) && has(c, 17) && has(c, 38), 1000);
        assertEquals(List.of(3, 17, 38), minimal.stream().map(Op::id).toList());
    }

    @Test
    void keepsTheOrder() {
        List<Op> minimal = Shrinker.shrink(ops(10), c -> {
            int a = c.indexOf(new Op(Op.Kind.START, 8, 0, 0, 0));
            int b = c.indexOf(new Op(Op.Kind.START, 2, 0, 0, 0));
            return a >= 0 && b >= 0 && b < a;
        }, 1000);
        assertEquals(List.of(2, 8), minimal.stream().map(Op::id).toList());
    }

    @Test
    void stopsAtItsBudget() {
        int[] runs = {0};
        List<Op> result = Shrinker.shrink(ops(64), c -> {
            runs[0]++;
            return has(c, 5) && has(c, 60);
        }, 10);
        assertTrue(runs[0] <= 10, runs[0] + " runs");
        assertTrue(has(result, 5) && has(result, 60));
    }
}
