package io.heraldmq.server.admin;

import io.heraldmq.protocol.AdminResult;
import io.heraldmq.protocol.WireXid;
import io.heraldmq.server.tx.XaTransactions;
import io.vertx.core.Future;

/**
 * TX_COMMIT and TX_ROLLBACK: an operator decides a prepared XA branch whose transaction manager is gone (a heuristic
 * outcome). The decision is journaled, applied, and remembered until the transaction manager forgets it; its own
 * later commit or rollback is answered with the heuristic outcome.
 */
public final class TxDecideCommand implements AdminCommand {
    private final XaTransactions xa;
    private final boolean commit;

    public TxDecideCommand(XaTransactions xa, boolean commit) {
        this.xa = xa;
        this.commit = commit;
    }

    @Override
    public Future<AdminResult> run(AdminArgs args) {
        WireXid xid;
        try {
            xid = WireXid.parse(args.required("xid"));
        } catch (IllegalArgumentException e) {
            throw AdminArgs.invalid(e.getMessage());
        }
        return xa.decide(xid, commit, true).map(v -> AdminResult.empty());
    }
}
