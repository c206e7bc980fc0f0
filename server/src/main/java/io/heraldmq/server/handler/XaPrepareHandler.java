package io.heraldmq.server.handler;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.Ok;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.WireXid;
import io.heraldmq.protocol.XaPrepare;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.subscription.Subscription;
import io.heraldmq.server.tx.XaTransactions;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * XA_PREPARE: the branch's work is checked as a COMMIT is ({@link TxPlanner}); then the deliveries it consumed are
 * taken from their consumers and held ({@link io.heraldmq.server.subscription.HeldDeliveries}), then the branch is
 * journaled as prepared ({@link XaTransactions#prepare}), then OK. A delivery that is no longer in flight to its
 * consumer (closed, returned) cannot be held: the prepare is refused with TRANSACTION_ROLLED_BACK and what was held
 * comes again, counted, as after a rollback.
 * <p>
 * On a clustered broker XA is handled by the cluster router ({@code io.heraldmq.server.gateway.XaCoordinator}),
 * with the branch recorded in the replicated decision log; what reaches these handlers there (a relay connection,
 * or a request before the broker is ready) is refused.
 */
public final class XaPrepareHandler implements RequestHandler {
    private final TxPlanner planner;
    private final XaTransactions xa;
    private final boolean clustered;

    public XaPrepareHandler(CommitHandler commits, XaTransactions xa, boolean clustered) {
        this.planner = commits.planner();
        this.xa = xa;
        this.clustered = clustered;
    }

    /** The refusal of every XA request on a clustered broker. */
    static final String CLUSTERED = "XA requests are handled by the client's own broker once it has joined the"
            + " cluster; not on this connection";

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        XaPrepare prepare = XaPrepare.decode(frame.body());
        int correlationId = frame.correlationId();
        if (clustered) {
            releaseConsumed(connection, prepare.work());
            connection.replyError(correlationId, ErrorCode.ILLEGAL_STATE, CLUSTERED);
            return;
        }
        WireXid xid = prepare.xid();
        planner.plan(connection, prepare.work()).recover(refused -> {
            releaseConsumed(connection, prepare.work());
            return Future.failedFuture(refused);
        }).compose(plan -> {
            if (!xa.reserve(xid)) {
                releaseConsumed(connection, prepare.work());
                return Future.failedFuture(new ProtocolException(ErrorCode.XA_DUPLICATE_XID, "XA branch " + xid
                        + " is prepared already"));
            }
            return hold(plan).compose(holds -> {
                if (holds.missed() != null) {
                    return xa.abandon(xid, holds.held()).transform(v -> Future.failedFuture(new ProtocolException(
                            ErrorCode.TRANSACTION_ROLLED_BACK, "the XA branch is rolled back: " + holds.missed())));
                }
                return xa.prepare(xid, plan.record(), holds.held());
            });
        }).onComplete(ar -> connection.context().runOnContext(v -> {
            if (ar.succeeded()) {
                connection.send(Ok.encode(correlationId));
            } else {
                connection.replyFailure(correlationId, ar.cause());
            }
        }));
    }

    /**
     * A refused prepare: the deliveries it names that are still in flight to their consumers come again, counted,
     * as after a rollback. The broker does this rather than the client, which could not tell them from their own
     * redeliveries, already on the wire.
     */
    private static void releaseConsumed(ClientConnection connection, io.heraldmq.protocol.Commit work) {
        java.util.Map<Integer, List<io.heraldmq.protocol.Commit.Consumed>> byConsumer = new java.util.LinkedHashMap<>();
        for (io.heraldmq.protocol.Commit.Consumed c : work.consumed()) {
            byConsumer.computeIfAbsent(c.consumerId(), k -> new ArrayList<>()).add(c);
        }
        byConsumer.forEach((id, entries) -> {
            io.heraldmq.server.subscription.ServerConsumer consumer = connection.consumer(id);
            if (consumer == null) {
                return; // closed: what it had went back then
            }
            int[] partitions = new int[entries.size()];
            long[] offsets = new long[entries.size()];
            for (int i = 0; i < partitions.length; i++) {
                partitions[i] = entries.get(i).partition();
                offsets[i] = entries.get(i).offset();
            }
            consumer.settle(new io.heraldmq.protocol.Ack(id, io.heraldmq.protocol.Ack.RELEASED, partitions, offsets,
                    "the XA branch was not prepared"));
        });
    }

    /** What was held, and why not everything (null when everything was). */
    private record Holds(List<XaTransactions.Hold> held, String missed) {
    }

    private static Future<Holds> hold(TxPlanner.Plan plan) {
        List<Future<List<long[]>>> all = new ArrayList<>();
        for (TxPlanner.Consumed c : plan.consumed()) {
            all.add(c.consumer().hold(c.ack()));
        }
        return Future.all(all).map(v -> {
            List<XaTransactions.Hold> held = new ArrayList<>();
            String missed = null;
            for (int i = 0; i < plan.consumed().size(); i++) {
                TxPlanner.Consumed c = plan.consumed().get(i);
                Subscription s = c.consumer().subscription();
                Set<Long> notHeld = new HashSet<>();
                for (long[] m : all.get(i).result()) {
                    notHeld.add(m[1]);
                    missed = "the delivery at offset " + m[1] + " of partition " + m[0] + " is no longer with"
                            + " consumer " + c.consumer().id() + " (closed or returned)";
                }
                for (int k = 0; k < c.ack().count(); k++) {
                    long offset = c.ack().offsets()[k];
                    if (!notHeld.contains(offset)) {
                        held.add(new XaTransactions.Hold(s.id(), s.topic().kind(), s.topic().name(),
                                c.ack().partitions()[k], offset));
                    }
                }
            }
            return new Holds(held, missed);
        });
    }
}
