package io.heraldmq.jms;

import io.heraldmq.client.BrokerErrorException;
import io.heraldmq.client.ConnectionLostException;
import io.heraldmq.protocol.ErrorCode;

import javax.transaction.xa.XAException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * XAExceptions with the codes the X/Open XA specification gives: XAER_NOTA for an xid the broker does not know,
 * XA_RB* when the branch was rolled back (the broker refused it, it timed out, it was ended with TMFAIL),
 * XAER_RMFAIL when the broker cannot be reached or did not answer (the outcome is unknown; ask again later),
 * XAER_RMERR when the broker failed after deciding, XAER_PROTO for a call in the wrong state, and the heuristic codes
 * only when an operator decided the branch ({@code heraldmq tx}).
 */
final class XaErrors {
    private XaErrors() {
    }

    static XAException of(int code, String message) {
        XAException e = new XAException(message);
        e.errorCode = code;
        return e;
    }

    static XAException of(int code, String message, Throwable cause) {
        XAException e = of(code, message);
        e.initCause(cause);
        return e;
    }

    /**
     * The XAException for a failed broker request.
     *
     * @param refused the code when the broker refused the request for a reason of its own (a rollback code for
     *                prepare and one-phase commit)
     */
    static XAException fromBroker(Throwable failure, String what, int refused) {
        Throwable c = failure;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof jakarta.jms.JMSException j && j.getCause() != null) {
            c = j.getCause();
        }
        if (c instanceof BrokerErrorException b) {
            int code = switch (b.code()) {
                case XA_UNKNOWN_XID -> XAException.XAER_NOTA;
                case XA_DUPLICATE_XID -> XAException.XAER_DUPID;
                case XA_WRONG_STATE -> XAException.XAER_PROTO;
                case XA_HEURISTIC_COMMIT -> XAException.XA_HEURCOM;
                case XA_HEURISTIC_ROLLBACK -> XAException.XA_HEURRB;
                case INTERNAL -> XAException.XAER_RMERR;
                // not applied: a rolled back prepare or one-phase commit, else (a decision not journaled) ask again
                case RESOURCE_EXHAUSTED -> refused >= XAException.XA_RBBASE && refused <= XAException.XA_RBEND
                        ? refused : XAException.XAER_RMFAIL;
                default -> refused;
            };
            return of(code, what + ": " + b.getMessage() + " (" + b.code() + ")", b);
        }
        if (c instanceof ConnectionLostException || c instanceof IOException || c instanceof TimeoutException) {
            return of(XAException.XAER_RMFAIL, what + ": the broker did not answer (" + c.getMessage()
                    + "); the outcome is unknown", c);
        }
        return of(XAException.XAER_RMERR, what + ": " + c, c);
    }

    /** Whether the broker refused a request (it answered, and not INTERNAL): nothing was applied. */
    static boolean refused(Throwable failure) {
        Throwable c = failure;
        while (c != null && !(c instanceof BrokerErrorException)) {
            c = c.getCause();
        }
        return c instanceof BrokerErrorException b && b.code() != ErrorCode.INTERNAL;
    }
}
