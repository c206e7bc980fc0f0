package io.heraldmq.server.replication;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** Answers one type of replication request; the answer frame carries the request's correlation id. */
public interface ReplicationRequestHandler {
    Future<Buffer> handle(ReplicationFrame request);
}
