package io.heraldmq.server.replication;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayDeque;

/**
 * Holds a partition's client sends that this broker cannot append now (it is not the partition's established
 * leader, or it is handing the partition over) and passes them on <b>in arrival order</b>: appended here once this
 * broker leads, else handed to the leader ({@link ForwardProduce}) one at a time.
 * <p>
 * Invariant: while a send waits here, every later send of the partition waits behind it
 * ({@link PartitionReplica#produce} appends directly only when nothing waits), so one producer's batches are stored
 * in the order they arrived. Each send used to retry on a timer of its own: a new queue's first sends reached its
 * leader before the leader was established and waited 100 ms, while the sends arriving once it was established were
 * appended at once, before them (issue 14). Forwarding one at a time keeps the order when the leader answers
 * NOT_LEADER to one send and takes the next; forwarding is for the moments without an established leader here, so
 * its throughput matters little.
 * <p>
 * Runs on the partition's context, like its {@link PartitionReplica}.
 */
final class ProduceForwarder {
    private record Waiting(Buffer batch, boolean waitCommitted, long deadline, Promise<Long> answer) {
    }

    private final PartitionReplica replica;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /** The head's ForwardProduce is unanswered, or a retry timer is set: the queue moves on when that ends. */
    private boolean busy;
    /** The retry timer, or -1. */
    private long retryTimer = -1;

    ProduceForwarder(PartitionReplica replica) {
        this.replica = replica;
    }

    /** Whether no send waits here: a new one may then be appended at once by the established leader. */
    boolean isIdle() {
        return waiting.isEmpty();
    }

    /**
     * Passes a client's batch on after every send waiting before it: appended here once this broker is the
     * established leader, else forwarded to the leader. Retried while there is no leader, or the one asked answers
     * NOT_LEADER (it stored nothing) or could not be reached at all, until {@code deadline}; a request sent and not
     * answered is in doubt and fails (retrying it could store the batch twice).
     */
    Future<Long> forward(Buffer batch, boolean waitCommitted, long deadline) {
        if (replica.closed()) {
            return Future.failedFuture(replica.notLeader());
        }
        Promise<Long> answer = Promise.promise();
        waiting.add(new Waiting(batch, waitCommitted, deadline, answer));
        next();
        return answer.future();
    }

    /**
     * The partition's leadership changed (this broker was established as leader, or learnt of another leader): the
     * waiting sends go on now rather than at their retry.
     */
    void retryNow() {
        if (retryTimer >= 0) {
            replica.partition().context().owner().cancelTimer(retryTimer);
            retryTimer = -1;
            busy = false;
            next();
        }
    }

    /** Passes on what can go now, in order, and stops at the first send that must wait. */
    private void next() {
        while (!busy && !waiting.isEmpty()) {
            Waiting head = waiting.peek();
            if (replica.closed()) {
                waiting.poll();
                head.answer().fail(replica.notLeader());
                continue;
            }
            if (replica.isEstablishedLeader()) {
                if (replica.handover().outgoing()) {
                    retryLater(head, "leadership being handed over");
                    continue;
                }
                waiting.poll();
                replica.produceAsLeader(head.batch(), head.waitCommitted()).onComplete(head.answer());
                continue;
            }
            String to = replica.role() == PartitionReplica.Role.FOLLOWER ? replica.leader() : null;
            if (to == null) {
                retryLater(head, "no leader");
                continue;
            }
            send(head, to);
        }
    }

    private void send(Waiting head, String to) {
        busy = true;
        String key = replica.key();
        ReplicationPeers peers = replica.peers();
        ForwardProduce request = new ForwardProduce(key, head.waitCommitted(), head.batch());
        replica.onContext(peers.request(to, request.encode(peers.nextCorrelationId()))).onComplete(ar -> {
            busy = false;
            if (ar.failed()) {
                if (ar.cause() instanceof ReplicationPeers.NotSentException) {
                    retryLater(head, ar.cause().getMessage());
                } else {
                    done(head).fail(new ProtocolException(ErrorCode.INTERNAL, "the send to " + key
                            + " is in doubt: its leader " + to + " did not answer (" + ar.cause().getMessage() + ")"));
                }
            } else {
                ForwardResult result = ForwardResult.decode(ar.result().body());
                if (result.errorCode() == 0) {
                    done(head).complete(result.baseOffset());
                } else if (ErrorCode.of(result.errorCode()) == ErrorCode.NOT_LEADER) {
                    retryLater(head, result.message());
                } else {
                    done(head).fail(new ProtocolException(ErrorCode.of(result.errorCode()), result.message()));
                }
            }
            next();
        });
    }

    /** Takes the head off the queue, for its answer. */
    private Promise<Long> done(Waiting head) {
        waiting.poll();
        return head.answer();
    }

    /** The head waits {@link PartitionReplica#RETRY_MS}, and everything behind it; past its deadline it fails. */
    private void retryLater(Waiting head, String why) {
        if (System.currentTimeMillis() >= head.deadline()) {
            done(head).fail(new ProtocolException(ErrorCode.NOT_LEADER, replica.key()
                    + " has no reachable leader after " + PartitionReplica.FORWARD_DEADLINE_MS + " ms (" + why + ")"));
            return;
        }
        busy = true;
        retryTimer = replica.partition().context().owner().setTimer(PartitionReplica.RETRY_MS,
                t -> replica.partition().run(() -> {
                    if (retryTimer == t) {
                        retryTimer = -1;
                        busy = false;
                        next();
                    }
                }));
    }
}
