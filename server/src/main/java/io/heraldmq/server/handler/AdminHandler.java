package io.heraldmq.server.handler;

import io.heraldmq.protocol.Admin;
import io.heraldmq.protocol.AdminOperation;
import io.heraldmq.protocol.AdminResult;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ErrorFrame;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.admin.AdminArgs;
import io.heraldmq.server.admin.AdminCommand;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.security.AuditLog;
import io.heraldmq.server.security.ConnectionAccess;
import io.heraldmq.server.security.Permission;
import io.vertx.core.Future;

import java.util.Map;
import java.util.function.Function;

/**
 * ADMIN: runs one administrative operation, each implemented by its own {@link AdminCommand}, and answers with
 * ADMIN_RESULT or ERROR. Every operation that runs gets an audit line (user, operation, arguments, outcome), and so
 * does every destination it creates or deletes.
 * <p>
 * With users configured: CREATE_TOPIC needs {@code createDestination} on the name, DELETE_TOPIC
 * {@code deleteDestination}; the others {@code manage} on the destination they act on (DEAD_LETTER_SETTINGS,
 * SET_SUBSCRIPTION_RETENTION, LIST_SUBSCRIPTIONS of one topic, SEEK_SUBSCRIPTION and DELETE_SUBSCRIPTION of a
 * subscription whose destination this broker knows), or on the whole broker ({@code manage} granted on the pattern
 * {@code #}) for LIST_TOPICS, LIST_SUBSCRIPTIONS of all, the CLUSTER_ operations and subscriptions of unknown
 * destination.
 */
public final class AdminHandler implements RequestHandler {
    private static final String QUEUE_SUBSCRIPTION_PREFIX = "queue:";

    private final Map<AdminOperation, AdminCommand> commands;
    private final AuditLog audit;
    /** The topic of a subscription, by subscription id, or null. */
    private final Function<String, String> subscriptionTopics;

    public AdminHandler(Map<AdminOperation, AdminCommand> commands, AuditLog audit,
                        Function<String, String> subscriptionTopics) {
        this.commands = Map.copyOf(commands);
        this.audit = audit;
        this.subscriptionTopics = subscriptionTopics;
    }

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        Admin request = Admin.decode(frame.body());
        int correlationId = frame.correlationId();
        AdminCommand command = request.operation() == null ? null : commands.get(request.operation());
        if (command == null) {
            throw new ProtocolException(ErrorCode.INVALID_ARGUMENT, "unknown administrative operation "
                    + request.code());
        }
        checkPermission(connection.access(), request.operation(), request.arguments());
        Future<AdminResult> result;
        try {
            result = command.run(new AdminArgs(request.arguments()));
        } catch (ProtocolException e) {
            result = Future.failedFuture(e);
        }
        result.onComplete(ar -> {
            String user = connection.access().user();
            audit.admin(user, request.operation().name(), request.arguments(),
                    ar.succeeded() ? "ok" : String.valueOf(ar.cause().getMessage()));
            if (ar.succeeded() && (request.operation() == AdminOperation.CREATE_TOPIC
                    || request.operation() == AdminOperation.DELETE_TOPIC)) {
                String what = ConnectionAccess.describe(kind(request.arguments()), request.arguments().get("name"));
                if (request.operation() == AdminOperation.CREATE_TOPIC) {
                    audit.created(user, what);
                } else {
                    audit.deleted(user, what);
                }
            }
            if (correlationId < 0) {
                // Another broker's own request over its relay (its part of a subscription listing, a deletion it
                // waits for): answered, where send() drops what answers this broker's own requests.
                connection.write(ar.failed() ? new ErrorFrame(ar.cause() instanceof ProtocolException pe ? pe.code()
                        : ErrorCode.INTERNAL, String.valueOf(ar.cause().getMessage())).encode(correlationId)
                        : ar.result().encode(correlationId));
            } else if (ar.failed()) {
                connection.replyFailure(correlationId, ar.cause());
            } else {
                connection.send(ar.result().encode(correlationId));
            }
        });
    }

    private void checkPermission(ConnectionAccess access, AdminOperation op, Map<String, String> args) {
        if (!access.restricted()) {
            return;
        }
        String name = switch (op) {
            case CREATE_TOPIC, DELETE_TOPIC, DEAD_LETTER_SETTINGS -> args.get("name");
            case SET_SUBSCRIPTION_RETENTION, LIST_SUBSCRIPTIONS -> args.get("topic");
            case SEEK_SUBSCRIPTION, DELETE_SUBSCRIPTION -> {
                String id = args.get("id");
                yield id == null ? null : id.startsWith(QUEUE_SUBSCRIPTION_PREFIX)
                        ? id.substring(QUEUE_SUBSCRIPTION_PREFIX.length()) : subscriptionTopics.apply(id);
            }
            default -> null;
        };
        Permission permission = op == AdminOperation.CREATE_TOPIC ? Permission.CREATE_DESTINATION
                : op == AdminOperation.DELETE_TOPIC ? Permission.DELETE_DESTINATION : Permission.MANAGE;
        String id = args.get("id");
        DestinationKind kind = (op == AdminOperation.SEEK_SUBSCRIPTION || op == AdminOperation.DELETE_SUBSCRIPTION)
                && id != null && id.startsWith(QUEUE_SUBSCRIPTION_PREFIX) ? DestinationKind.QUEUE : kind(args);
        if (name == null) {
            access.checkBrokerWide(permission, op.name());
        } else {
            access.check(permission, kind, name);
        }
    }

    /** The kind an operation's {@code kind} argument names; topic when absent (patterns ignore it anyway). */
    private static DestinationKind kind(Map<String, String> args) {
        return "queue".equals(args.get("kind")) ? DestinationKind.QUEUE : DestinationKind.TOPIC;
    }
}
