package io.heraldmq.server.replication;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.RecordBatch;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.util.function.Function;

/**
 * FORWARD_PRODUCE: stores another broker's client batch if this broker leads its partition. The batch was validated
 * by the broker the client sent it to; the CRC is checked again here because these bytes are what gets stored.
 */
final class ForwardProduceHandler implements ReplicationRequestHandler {
    private final Function<String, PartitionReplica> replicas;

    ForwardProduceHandler(Function<String, PartitionReplica> replicas) {
        this.replicas = replicas;
    }

    @Override
    public Future<Buffer> handle(ReplicationFrame request) {
        ForwardProduce forward = ForwardProduce.decode(request.body());
        int id = request.correlationId();
        PartitionReplica replica = replicas.apply(forward.partition());
        if (replica == null) {
            return Future.succeededFuture(new ForwardResult(ErrorCode.NOT_LEADER.code(), -1,
                    "no partition " + forward.partition() + " here").encode(id));
        }
        String problem = RecordBatch.check(forward.batch());
        if (problem != null || RecordBatch.isControl(forward.batch())) {
            return Future.succeededFuture(new ForwardResult(ErrorCode.PROTOCOL_ERROR.code(), -1,
                    "malformed forwarded batch: " + (problem != null ? problem : "control batch")).encode(id));
        }
        Promise<Buffer> answer = Promise.promise();
        replica.partition().run(() -> (replica.handover().outgoing()
                ? Future.<Long>failedFuture(replica.notLeader()) // clients' sends wait for the successor
                : replica.produceAsLeader(forward.batch(), forward.waitCommitted())).onComplete(ar -> {
            if (ar.succeeded()) {
                answer.complete(new ForwardResult((short) 0, ar.result(), null).encode(id));
            } else {
                ErrorCode code = ar.cause() instanceof ProtocolException pe ? pe.code() : ErrorCode.INTERNAL;
                answer.complete(new ForwardResult(code.code(), -1, String.valueOf(ar.cause().getMessage()))
                        .encode(id));
            }
        }));
        return answer.future();
    }
}
