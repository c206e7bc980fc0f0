package io.heraldmq.server.replication;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.util.function.Function;

/** BEGIN_EPOCH: the named partition's replica votes; an unknown partition refuses. */
final class BeginEpochHandler implements ReplicationRequestHandler {
    private final Function<String, PartitionReplica> replicas;

    BeginEpochHandler(Function<String, PartitionReplica> replicas) {
        this.replicas = replicas;
    }

    @Override
    public Future<Buffer> handle(ReplicationFrame request) {
        BeginEpoch begin = BeginEpoch.decode(request.body());
        PartitionReplica replica = replicas.apply(begin.partition());
        if (replica == null) {
            return Future.succeededFuture(new EpochVote(false, -1, null, -1, -1).encode(request.correlationId()));
        }
        Promise<Buffer> answer = Promise.promise();
        replica.partition().run(() -> replica.onBeginEpoch(begin)
                .map(vote -> vote.encode(request.correlationId())).onComplete(answer));
        return answer.future();
    }
}
