package io.heraldmq.server.admin;

import io.heraldmq.protocol.AdminResult;
import io.vertx.core.Future;

/**
 * One administrative operation ({@link io.heraldmq.protocol.AdminOperation}). Runs on the requesting connection's
 * event loop and must not block it: metadata and file work go through the asynchronous stores, partition state is
 * read on the partition's context.
 */
public interface AdminCommand {
    /**
     * @throws io.heraldmq.protocol.ProtocolException for bad arguments (or fail the future with one)
     */
    Future<AdminResult> run(AdminArgs args);
}
