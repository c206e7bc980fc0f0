package io.heraldmq.connect;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code heraldmq connect --config connectors.properties} ({@code java -jar heraldmq-connect.jar --config ...}): runs
 * the connectors of the file until SIGTERM or SIGINT, then stops them cleanly (sources flush and commit their
 * checkpoints, sinks commit their last batch) and prints each connector's counters, which SIGUSR1 prints too while
 * it runs. Exit codes: 2 for a bad command
 * line or connectors file, 1 when a connector fails to start; after a signal the JVM exits with the signal's status
 * (143 for SIGTERM, 130 for SIGINT), as signal handling without {@code sun.misc} allows.
 */
@Command(name = "heraldmq connect", mixinStandardHelpOptions = true, version = "HeraldMQ connect 0.1.0",
        description = "Runs log-ingestion connectors (sources and sinks) from a connectors file.")
public final class ConnectMain implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "connectors file (Java properties)")
    Path config;

    private final PrintWriter out;
    private final PrintWriter err;

    ConnectMain(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        List<ConnectorSettings> settings;
        ConnectorRuntime runtime;
        try {
            settings = ConnectorConfig.load(config);
            runtime = ConnectorRuntime.create(settings, ConnectionFactories::heraldMq);
        } catch (IllegalArgumentException e) {
            err.println("error in " + config + ": " + e.getMessage());
            return 2;
        }
        CountDownLatch done = new CountDownLatch(1);
        // A shutdown hook rather than a signal handler: the JDK offers no supported way to handle signals, and the
        // hook also runs on an ordinary exit. Stopping runs here, while the JVM waits for the hook.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.stop();
            out.print(runtime.report());
            out.println("HeraldMQ connect stopped");
            out.flush();
            done.countDown();
        }, "connect-shutdown"));
        try {
            runtime.start();
        } catch (Exception e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
        // The counters on demand, without stopping (sun.misc.Signal: the JDK has no supported way to handle a signal,
        // and a shutdown hook only serves the ones that end the process).
        Signal.handle(new Signal("USR1"), sig -> {
            out.print(runtime.report());
            out.flush();
        });
        out.println("HeraldMQ connect running " + settings.size() + " connector(s): "
                + settings.stream().map(s -> s.name() + " (" + s.type() + ")").toList());
        out.flush();
        done.await();
        return 0;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        CommandLine cli = new CommandLine(new ConnectMain(out, err));
        cli.setOut(out);
        cli.setErr(err);
        int code = cli.execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
