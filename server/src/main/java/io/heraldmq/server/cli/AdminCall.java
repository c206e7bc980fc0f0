package io.heraldmq.server.cli;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.admin.HeraldAdminException;
import io.heraldmq.protocol.ErrorCode;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.function.BiFunction;

/**
 * Runs one administrative command against the broker and turns failures into a line on stderr and an exit code:
 * {@value #REFUSED} the broker refused (unknown destination, consumers attached, ...), {@value #BAD_ARGUMENTS} bad
 * arguments (as picocli's usage errors), {@value #UNREACHABLE} the broker could not be reached or did not answer.
 */
final class AdminCall {
    static final int OK = 0;
    static final int REFUSED = 1;
    static final int BAD_ARGUMENTS = 2;
    static final int UNREACHABLE = 3;

    private AdminCall() {
    }

    static int run(CommandSpec spec, AdminOptions options, BiFunction<HeraldAdmin, PrintWriter, Integer> body) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (HeraldAdmin admin = HeraldAdmin.connect(options.url, options.user, options.password)) {
            int code = body.apply(admin, out);
            out.flush();
            return code;
        } catch (HeraldAdminException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            if (e.code() == null) {
                return UNREACHABLE;
            }
            return e.code() == ErrorCode.INVALID_ARGUMENT ? BAD_ARGUMENTS : REFUSED;
        }
    }
}
