package io.heraldmq.server;

import io.heraldmq.server.cli.ClusterCommand;
import io.heraldmq.server.cli.ConsumeCommand;
import io.heraldmq.server.cli.DeadLetterCommand;
import io.heraldmq.server.cli.ProduceCommand;
import io.heraldmq.server.cli.SubscriptionCommand;
import io.heraldmq.server.cli.TopicCommand;
import io.heraldmq.server.cli.TxCommand;
import io.heraldmq.server.logging.BrokerLogging;
import io.heraldmq.server.logging.LoggingSettings;
import io.heraldmq.server.logging.OnStdoutFilter;
import io.heraldmq.server.spi.BrokerPlugins;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar heraldmq-server.jar [--port N] [--http-port N] [--data-dir DIR] [--config FILE]}: runs a broker until SIGTERM,
 * then shuts it down cleanly (connections closed, logs flushed and closed) and exits 0.
 * {@code java -jar heraldmq-server.jar hash-password < password.txt} prints a password hash for the config file.
 * {@code topic}, {@code sub}, {@code dlq}, {@code cluster} and {@code tx} administer a running broker (see
 * {@code heraldmq topic --help}); they
 * exit 0 on success, 1 when the broker refuses, 2 for bad arguments, 3 when the broker cannot be reached.
 * {@code produce} and {@code consume} send lines as messages and print messages as lines, like Kafka's console tools.
 */
@Command(name = "heraldmq", mixinStandardHelpOptions = true, version = "HeraldMQ 0.1.0",
        subcommands = {HashPasswordCommand.class, TopicCommand.class, SubscriptionCommand.class,
                DeadLetterCommand.class, ClusterCommand.class, ProduceCommand.class, ConsumeCommand.class,
                TxCommand.class},
        description = "Runs a HeraldMQ broker. With no options: one node, data under ./data, 127.0.0.1:7440.")
public final class Main implements Callable<Integer> {
    @Option(names = "--port", description = "client port; 0 = any free port (default 7440)")
    Integer port;

    @Option(names = "--http-port", description = "monitoring port (/metrics, /health/ready); 0 = any free port,"
            + " -1 = none (default 7441, or any free port with --port 0)")
    Integer httpPort;

    @Option(names = "--data-dir", description = "data directory (default ./data)")
    Path dataDir;

    @Option(names = "--config", description = "configuration file (Java properties)")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        Map<String, String> file = configFile == null ? Map.of() : BrokerConfig.readProperties(configFile);
        // first, so that everything the broker logs is written as logging.* asks
        BrokerLogging.apply(LoggingSettings.from(file));
        Map<String, String> brokerKeys = new HashMap<>();
        Map<String, String> pluginKeys = new HashMap<>();
        file.forEach((k, v) -> (BrokerPlugins.isPluginKey(k) ? pluginKeys : brokerKeys).put(k, v));
        Broker.refuseClientRenegotiation();
        BrokerConfig config = BrokerConfig.defaults().with(brokerKeys);
        Map<String, String> overrides = new HashMap<>();
        if (port != null) {
            overrides.put("port", port.toString());
        }
        if (dataDir != null) {
            overrides.put("data.dir", dataDir.toString());
        }
        if (httpPort != null) {
            overrides.put("http.port", httpPort.toString());
        }
        config = config.with(overrides);
        // Refused before the broker starts: a connectors file without the connectors jar is a configuration error.
        BrokerPlugins plugins = BrokerPlugins.onClassPath().configure(pluginKeys);
        Broker broker = Broker.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        try {
            plugins.start(broker.url());
        } catch (Exception e) {
            broker.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            throw e;
        }
        CountDownLatch stop = new CountDownLatch(1);
        // SIGTERM and Ctrl-C end the wait below, so shutdown runs on this thread and the process exits 0 rather
        // than with the signal's status.
        for (String name : new String[]{"TERM", "INT"}) {
            Signal.handle(new Signal(name), sig -> stop.countDown());
        }
        if (!plugins.isEmpty()) {
            // the connectors' counters on demand, as `heraldmq connect` prints them
            Signal.handle(new Signal("USR1"), sig -> {
                System.out.print(plugins.report());
                System.out.flush();
            });
        }
        if (broker.httpUrl() != null) {
            System.out.println("HeraldMQ monitoring on " + broker.httpUrl() + " (/metrics, /health/live, /health/ready)");
        }
        // stdout for people and for whatever waits for this line (tests, the bench runner, scripts: keep its text);
        // logged too, for the log files (OnStdoutFilter keeps it off the console appenders, whatever the logging
        // configuration: the line is on the console already)
        String ready = "HeraldMQ ready on " + broker.url()
                + (broker.port() >= 0 && broker.tlsPort() >= 0 ? " and ssl://" + config.host() + ":" + broker.tlsPort()
                : "");
        System.out.println(ready);
        System.out.flush();
        // not a static field: the CLI commands load this class too, and need no logging set up
        org.slf4j.Logger log = LoggerFactory.getLogger(Main.class);
        OnStdoutFilter.addToConsoleAppenders();
        log.info(OnStdoutFilter.ON_STDOUT, ready);
        stop.await();
        plugins.close();
        System.out.print(plugins.report());
        broker.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("HeraldMQ stopped");
        System.out.flush();
        OnStdoutFilter.addToConsoleAppenders();
        log.info(OnStdoutFilter.ON_STDOUT, "HeraldMQ stopped");
        return 0;
    }

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with these streams and returns the exit code (tests call it in-process). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return execute(System.in, out, err, args);
    }

    /** As {@link #execute(PrintWriter, PrintWriter, String...)}, with {@code in} as {@code produce}'s stdin. */
    public static int execute(InputStream in, PrintWriter out, PrintWriter err, String... args) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine cli = new CommandLine(new Main(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == ProduceCommand.class ? type.cast(new ProduceCommand(in)) : defaults.create(type);
            }
        });
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (cmd.getCommand() instanceof Main) {
                err.println("HeraldMQ failed to start: " + e.getMessage());
            } else {
                err.println("error: " + e.getMessage());
            }
            err.flush();
            return 1;
        });
        return cli.execute(args);
    }
}
