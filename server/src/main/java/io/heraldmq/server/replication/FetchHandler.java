package io.heraldmq.server.replication;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.util.function.Function;

/** FETCH: the named partition's leader answers; an unknown partition answers UNKNOWN_PARTITION. */
final class FetchHandler implements ReplicationRequestHandler {
    private final Function<String, PartitionReplica> replicas;

    FetchHandler(Function<String, PartitionReplica> replicas) {
        this.replicas = replicas;
    }

    @Override
    public Future<Buffer> handle(ReplicationFrame request) {
        Fetch fetch = Fetch.decode(request.body());
        PartitionReplica replica = replicas.apply(fetch.partition());
        if (replica == null) {
            return Future.succeededFuture(FetchResult.error(FetchResult.UNKNOWN_PARTITION, -1)
                    .encode(request.correlationId()));
        }
        Promise<Buffer> answer = Promise.promise();
        replica.partition().run(() -> replica.onFetch(fetch)
                .map(result -> result.encode(request.correlationId())).onComplete(answer));
        return answer.future();
    }
}
