package io.heraldmq.server.cli;

import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;

/**
 * What ends {@code produce} or {@code consume} early: its message goes to stderr and its code is the exit code, with
 * the meanings {@link AdminCall} gives them.
 */
final class CommandFailure extends Exception {
    private static final long serialVersionUID = 1L;

    final int exitCode;

    CommandFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** The broker refused (security, a message too large, ...), or for a selector that does not parse, bad input. */
    static CommandFailure of(JMSException e) {
        int code = e instanceof InvalidSelectorException ? AdminCall.BAD_ARGUMENTS : AdminCall.REFUSED;
        return new CommandFailure(code, describe(e));
    }

    /** A failure to connect: refused credentials are REFUSED, anything else UNREACHABLE. */
    static CommandFailure connecting(String url, Exception e) {
        if (e instanceof JMSSecurityException) {
            return new CommandFailure(AdminCall.REFUSED, describe(e));
        }
        String why = describe(e);
        return new CommandFailure(AdminCall.UNREACHABLE, why.startsWith("cannot connect") ? why
                : "cannot connect to " + url + ": " + why);
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && (message == null || !message.contains(cause.getMessage()))) {
            message = message == null ? cause.getMessage() : message + ": " + cause.getMessage();
        }
        return message == null ? e.toString() : message;
    }
}
