package io.heraldmq.server.cli;

import io.heraldmq.admin.PreparedTransaction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Instant;

/**
 * {@code heraldmq tx list|commit|rollback}: the XA branches a running broker holds, and an operator's (heuristic)
 * decision on one whose transaction manager is gone.
 */
@Command(name = "tx", mixinStandardHelpOptions = true,
        description = "Lists prepared XA transaction branches; commits or rolls back one whose transaction manager"
                + " is gone (a heuristic decision).")
public final class TxCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the XA branches the broker holds: prepared ones, and those an operator decided that"
                    + " their transaction manager has not forgotten yet.")
    int list(@Mixin AdminOptions options) {
        return AdminCall.run(spec, options, (admin, out) -> {
            Table t = new Table("XID", "STATE", "PREPARED", "MESSAGES", "CONSUMED", "DESTINATIONS");
            for (PreparedTransaction p : admin.listTransactions()) {
                t.add(p.xid(), p.state(), Instant.ofEpochMilli(p.preparedAt()), p.messages(), p.consumed(),
                        String.join(",", p.destinations()));
            }
            t.print(out);
            return AdminCall.OK;
        });
    }

    @Command(name = "commit", mixinStandardHelpOptions = true,
            description = {"Commits a prepared XA branch: its messages are delivered, what it consumed is"
                    + " acknowledged. Only for a branch whose transaction manager is lost: the manager is told of the"
                    + " heuristic outcome (XA_HEURCOM) when it comes back."})
    int commit(@Parameters(paramLabel = "XID", description = "formatId:globalIdHex:branchQualifierHex, as tx list"
            + " shows it") String xid, @Mixin AdminOptions options) {
        return AdminCall.run(spec, options, (admin, out) -> {
            admin.commitTransaction(xid);
            out.println("committed " + xid + " (heuristically)");
            return AdminCall.OK;
        });
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = {"Rolls a prepared XA branch back: its messages are dropped, what it consumed is delivered"
                    + " again. Only for a branch whose transaction manager is lost (XA_HEURRB when it comes back)."})
    int rollback(@Parameters(paramLabel = "XID", description = "formatId:globalIdHex:branchQualifierHex, as tx list"
            + " shows it") String xid, @Mixin AdminOptions options) {
        return AdminCall.run(spec, options, (admin, out) -> {
            admin.rollbackTransaction(xid);
            out.println("rolled back " + xid + " (heuristically)");
            return AdminCall.OK;
        });
    }
}
