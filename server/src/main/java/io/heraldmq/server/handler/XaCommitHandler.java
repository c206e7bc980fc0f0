package io.heraldmq.server.handler;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.Ok;
import io.heraldmq.protocol.XaCommit;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.tx.XaTransactions;

/**
 * XA_COMMIT: two-phase, commits a prepared branch ({@link XaTransactions#decide}); one-phase, commits the work the
 * frame carries exactly as a COMMIT ({@link CommitHandler}), refusing an xid that is prepared here (XA_WRONG_STATE:
 * a branch is committed in one phase or two, not both).
 */
public final class XaCommitHandler implements RequestHandler {
    private final CommitHandler commits;
    private final XaTransactions xa;
    private final boolean clustered;

    public XaCommitHandler(CommitHandler commits, XaTransactions xa, boolean clustered) {
        this.commits = commits;
        this.xa = xa;
        this.clustered = clustered;
    }

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        XaCommit commit = XaCommit.decode(frame.body());
        int correlationId = frame.correlationId();
        if (clustered) {
            connection.replyError(correlationId, commit.onePhase() ? ErrorCode.ILLEGAL_STATE
                    : ErrorCode.XA_UNKNOWN_XID, XaPrepareHandler.CLUSTERED);
            return;
        }
        if (commit.onePhase()) {
            if (xa.recoverable().contains(commit.xid())) {
                connection.replyError(correlationId, ErrorCode.XA_WRONG_STATE, "XA branch " + commit.xid()
                        + " is prepared: commit it in two phases");
                return;
            }
            commits.commit(connection, correlationId, commit.work(), "XA branch " + commit.xid());
            return;
        }
        xa.decide(commit.xid(), true, false).onComplete(ar -> connection.context().runOnContext(v -> {
            if (ar.succeeded()) {
                connection.send(Ok.encode(correlationId));
            } else {
                connection.replyFailure(correlationId, ar.cause());
            }
        }));
    }
}
