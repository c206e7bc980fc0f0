package io.heraldmq.server.admin;

import io.heraldmq.protocol.AdminResult;
import io.heraldmq.server.tx.XaTransactions;
import io.vertx.core.Future;

/** TX_LIST: the XA branches the broker holds (prepared, or decided by an operator and not forgotten yet). */
public final class TxListCommand implements AdminCommand {
    private final XaTransactions xa;

    public TxListCommand(XaTransactions xa) {
        this.xa = xa;
    }

    @Override
    public Future<AdminResult> run(AdminArgs args) {
        AdminResult r = AdminResult.of("xid", "state", "prepared.at", "messages", "consumed", "destinations");
        for (XaTransactions.Info i : xa.list()) {
            r = r.row(i.xid(), stateName(i.state()), i.preparedAtMs(), i.messages(), i.consumed(),
                    String.join(",", i.destinations()));
        }
        return Future.succeededFuture(r);
    }

    static String stateName(XaTransactions.State state) {
        return switch (state) {
            case HEURISTIC_COMMITTED -> "heuristic-commit";
            case HEURISTIC_ROLLED_BACK -> "heuristic-rollback";
            default -> state.name().toLowerCase();
        };
    }
}
