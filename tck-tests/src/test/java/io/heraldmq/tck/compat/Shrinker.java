package io.heraldmq.tck.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Shrinks a diverging sequence to a minimal one: removes chunks of ops, then single ops, as long as the rest still
 * diverges (delta debugging, without the complement step). Ops whose objects were removed are skipped on both
 * brokers, so every subsequence still runs.
 */
final class Shrinker {
    private Shrinker() {
    }

    /**
     * @param diverges runs a candidate (on fresh destinations) and tells whether it still diverges
     * @param budget   at most this many runs
     */
    static List<Op> shrink(List<Op> ops, Predicate<List<Op>> diverges, int budget) {
        List<Op> current = new ArrayList<>(ops);
        int runs = 0;
        for (int chunk = Math.max(1, current.size() / 2); chunk >= 1; chunk /= 2) {
            boolean removed = true;
            while (removed) {
                removed = false;
                for (int start = current.size() - chunk; start >= 0 && runs < budget; start -= chunk) {
                    List<Op> candidate = new ArrayList<>(current.subList(0, start));
                    candidate.addAll(current.subList(Math.min(current.size(), start + chunk), current.size()));
                    runs++;
                    if (!candidate.isEmpty() && diverges.test(candidate)) {
                        current = candidate;
                        removed = true;
                        start = Math.min(start, current.size() - chunk + chunk);
                    }
                }
            }
            if (runs >= budget) {
                break;
            }
        }
        return current;
    }
}
