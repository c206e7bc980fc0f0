package io.heraldmq.server.handler;

import io.heraldmq.protocol.Commit;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.txlog.DecisionLogClient;
import io.heraldmq.server.txlog.TxDecision;
import io.heraldmq.server.txlog.TxId;
import io.heraldmq.server.txlog.TxLogResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A leader's prepared parts of transactions that span brokers (the participant's side; the coordinator is
 * {@code io.heraldmq.server.gateway.SpanningCommit}). A part is the sends to destinations this broker leads and the
 * deliveries its consumers gave out, prepared for the coordinator over its relay (TX_PREPARE) or, for the
 * coordinator's own part, directly.
 * <p>
 * Invariants:
 * <ul>
 *   <li><b>Nothing of a part is applied before its transaction's decision is committed</b> in the decision log:
 *       {@link #finish} with {@code apply} comes from the coordinator after its TX_DECIDE was answered OK, or from
 *       {@link #resolve} when the decision log answers TX_RESOLVE with OK (decided).</li>
 *   <li><b>A prepared part's consumed deliveries go to no one else</b> until it is finished: they are held
 *       ({@code HeldDeliveries}), which survives its consumer and its relay connection closing.</li>
 *   <li><b>A prepared part is never left held</b>: when the coordinator's relay connection closes, or neither apply
 *       nor release came within {@link #RESOLVE_AFTER_MS}, the part asks the decision log (TX_RESOLVE): decided =>
 *       applied; undecided => recorded ABORTED (its coordinator can no longer decide it) => released. A decision
 *       log out of reach is asked again every {@link #RESOLVE_RETRY_MS}.</li>
 *   <li><b>A part of a prepared XA branch waits for its transaction manager indefinitely</b>: once the branch's
 *       PREPARED record is committed, TX_RESOLVE answers XA_WRONG_STATE (never ABORTED), and the part stays held,
 *       asking again every {@link #RESOLVE_AFTER_MS} only to catch a lost TX_XA_FINISH. Before that record is
 *       committed a silent coordinator's part is rolled back as any other (the PREPARED record is then refused).
 *       Heuristic outcomes are not offered in a cluster.</li>
 *   <li><b>A part is finished once</b>: apply and release race (coordinator, timer, closed relay) through one
 *       outcome; a finish of a part no longer prepared here (finished, or lost with a restart) answers OK, since a
 *       decided part not applied here is applied by its partition's next leader at its gate.</li>
 * </ul>
 */
public final class TxParts {
    private static final Logger LOG = LoggerFactory.getLogger(TxParts.class);
    /** How long a prepared part waits for its coordinator before it asks the decision log. */
    static final long RESOLVE_AFTER_MS = 30_000;
    /** How often a part whose outcome the decision log could not give asks again. */
    static final long RESOLVE_RETRY_MS = 1_000;

    private final Vertx vertx;
    private final TxPlanner planner;
    private final DecisionLogClient decisions;
    private final String localId;
    private final Map<TxId, Prepared> prepared = new ConcurrentHashMap<>();

    public TxParts(Vertx vertx, CommitHandler commits, DecisionLogClient decisions, String localId) {
        this.vertx = vertx;
        this.planner = commits.planner();
        this.decisions = decisions;
        this.localId = localId;
    }

    /** One prepared part. */
    private final class Prepared {
        final TxId id;
        final TxPlanner.Plan plan;
        final TxPartWork.Described described;
        final ClientConnection connection;
        /** Set once, by whichever finishes the part first. */
        final AtomicReference<Future<TxPartWork.Applied>> outcome = new AtomicReference<>();
        volatile long timer = -1;

        Prepared(TxId id, TxPlanner.Plan plan, TxPartWork.Described described, ClientConnection connection) {
            this.id = id;
            this.plan = plan;
            this.described = described;
            this.connection = connection;
        }

        Future<TxPartWork.Applied> finish(boolean apply) {
            Promise<TxPartWork.Applied> mine = Promise.promise();
            if (!outcome.compareAndSet(null, mine.future())) {
                return outcome.get();
            }
            vertx.cancelTimer(timer);
            Future<TxPartWork.Applied> done = apply ? TxPartWork.apply(plan, described).onSuccess(this::report)
                    : TxPartWork.endHolds(plan, false).map(new TxPartWork.Applied(List.of(), List.of(), null));
            done.onComplete(ar -> {
                prepared.remove(id, this);
                mine.handle(ar);
            });
            return mine.future();
        }

        private void report(TxPartWork.Applied applied) {
            if (!applied.stuck().isEmpty()) {
                LOG.warn("transaction {} is decided but could not be applied to {} here; it is applied when they"
                        + " change leader", id, applied.stuck(), applied.cause());
            }
            if (!applied.mine().isEmpty()) {
                decisions.applied(id, applied.mine()).onComplete(a -> {
                    if ((a.failed() || !a.result().ok()) && LOG.isDebugEnabled()) {
                        LOG.debug("transaction {}: part applied, but the decision log was not told; a later gate"
                                + " applies it again, harmlessly", id);
                    }
                });
            }
        }
    }

    /**
     * Prepares {@code part} for the coordinator: checked as a COMMIT is ({@link TxPlanner}), its partitions must be
     * led here, its consumed deliveries are held. Completes, on the connection's context, with the part as the
     * decision will name it (coordinator: this broker); fails with a ProtocolException (nothing held) otherwise.
     */
    public Future<TxDecision> prepare(ClientConnection connection, Commit part) {
        TxId id = new TxId(part.producerId(), part.sequence());
        if (prepared.containsKey(id)) {
            return Future.failedFuture(new ProtocolException(ErrorCode.TRANSACTION_ROLLED_BACK, "transaction " + id
                    + " is prepared here already"));
        }
        Promise<TxDecision> done = Promise.promise();
        Future<TxPlanner.Plan> planned;
        try {
            planned = planner.plan(connection, part);
        } catch (ProtocolException malformed) {
            return Future.failedFuture(malformed);
        }
        planned.onComplete(ar -> {
            if (ar.failed()) {
                done.fail(ar.cause());
            } else {
                describe(connection, id, ar.result(), System.currentTimeMillis()
                        + ReplicatedCommit.LEADERSHIP_WAIT_MS, done);
            }
        });
        return done.future();
    }

    private void describe(ClientConnection connection, TxId id, TxPlanner.Plan plan, long deadline,
                          Promise<TxDecision> done) {
        TxPartWork.Described described;
        try {
            described = TxPartWork.describe(plan);
        } catch (TxPartWork.NotReadyYet notYet) {
            if (System.currentTimeMillis() >= deadline) {
                done.fail(new ProtocolException(ErrorCode.TRANSACTION_ROLLED_BACK, notYet.getMessage() + " after "
                        + ReplicatedCommit.LEADERSHIP_WAIT_MS + " ms; nothing of the transaction was applied"));
            } else {
                vertx.setTimer(50, t -> connection.context().runOnContext(v ->
                        describe(connection, id, plan, deadline, done)));
            }
            return;
        } catch (ProtocolException refused) {
            done.fail(refused);
            return;
        }
        TxPartWork.hold(plan).onComplete(held -> connection.context().runOnContext(v -> {
            if (held.failed()) {
                done.fail(held.cause());
                return;
            }
            Prepared p = new Prepared(id, plan, described, connection);
            if (prepared.putIfAbsent(id, p) != null) {
                TxPartWork.endHolds(plan, false);
                done.fail(new ProtocolException(ErrorCode.TRANSACTION_ROLLED_BACK, "transaction " + id
                        + " is prepared here already"));
                return;
            }
            TestHalt.AFTER_PREPARE.haltIfTouched(described.parts().stream().map(TxPartWork.Part::key), id);
            p.timer = vertx.setTimer(RESOLVE_AFTER_MS, t -> resolve(p));
            if (connection.isClosed()) {
                resolve(p); // its coordinator's relay closed meanwhile: connectionClosed saw nothing to resolve
            }
            done.complete(new TxDecision(id, localId, described.participants(), described.batches(),
                    described.acks()));
        }));
    }

    /**
     * The coordinator's word on a prepared part: {@code apply} (the decision is committed) or release. A part not
     * prepared here (finished already) completes at once with nothing applied.
     *
     * @return the partitions of a decided part that could not be applied here yet (their next leaders apply them at
     *         their gates); empty when done
     */
    public Future<List<String>> finish(TxId id, boolean apply) {
        Prepared p = prepared.get(id);
        return p == null ? Future.succeededFuture(List.of()) : p.finish(apply).map(TxPartWork.Applied::stuck);
    }

    /** A connection closed: the parts prepared for its coordinator ask the decision log now. Any thread. */
    public void connectionClosed(ClientConnection connection) {
        for (Prepared p : prepared.values()) {
            if (p.connection == connection && p.outcome.get() == null) {
                vertx.cancelTimer(p.timer);
                resolve(p);
            }
        }
    }

    /** Whether a part of {@code id} is prepared here. */
    public boolean has(TxId id) {
        return prepared.containsKey(id);
    }

    /** Whether anything is prepared here: for tests and administration. */
    public int count() {
        return prepared.size();
    }

    /** TX_RESOLVE for a part its coordinator left: decided => applied, undecided (now ABORTED) => released. */
    private void resolve(Prepared p) {
        if (p.outcome.get() != null) {
            return;
        }
        decisions.resolve(p.id).onComplete(ar -> {
            TxLogResult r = ar.succeeded() ? ar.result() : null;
            if (r != null && r.ok()) {
                LOG.info("transaction {}: its coordinator went silent; the decision log says it is decided: applying"
                        + " its part here", p.id);
                p.finish(true);
            } else if (r != null && ErrorCode.of(r.errorCode()) == ErrorCode.TRANSACTION_ROLLED_BACK) {
                LOG.info("transaction {}: its coordinator went silent; it was not decided (now rolled back for"
                        + " good): releasing its part here", p.id);
                p.finish(false);
            } else if (r != null && ErrorCode.of(r.errorCode()) == ErrorCode.XA_WRONG_STATE) {
                // a prepared XA branch: it waits for its transaction manager (XA_COMMIT or XA_ROLLBACK through any
                // broker finishes it with TX_XA_FINISH); asking again only catches a lost TX_XA_FINISH
                if (p.outcome.get() == null) {
                    LOG.debug("transaction {}: a prepared XA branch; its part here stays held", p.id);
                    p.timer = vertx.setTimer(RESOLVE_AFTER_MS, t -> resolve(p));
                }
            } else if (p.outcome.get() == null) {
                LOG.warn("transaction {}: its outcome could not be learned ({}); asking again", p.id,
                        r != null ? r.message() : String.valueOf(ar.cause()));
                p.timer = vertx.setTimer(RESOLVE_RETRY_MS, t -> resolve(p));
            }
        });
    }
}
