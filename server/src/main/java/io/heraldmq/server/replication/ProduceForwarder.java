package io.heraldmq.server.replication;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

/**
 * Hands a client's batch, sent to a broker that does not lead the partition, to the partition's leader
 * ({@link ForwardProduce}). Runs on the partition's context, like its {@link PartitionReplica}.
 */
final class ProduceForwarder {
    private final PartitionReplica replica;

    ProduceForwarder(PartitionReplica replica) {
        this.replica = replica;
    }

    /**
     * Hands a client's batch to the leader. Retried while there is no leader, or the one asked answers NOT_LEADER
     * (it stored nothing) or could not be reached at all; a request sent and not answered is in doubt and fails
     * (retrying it could store the batch twice).
     */
    Future<Long> forward(Buffer batch, boolean waitCommitted, long deadline) {
        if (replica.closed()) {
            return Future.failedFuture(replica.notLeader());
        }
        if (replica.isEstablishedLeader()) {
            if (replica.handover().outgoing()) {
                return retryForward(batch, waitCommitted, deadline, "leadership being handed over");
            }
            return replica.produceAsLeader(batch, waitCommitted);
        }
        String to = replica.role() == PartitionReplica.Role.FOLLOWER ? replica.leader() : null;
        if (to == null) {
            return retryForward(batch, waitCommitted, deadline, "no leader");
        }
        String key = replica.key();
        ReplicationPeers peers = replica.peers();
        ForwardProduce request = new ForwardProduce(key, waitCommitted, batch);
        return replica.onContext(peers.request(to, request.encode(peers.nextCorrelationId()))).transform(ar -> {
            if (ar.failed()) {
                if (ar.cause() instanceof ReplicationPeers.NotSentException) {
                    return retryForward(batch, waitCommitted, deadline, ar.cause().getMessage());
                }
                return Future.failedFuture(new ProtocolException(ErrorCode.INTERNAL, "the send to " + key
                        + " is in doubt: its leader " + to + " did not answer (" + ar.cause().getMessage() + ")"));
            }
            ForwardResult result = ForwardResult.decode(ar.result().body());
            if (result.errorCode() == 0) {
                return Future.succeededFuture(result.baseOffset());
            }
            ErrorCode code = ErrorCode.of(result.errorCode());
            if (code == ErrorCode.NOT_LEADER) {
                return retryForward(batch, waitCommitted, deadline, result.message());
            }
            return Future.failedFuture(new ProtocolException(code, result.message()));
        });
    }

    private Future<Long> retryForward(Buffer batch, boolean waitCommitted, long deadline, String why) {
        if (System.currentTimeMillis() >= deadline) {
            return Future.failedFuture(new ProtocolException(ErrorCode.NOT_LEADER, replica.key()
                    + " has no reachable leader after " + PartitionReplica.FORWARD_DEADLINE_MS + " ms (" + why + ")"));
        }
        Promise<Long> retried = Promise.promise();
        replica.partition().context().owner().setTimer(PartitionReplica.RETRY_MS, t -> replica.partition().run(
                () -> forward(batch, waitCommitted, deadline).onComplete(retried)));
        return retried.future();
    }
}
