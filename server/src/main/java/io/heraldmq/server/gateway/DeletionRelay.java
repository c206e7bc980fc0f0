package io.heraldmq.server.gateway;

import io.heraldmq.protocol.Admin;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.server.net.ClientConnection;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.function.BiPredicate;

/**
 * DELETE_TOPIC of a destination another broker leads: relayed to the leader, which deletes it and removes it from the
 * cluster's catalog; every other broker then deletes its own replica when the catalog tells it. The answer goes down
 * to the client only once this broker has dropped the destination too (or after {@value #WAIT_MS} ms), so that what
 * the client does next through this broker (list destinations, send to the name anew) sees it deleted, as on a single
 * node. Without the wait a listing right after the deletion still showed the destination.
 */
final class DeletionRelay {
    static final long WAIT_MS = 5_000;
    private static final long POLL_MS = 20;

    private final Vertx vertx;
    private final BiPredicate<DestinationKind, String> existsHere;

    /** @param existsHere whether this broker still has the destination (kind, name) */
    DeletionRelay(Vertx vertx, BiPredicate<DestinationKind, String> existsHere) {
        this.vertx = vertx;
        this.existsHere = existsHere;
    }

    void relay(ClientConnection connection, int correlationId, Admin admin, Upstream up, DestinationKind kind,
               String name) {
        up.request(admin.encode(up.nextOwnId())).compose(answer -> answer.type() == FrameType.ADMIN_RESULT
                        ? goneHere(kind, name).map(answer) : Future.succeededFuture(answer))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        connection.replyFailure(correlationId, ar.cause());
                        return;
                    }
                    Frame answer = ar.result();
                    connection.send(Frame.finish(Frame.start(answer.type(), correlationId, answer.body().length())
                            .appendBuffer(answer.body())));
                });
    }

    /** Completes once this broker no longer has the destination, or after {@value #WAIT_MS} ms. */
    private Future<Void> goneHere(DestinationKind kind, String name) {
        Promise<Void> gone = Promise.promise();
        long deadline = System.nanoTime() + WAIT_MS * 1_000_000;
        if (!existsHere.test(kind, name)) {
            return Future.succeededFuture();
        }
        vertx.setPeriodic(POLL_MS, timer -> {
            if (!existsHere.test(kind, name) || System.nanoTime() > deadline) {
                vertx.cancelTimer(timer);
                gone.tryComplete();
            }
        });
        return gone.future();
    }
}
