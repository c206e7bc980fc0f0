package io.heraldmq.selector;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.heraldmq.selector.Sel.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** One parsed selector, evaluated from many threads at once, gives the same answers as from one. */
class SelectorConcurrencyTest {

    @Test
    void sharedSelectorIsThreadSafe() throws Exception {
        Selector s = Selector.parse(
                "(color IN ('red', 'blue') OR name LIKE 'x%y_') AND n * 2 + 1 BETWEEN 3 AND 401 AND NOT flag");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Callable<Integer> task = () -> {
                    int matched = 0;
                    for (int i = 0; i < 20_000; i++) {
                        SelectorContext m = msg("color", i % 3 == 0 ? "red" : "green", "name", "x" + i + "yz",
                                "n", i % 400, "flag", i % 5 == 0);
                        if (s.matches(m)) {
                            matched++;
                        }
                    }
                    return matched;
                };
                results.add(pool.submit(task));
            }
            int expected = results.get(0).get();
            for (Future<Integer> f : results) {
                assertEquals(expected, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
