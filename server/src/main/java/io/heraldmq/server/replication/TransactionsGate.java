package io.heraldmq.server.replication;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * What a new leader of a {@link PartitionReplica} does once its epoch is committed and before it serves consumers or
 * plans transactions: apply the decided transactions with a part in this partition ({@code TxGate}, from the decision
 * log). Passed again each leadership; retried every {@link #RETRY_MS} until it succeeds. Runs on the partition's
 * context.
 * <p>
 * Availability over the last guarantee: a decision log that cannot be reached must not keep every partition from
 * serving, so after {@link #MAX_WAIT_MS} the partition serves anyway (a message a decided transaction consumed might
 * then be delivered again, never lost) and the gate goes on trying in the background.
 */
final class TransactionsGate {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionsGate.class);
    /** A gate that could not reach the decision log tries again after this long. */
    static final long RETRY_MS = 250;
    /** How long a new leader waits for its gate before it serves anyway. */
    static final long MAX_WAIT_MS = 5_000;

    private final PartitionReplica replica;
    /** Null for none (the decision log's own partition). Given before the replica's first role. */
    private Function<PartitionReplica, Future<Void>> gate;
    /** Volatile: read by subscribe handlers. Reset with every role change. */
    private volatile boolean passed;
    private boolean started;

    TransactionsGate(PartitionReplica replica) {
        this.replica = replica;
    }

    void set(Function<PartitionReplica, Future<Void>> newGate) {
        this.gate = newGate;
    }

    /** Whether this leadership's gate passed (or was given up on after {@link #MAX_WAIT_MS}). */
    boolean passed() {
        return passed;
    }

    /** A role change: the next leadership passes its own gate. */
    void reset() {
        passed = false;
        started = false;
    }

    /** The high watermark passed this leadership's epoch marker ({@code gen}): pass the gate. */
    void epochCommitted(int gen) {
        if (started) {
            return;
        }
        started = true;
        pass(gen);
        if (gate != null) {
            replica.partition().context().owner().setTimer(MAX_WAIT_MS, t -> replica.partition().run(() -> {
                if (current(gen) && !passed) {
                    LOG.warn("{}: the transactions gate of epoch {} did not pass within {} ms (decision log "
                            + "unreachable?); serving without it, still trying", replica.key(), replica.epoch(),
                            MAX_WAIT_MS);
                    passed = true;
                }
            }));
        }
    }

    private boolean current(int gen) {
        return gen == replica.generation() && !replica.closed();
    }

    private void pass(int gen) {
        if (!current(gen)) {
            return;
        }
        if (gate == null) {
            passed = true;
            return;
        }
        gate.apply(replica).onComplete(ar -> replica.partition().run(() -> {
            if (!current(gen)) {
                return;
            }
            if (ar.succeeded()) {
                if (passed) {
                    LOG.info("{}: transactions gate of epoch {} passed late", replica.key(), replica.epoch());
                }
                passed = true;
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{}: transactions gate of epoch {} passed", replica.key(), replica.epoch());
                }
                return;
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}: transactions gate of epoch {} not passed yet: {}", replica.key(), replica.epoch(),
                        ar.cause().getMessage());
            }
            replica.partition().context().owner().setTimer(RETRY_MS, t -> replica.partition().run(() -> pass(gen)));
        }));
    }
}
