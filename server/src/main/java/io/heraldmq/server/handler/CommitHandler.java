package io.heraldmq.server.handler;

import io.heraldmq.protocol.Commit;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.Ok;
import io.heraldmq.server.log.DiskSpaceMonitor;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.tx.TransactionLog;
import io.heraldmq.server.txlog.DecisionLogClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * COMMIT: applies a transaction's sends and consumed acks as one unit. First everything that can refuse it is
 * checked ({@link TxPlanner}): a refusal then leaves nothing applied. Then the whole transaction goes to the
 * {@link TransactionLog} and is fsynced: from here it is committed, a crash is finished at the next start. Then it
 * is applied: batches appended on their partitions' contexts in order (waiting for the flush policy's durability, so
 * the checkpoint can pass them), acks settled as an ACK would; then OK.
 * <p>
 * A failure after the journal write cannot be undone; it is answered with INTERNAL (the client reports the outcome
 * as unknown) and the transaction is finished at the next start. A one-phase XA_COMMIT goes the same way.
 * <p>
 * On a clustered broker the transaction is not journaled here but decided in the cluster's replicated decision log
 * and applied from it ({@link ReplicatedCommit}).
 * <p>
 * Permissions are part of the first checks ({@link TxPlanner}): {@code send} on every destination the transaction
 * sends to, and {@code createDestination} on those that do not exist yet; a refusal (NOT_AUTHORIZED, which the
 * client's commit reports as TransactionRolledBackException caused by a JMSSecurityException) applies nothing.
 */
public final class CommitHandler implements RequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CommitHandler.class);

    private final TxPlanner planner;
    private final TransactionLog txLog;
    /** A clustered broker's commits; null on a single node, which journals them in {@link #txLog}. */
    private final ReplicatedCommit replicated;

    public CommitHandler(AutoCreation destinations, int maxMessageBytes, DiskSpaceMonitor disk,
                         TransactionLog txLog, DecisionLogClient decisions, String brokerId) {
        this.planner = new TxPlanner(destinations, maxMessageBytes, disk);
        this.txLog = txLog;
        this.replicated = decisions == null ? null : new ReplicatedCommit(decisions, brokerId);
    }

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        commit(connection, frame.correlationId(), Commit.decode(frame.body()), "transaction");
    }

    /** Checks, journals and applies {@code commit}, and answers; {@code what} names it in logs. */
    void commit(ClientConnection connection, int correlationId, Commit commit, String what) {
        planner.plan(connection, commit).onComplete(ar -> {
            if (ar.failed()) {
                connection.replyFailure(correlationId, ar.cause());
            } else if (replicated != null) {
                replicated.commit(connection, correlationId, ar.result(), what);
            } else {
                journalAndApply(connection, correlationId, ar.result(), what);
            }
        });
    }

    TxPlanner planner() {
        return planner;
    }

    private void journalAndApply(ClientConnection connection, int correlationId, TxPlanner.Plan plan, String what) {
        int total = plan.bytes();
        connection.producing(total);
        txLog.journal(plan.record()).onComplete(journaled -> {
            if (journaled.failed()) {
                connection.produced(total);
                connection.replyError(correlationId, ErrorCode.RESOURCE_EXHAUSTED,
                        "the transaction could not be written to the transaction journal: "
                                + journaled.cause().getMessage());
                return;
            }
            long index = journaled.result();
            List<Future<?>> applied = new ArrayList<>();
            for (TxPlanner.Routed r : plan.routed()) {
                Promise<Long> appended = Promise.promise();
                Partition p = r.partition();
                // run() keeps submission order per partition: the transaction's batches land in journal order,
                // which recovery relies on
                p.run(() -> p.append(r.batch().batch(), true).onComplete(appended));
                applied.add(appended.future());
            }
            for (TxPlanner.Consumed c : plan.consumed()) {
                applied.add(c.consumer().settle(c.ack()));
            }
            Future.all(applied).onComplete(done -> {
                connection.produced(total);
                if (done.succeeded()) {
                    txLog.applied(index);
                    connection.send(Ok.encode(correlationId));
                } else {
                    LOG.warn("{} {} is journaled but could not be applied; the next start applies it", what, index,
                            done.cause());
                    connection.replyError(correlationId, ErrorCode.INTERNAL, "the transaction is committed but "
                            + "could not be applied yet (" + done.cause().getMessage() + "); the broker applies it "
                            + "when it restarts");
                }
            });
        });
    }
}
