package io.heraldmq.server.cli;

import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code heraldmq produce queue://X|topic://X}: one TextMessage per line of stdin or a file, like Kafka's console
 * producer, for scripting and debugging. Without {@code --transacted} the sends are asynchronous
 * ({@code send(message, CompletionListener)}, which the client gathers into batches) with at most
 * {@value #WINDOW_UNITS} units in flight (a message costs 64 plus its length in characters), so a large file neither
 * waits a round trip per line nor fills the heap; the command returns once the broker has acknowledged every message.
 * With {@code --transacted N} every N messages are committed together. Every line is a message, empty ones included
 * (line ends are {@code \n} or {@code \r\n}); the input is read as UTF-8.
 */
@Command(name = "produce", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sends one text message per line of stdin (or --file) to a queue or topic.",
                "Progress goes to stderr every 2 s; exit 0 once the broker has acknowledged every message."})
public final class ProduceCommand implements Callable<Integer> {
    static final int WINDOW_UNITS = 4 << 20;
    /** How long to wait, at the end, for the answers of sends in flight (the client fails them before this). */
    private static final long DRAIN_TIMEOUT_S = 300;

    private final InputStream stdin;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DESTINATION", converter = ConsoleDestination.Converter.class,
            description = "queue://NAME or topic://NAME")
    ConsoleDestination destination;

    @Option(names = "--file", paramLabel = "FILE", description = "read the lines from FILE rather than stdin")
    Path file;

    @Option(names = "--property", paramLabel = "KEY=VALUE", description = "a string property set on every message;"
            + " repeat for more")
    Map<String, String> properties = new LinkedHashMap<>();

    /** The delivery mode; PERSISTENT, JMS's default, unless told otherwise. */
    static final class Mode {
        @Option(names = "--persistent", description = "PERSISTENT messages (the default): stored before acknowledged")
        boolean persistent;

        @Option(names = "--non-persistent", description = "NON_PERSISTENT messages")
        boolean nonPersistent;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Mode mode;

    @Option(names = "--transacted", paramLabel = "N", description = "send in transactions of N messages (the last"
            + " one may be smaller)")
    Integer transacted;

    @Mixin
    AdminOptions options;

    public ProduceCommand() {
        this(System.in);
    }

    /** @param stdin where lines come from without {@code --file} */
    public ProduceCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (transacted != null && transacted < 1) {
                throw new CommandFailure(AdminCall.BAD_ARGUMENTS, "--transacted must be at least 1");
            }
            long sent = produce(err);
            err.println(String.format(Locale.ROOT, "produced %,d message(s) to %s", sent, destination));
            return AdminCall.OK;
        } catch (CommandFailure f) {
            err.println("error: " + f.getMessage());
            return f.exitCode;
        } finally {
            err.flush();
        }
    }

    private long produce(PrintWriter err) throws CommandFailure {
        try (BufferedReader lines = open(); Connection connection = JmsConnections.open(options)) {
            Session session = connection.createSession(transacted != null, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(destination.create(session));
            producer.setDeliveryMode(mode != null && mode.nonPersistent ? DeliveryMode.NON_PERSISTENT
                    : DeliveryMode.PERSISTENT);
            checkProperties(session);
            return transacted == null ? sendAsync(session, producer, lines, err)
                    : sendTransacted(session, producer, lines, err);
        } catch (JMSException e) {
            throw CommandFailure.of(e);
        } catch (IOException e) {
            throw new CommandFailure(AdminCall.BAD_ARGUMENTS, "cannot read " + (file == null ? "stdin" : file)
                    + ": " + CommandFailure.describe(e));
        }
    }

    private BufferedReader open() throws CommandFailure {
        try {
            InputStream in = file == null ? stdin : Files.newInputStream(file);
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            throw new CommandFailure(AdminCall.BAD_ARGUMENTS, "cannot read " + file + ": "
                    + CommandFailure.describe(e));
        }
    }

    /** A property name JMS refuses (a reserved word, JMS..., not an identifier) is bad input, found before sending. */
    private void checkProperties(Session session) throws JMSException, CommandFailure {
        try {
            message(session, "");
        } catch (IllegalArgumentException | MessageFormatException e) {
            throw new CommandFailure(AdminCall.BAD_ARGUMENTS, "--property: " + CommandFailure.describe(e));
        }
    }

    private TextMessage message(Session session, String line) throws JMSException {
        TextMessage m = session.createTextMessage(line);
        for (Map.Entry<String, String> p : properties.entrySet()) {
            m.setStringProperty(p.getKey(), p.getValue());
        }
        return m;
    }

    private long sendTransacted(Session session, MessageProducer producer, BufferedReader lines, PrintWriter err)
            throws IOException, JMSException, CommandFailure {
        Progress progress = new Progress(err, "sent");
        long committed = 0;
        int inTransaction = 0;
        long number = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            number++;
            try {
                producer.send(message(session, line));
            } catch (JMSException e) {
                throw refused("line " + number + ": " + CommandFailure.describe(e), committed, "committed before it");
            }
            if (++inTransaction == transacted) {
                session.commit();
                committed += inTransaction;
                inTransaction = 0;
                progress.at(committed, -1);
            }
        }
        if (inTransaction > 0) {
            session.commit();
            committed += inTransaction;
        }
        return committed;
    }

    private long sendAsync(Session session, MessageProducer producer, BufferedReader lines, PrintWriter err)
            throws IOException, JMSException, CommandFailure {
        Semaphore window = new Semaphore(WINDOW_UNITS);
        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        Progress progress = new Progress(err, "sent");
        long sent = 0;
        for (String line = lines.readLine(); line != null && failure.get() == null; line = lines.readLine()) {
            int cost = Math.min(WINDOW_UNITS, 64 + line.length());
            acquire(window, cost);
            long number = ++sent;
            CompletionListener listener = new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    acknowledged.incrementAndGet();
                    window.release(cost);
                }

                @Override
                public void onException(Message message, Exception exception) {
                    failure.compareAndSet(null, "line " + number + ": " + CommandFailure.describe(exception));
                    window.release(cost);
                }
            };
            try {
                producer.send(message(session, line), listener);
            } catch (JMSException e) {
                // refused before it left (too large, say): what was sent before still gets its answer
                window.release(cost);
                failure.compareAndSet(null, "line " + number + ": " + CommandFailure.describe(e));
            }
            progress.at(acknowledged.get(), -1);
        }
        if (!acquire(window, WINDOW_UNITS, DRAIN_TIMEOUT_S)) {
            throw new CommandFailure(AdminCall.UNREACHABLE, "no answer from the broker for "
                    + (sent - acknowledged.get()) + " message(s) after " + DRAIN_TIMEOUT_S + " s");
        }
        if (failure.get() != null) {
            throw refused(failure.get(), acknowledged.get(), "acknowledged; reading stopped there");
        }
        return acknowledged.get();
    }

    /** The first message the broker or the client refused, and how many are stored. */
    private static CommandFailure refused(String what, long stored, String how) {
        return new CommandFailure(AdminCall.REFUSED, "refused " + what + String.format(Locale.ROOT,
                " (%,d message(s) %s)", stored, how));
    }

    private static void acquire(Semaphore window, int units) throws CommandFailure {
        if (!acquire(window, units, DRAIN_TIMEOUT_S)) {
            throw new CommandFailure(AdminCall.UNREACHABLE, "no answer from the broker for " + DRAIN_TIMEOUT_S
                    + " s");
        }
    }

    private static boolean acquire(Semaphore window, int units, long seconds) {
        try {
            return window.tryAcquire(units, seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
