package io.heraldmq.server.handler;

import io.heraldmq.protocol.Admin;
import io.heraldmq.protocol.AdminOperation;
import io.heraldmq.protocol.AdminResult;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.admin.AdminArgs;
import io.heraldmq.server.admin.AdminCommand;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.vertx.core.Future;

import java.util.Map;

/**
 * ADMIN: runs one administrative operation, each implemented by its own {@link AdminCommand}, and answers with
 * ADMIN_RESULT or ERROR. There are no roles yet: when the broker has users configured, any authenticated user may
 * administer and anonymous connections may not; without users, every client may.
 */
public final class AdminHandler implements RequestHandler {
    private final Map<AdminOperation, AdminCommand> commands;
    private final boolean requireUser;

    public AdminHandler(Map<AdminOperation, AdminCommand> commands, boolean requireUser) {
        this.commands = Map.copyOf(commands);
        this.requireUser = requireUser;
    }

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        Admin request = Admin.decode(frame.body());
        int correlationId = frame.correlationId();
        if (requireUser && connection.user() == null) {
            throw new ProtocolException(ErrorCode.NOT_AUTHORIZED, "administration needs an authenticated user");
        }
        AdminCommand command = request.operation() == null ? null : commands.get(request.operation());
        if (command == null) {
            throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "unknown administrative operation "
                    + request.code());
        }
        Future<AdminResult> result;
        try {
            result = command.run(new AdminArgs(request.arguments()));
        } catch (ProtocolException e) {
            result = Future.failedFuture(e);
        }
        result.onComplete(ar -> {
            if (ar.failed()) {
                connection.replyFailure(correlationId, ar.cause());
            } else {
                connection.send(ar.result().encode(correlationId));
            }
        });
    }
}
