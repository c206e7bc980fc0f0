package io.heraldmq.tck.compat;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.admin.HeraldAdminException;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Generated call sequences ({@link SequenceGenerator}) run on ActiveMQ Artemis and HeraldMQ in lockstep
 * ({@link Lockstep}). A divergence is run again on fresh destinations to rule out timing, then shrunk to a minimal
 * sequence, which the failure prints as a reproduction.
 * <p>
 * CI runs {@code compat.sequences} (default 150) sequences from seed {@code compat.seed} (default 13), several at a
 * time ({@code compat.parallel}, default 6: most of a sequence's time is waiting). By hand, for example:
 * {@code mvn -pl tck-tests verify -Dit.test=GeneratedSequencesIT -Dcompat.sequences=10000 -Dcompat.seed=1}.
 */
class GeneratedSequencesIT {
    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();
    @RegisterExtension
    static final ArtemisBroker artemis = new ArtemisBroker();

    private static final int LENGTH = 30;
    private final AtomicInteger runs = new AtomicInteger();

    @Test
    void generatedSequencesBehaveAsOnArtemis() throws Exception {
        int count = Integer.getInteger("compat.sequences", 150);
        long seed = Long.getLong("compat.seed", 13);
        int parallel = Integer.getInteger("compat.parallel", 6);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<String>> results = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long sequenceSeed = seed * 1_000_003L + i;
            results.add(pool.submit(() -> check(sequenceSeed)));
        }
        List<String> findings = new ArrayList<>();
        for (Future<String> f : results) {
            String finding = f.get();
            if (finding != null) {
                findings.add(finding);
            }
        }
        pool.shutdown();
        System.out.printf("generated sequences: %d from seed %d, %d ops each, %d runs in all, %d diverging, %.0f s%n",
                count, seed, LENGTH, runs.get(), findings.size(), (System.nanoTime() - started) / 1e9);
        assertEquals(List.of(), findings, () -> findings.size() + " of " + count + " sequences diverge:\n"
                + String.join("\n", findings));
    }

    /** @return null if the sequence agrees, else the minimal reproduction */
    private String check(long sequenceSeed) {
        List<Op> ops = SequenceGenerator.generate(sequenceSeed, LENGTH);
        Lockstep.Divergence first = run(ops);
        if (first == null || run(ops) == null) {
            return null; // agrees, or differed once only: timing, not behaviour
        }
        List<Op> minimal = Shrinker.shrink(ops, candidate -> run(candidate) != null && run(candidate) != null, 150);
        Lockstep.Divergence divergence = run(minimal);
        return "seed " + sequenceSeed + ", minimal sequence of " + minimal.size() + " ops:\n    "
                + minimal.stream().map(Op::toString).collect(Collectors.joining("\n    ")) + "\n" + divergence;
    }

    private Lockstep.Divergence run(List<Op> ops) {
        String prefix = "gen" + runs.incrementAndGet();
        try {
            return Lockstep.run(ops, artemis.connectionFactory(), new HeraldConnectionFactory(herald.url()), prefix);
        } finally {
            deleteDestinations(prefix);
        }
    }

    /**
     * Deletes a run's destinations on HeraldMQ once it is over: each partition keeps its segment files open, and
     * thousands of runs would pass the process's open-file limit (Artemis deletes its auto-created addresses itself).
     */
    private void deleteDestinations(String prefix) {
        try (HeraldAdmin admin = HeraldAdmin.connect(herald.url())) {
            for (String destination : Op.DESTINATIONS) {
                String name = prefix + "." + destination.substring(6);
                try {
                    if (destination.startsWith("queue")) {
                        admin.deleteQueue(name, true);
                    } else {
                        admin.deleteTopic(name, true);
                    }
                } catch (HeraldAdminException e) {
                    // never created by this run
                }
            }
        }
    }
}
