package io.heraldmq.server.cli;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.admin.HeraldAdminException;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code heraldmq consume queue://X|topic://X}: prints the messages it receives on stdout, one per line (see
 * {@link MessageFormat}), like Kafka's console consumer, until {@code --max} messages, {@code --timeout} without a
 * message, or SIGINT/SIGTERM.
 * <p>
 * At least once: the session is CLIENT_ACKNOWLEDGE and a message is acknowledged only after it (and everything
 * before it) has been written and stdout flushed, in batches: before each wait for more and at the end. A command
 * killed with SIGKILL leaves the printed but unacknowledged messages of its last batch to be delivered again.
 * From a queue the messages are consumed (other consumers do not get them); from a topic a non-durable
 * subscriber gets what is published while it runs, and with {@code --from-beginning} a durable subscription of a
 * client id of its own, moved to the oldest retained message with the admin seek and deleted at the end, replays
 * what the topic holds.
 */
@Command(name = "consume", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prints the messages of a queue or topic on stdout, one per line; a summary on stderr.",
                "Stops after --max messages, after --timeout without one, or on Ctrl-C/SIGTERM (exit 0)."})
public final class ConsumeCommand implements Callable<Integer> {
    /** How often a wait without --timeout looks whether a signal asked it to stop. */
    private static final long POLL_MS = 200;
    /** The subscription name --from-beginning uses, under a client id of its own. */
    static final String REPLAY_SUBSCRIPTION = "console";

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DESTINATION", converter = ConsoleDestination.Converter.class,
            description = "queue://NAME or topic://NAME")
    ConsoleDestination destination;

    @Option(names = "--max", paramLabel = "N", description = "stop after N messages")
    Integer max;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "stop when no message came for this long, e.g. 5s (default: wait for ever)")
    Duration timeout;

    @Option(names = "--from-beginning", description = "topics: every message the topic still holds, then new ones")
    boolean fromBeginning;

    @Option(names = "--selector", paramLabel = "EXPRESSION", description = "a JMS message selector, e.g."
            + " \"region = 'eu'\"")
    String selector;

    @Option(names = "--properties", description = "text output: print the properties, a tab, then the body")
    boolean properties;

    @Mixin
    OutputOption output;

    @Mixin
    AdminOptions options;

    private volatile boolean stopRequested;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
        try {
            check();
            for (String name : new String[]{"INT", "TERM"}) {
                Signal signal = new Signal(name);
                try {
                    previous.put(signal, Signal.handle(signal, s -> stopRequested = true));
                } catch (IllegalArgumentException taken) {
                    // the JVM keeps this signal (-Xrs): it ends the process as it would anyway
                }
            }
            long received = consume(out, err);
            err.println(String.format(Locale.ROOT, "consumed %,d message(s) from %s", received, destination));
            return AdminCall.OK;
        } catch (CommandFailure f) {
            err.println("error: " + f.getMessage());
            return f.exitCode;
        } finally {
            previous.forEach(Signal::handle);
            out.flush();
            err.flush();
        }
    }

    private void check() throws CommandFailure {
        if (max != null && max < 1) {
            throw new CommandFailure(AdminCall.BAD_ARGUMENTS, "--max must be at least 1");
        }
        if (fromBeginning && destination.queue()) {
            throw new CommandFailure(AdminCall.BAD_ARGUMENTS, "--from-beginning is for topics: a queue delivers"
                    + " what it holds anyway (to replay consumed messages: sub seek queue:" + destination.name()
                    + " --to-beginning)");
        }
    }

    private long consume(PrintWriter out, PrintWriter err) throws CommandFailure {
        String clientId = fromBeginning ? "heraldmq-consume-" + UUID.randomUUID() : null;
        Connection connection = JmsConnections.open(options, factory -> {
            if (max != null) {
                // a queue's messages beyond --max stay for other consumers rather than sit in this one's buffer
                factory.setPrefetch(Math.min(max, factory.getPrefetch()));
            }
            if (clientId != null) {
                factory.setClientID(clientId);
            }
        });
        try (connection) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = fromBeginning ? replay(session, clientId)
                    : session.createConsumer(destination.create(session), selector);
            connection.start();
            try {
                return receive(consumer, out, new Progress(err, "received"));
            } finally {
                if (fromBeginning) {
                    consumer.close();
                    session.unsubscribe(REPLAY_SUBSCRIPTION);
                }
            }
        } catch (JMSException e) {
            throw CommandFailure.of(e);
        }
    }

    /** A durable subscription moved to the oldest message its topic retains (seek needs it without consumers). */
    private MessageConsumer replay(Session session, String clientId) throws JMSException, CommandFailure {
        Topic topic = (Topic) destination.create(session);
        session.createDurableConsumer(topic, REPLAY_SUBSCRIPTION, selector, false).close();
        try (HeraldAdmin admin = HeraldAdmin.connect(options.url, options.user, options.password)) {
            admin.seekToBeginning("durable:" + clientId + ":" + REPLAY_SUBSCRIPTION);
        } catch (HeraldAdminException e) {
            session.unsubscribe(REPLAY_SUBSCRIPTION);
            throw new CommandFailure(AdminCall.REFUSED, "cannot move the subscription to the beginning: "
                    + e.getMessage());
        }
        return session.createDurableConsumer(topic, REPLAY_SUBSCRIPTION, selector, false);
    }

    /** Prints what arrives; a long run reports its count on stderr now and then ({@link Progress}). */
    private long receive(MessageConsumer consumer, PrintWriter out, Progress progress) throws JMSException {
        long received = 0;
        Message unacknowledged = null;
        while ((max == null || received < max) && !stopRequested) {
            Message m = consumer.receiveNoWait();
            if (m == null) {
                // about to wait: settle what has been printed so far
                unacknowledged = acknowledge(unacknowledged, out);
                m = await(consumer);
                if (m == null) {
                    break;
                }
            }
            out.println(output.json() ? MessageFormat.json(m, destination).encode()
                    : MessageFormat.text(m, properties));
            unacknowledged = m;
            received++;
            progress.at(received, max == null ? -1 : max);
        }
        acknowledge(unacknowledged, out);
        return received;
    }

    /** The next message, or null once --timeout passed without one or a signal asked to stop. */
    private Message await(MessageConsumer consumer) throws JMSException {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        while (!stopRequested) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            Message m = consumer.receive(Math.min(left, POLL_MS));
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    /**
     * Acknowledges everything up to {@code last} once stdout took it; when stdout is gone (a closed pipe, as after
     * {@code | head -1}) nothing is acknowledged and the command stops: those messages stay for another consumer.
     *
     * @return null: nothing is left unacknowledged
     */
    private Message acknowledge(Message last, PrintWriter out) throws JMSException {
        out.flush();
        if (out.checkError()) {
            stopRequested = true;
            return null;
        }
        if (last != null) {
            last.acknowledge();
        }
        return null;
    }
}
