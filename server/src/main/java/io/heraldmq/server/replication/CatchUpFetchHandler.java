package io.heraldmq.server.replication;

import io.heraldmq.server.partition.Partition;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.util.function.Function;

/**
 * CATCH_UP_FETCH: a replica hands a candidate the part of its own log that the candidate lacks, on the partition's
 * context. DIVERGING when the candidate's history leaves this one at or below its log end (it truncates as a follower
 * would and asks again); otherwise the batches from the candidate's log end, as stored, with this replica's high
 * watermark (committed is committed, whoever says it). A leader answers too: a candidate that must replace it (a
 * drain) copies its log, epoch marker included.
 */
final class CatchUpFetchHandler implements ReplicationRequestHandler {
    private final Function<String, PartitionReplica> replicas;

    CatchUpFetchHandler(Function<String, PartitionReplica> replicas) {
        this.replicas = replicas;
    }

    @Override
    public Future<Buffer> handle(ReplicationFrame request) {
        CatchUpFetch fetch = CatchUpFetch.decode(request.body());
        PartitionReplica replica = replicas.apply(fetch.partition());
        if (replica == null) {
            return Future.succeededFuture(FetchResult.error(FetchResult.UNKNOWN_PARTITION, -1)
                    .encode(request.correlationId()));
        }
        Promise<Buffer> answer = Promise.promise();
        replica.partition().run(() -> answer(replica, fetch)
                .map(result -> result.encode(request.correlationId())).onComplete(answer));
        return answer.future();
    }

    private static Future<FetchResult> answer(PartitionReplica replica, CatchUpFetch fetch) {
        if (replica.closed()) {
            return Future.succeededFuture(FetchResult.error(FetchResult.UNKNOWN_PARTITION, -1));
        }
        FetchResult diverging = Divergence.check(replica, fetch.lastFetchedEpoch(), fetch.fetchOffset());
        if (diverging != null) {
            return Future.succeededFuture(diverging);
        }
        Partition partition = replica.partition();
        int epoch = replica.epoch();
        if (fetch.fetchOffset() >= partition.logEndOffset()) {
            return Future.succeededFuture(new FetchResult(FetchResult.NONE, epoch, replica.highWatermark(),
                    partition.logStartOffset(), -1, -1, Buffer.buffer(0)));
        }
        return partition.read(fetch.fetchOffset()).map(batches -> new FetchResult(FetchResult.NONE, epoch,
                replica.highWatermark(), partition.logStartOffset(), -1, -1, batches));
    }
}
