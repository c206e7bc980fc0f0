package io.heraldmq.bench;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.Topic;

import javax.naming.NamingException;
import java.util.ArrayList;
import java.util.List;

/**
 * Producers send as fast as they can while consumers verify and count: a warm-up, then a measured window whose
 * rates are reported ({@code sent}: messages per second the provider accepted; {@code delivered}: deliveries per
 * second over all consumers), then the producers stop and the scenario waits until every consumer has every
 * message. A lost, repeated or reordered message fails the scenario instead of giving a number. PERSISTENT scenarios
 * also report {@code disk-ratio} over the whole scenario ({@link DiskWrites}).
 */
public final class ThroughputScenario {

    /** How the consumers attach. */
    public enum Consumers { NON_DURABLE_SUBSCRIBERS, DURABLE_SUBSCRIBERS, COMPETING_QUEUE_CONSUMERS }

    /** One scenario's shape; {@code commitEvery} 0 means a non-transacted producer. */
    public record Shape(ScenarioKey key, int producers, boolean persistent, int commitEvery, Consumers consumers,
                        int consumerCount) {
    }

    public static Shape shapeOf(ScenarioKey key) {
        return switch (key) {
            case FANOUT -> new Shape(key, 1, false, 0, Consumers.NON_DURABLE_SUBSCRIBERS, 4);
            case DURABLE -> new Shape(key, 1, true, 0, Consumers.DURABLE_SUBSCRIBERS, 4);
            case QUEUE -> new Shape(key, 1, true, 0, Consumers.COMPETING_QUEUE_CONSUMERS, 2);
            case TRANSACTED -> new Shape(key, 1, true, 100, Consumers.COMPETING_QUEUE_CONSUMERS, 1);
            case MANY_PRODUCERS -> new Shape(key, 16, true, 0, Consumers.DURABLE_SUBSCRIBERS, 4);
            default -> throw new IllegalArgumentException(key + " is not a throughput scenario");
        };
    }

    private final Shape shape;
    private final BenchSettings settings;
    private final Jndi jndi;

    public ThroughputScenario(Shape shape, BenchSettings settings, Jndi jndi) {
        this.shape = shape;
        this.settings = settings;
        this.jndi = jndi;
    }

    public void run() throws Exception {
        Destination destination = jndi.destination(JndiNames.destination(shape.key()));
        List<Connection> consumerConnections = new ArrayList<>();
        List<ProducerLoop> producers = new ArrayList<>();
        List<Verifier> verifiers = new ArrayList<>();
        Verifier.QueueLedger ledger = new Verifier.QueueLedger(shape.producers());
        try {
            for (int i = 0; i < shape.consumerCount(); i++) {
                verifiers.add(attachConsumer(destination, i, ledger, consumerConnections));
            }
            byte[] payload = Payload.of(settings.messageBytes());
            ConnectionFactory factory = jndi.factory(JndiNames.FACTORY);
            for (int p = 0; p < shape.producers(); p++) {
                producers.add(new ProducerLoop(factory, destination, p, shape.persistent(), shape.commitEvery(),
                        payload));
            }
            DiskWrites disk = DiskWrites.fromSystemProperties();
            DiskWrites.Mark written = disk.mark();
            producers.forEach(ProducerLoop::start);

            Thread.sleep(settings.warmupMs());
            long sent0 = totalSent(producers);
            long received0 = totalReceived(verifiers);
            long t0 = System.nanoTime();
            Thread.sleep(settings.measureMs());
            long sent1 = totalSent(producers);
            long received1 = totalReceived(verifiers);
            long t1 = System.nanoTime();

            for (ProducerLoop producer : producers) {
                producer.stop();
            }
            for (ProducerLoop producer : producers) {
                if (producer.error() != null) {
                    throw new ScenarioFailedException("producer failed: " + producer.error(), producer.error());
                }
            }
            long[] sent = new long[shape.producers()];
            for (int p = 0; p < sent.length; p++) {
                sent[p] = producers.get(p).sent();
            }
            awaitDrained(verifiers, sent, ledger);

            double seconds = (t1 - t0) / 1e9;
            ResultLine.number(shape.key(), "sent", (sent1 - sent0) / seconds);
            ResultLine.number(shape.key(), "delivered", (received1 - received0) / seconds);
            ResultLine.number(shape.key(), "messages", sum(sent));
            if (shape.persistent()) {
                disk.report(shape.key(), written, sum(sent) * settings.messageBytes());
            }
        } finally {
            producers.forEach(ProducerLoop::close);
            for (Connection connection : consumerConnections) {
                closeQuietly(connection);
            }
        }
    }

    private Verifier attachConsumer(Destination destination, int index, Verifier.QueueLedger ledger,
                                    List<Connection> connections) throws JMSException, NamingException {
        String name = shape.key().key() + "-" + index;
        ConnectionFactory factory = shape.consumers() == Consumers.DURABLE_SUBSCRIBERS
                ? jndi.subscriberFactory(index) : jndi.factory(JndiNames.FACTORY);
        Connection connection = factory.createConnection();
        connections.add(connection);
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = switch (shape.consumers()) {
            case DURABLE_SUBSCRIBERS -> session.createDurableSubscriber((Topic) destination, name);
            case NON_DURABLE_SUBSCRIBERS, COMPETING_QUEUE_CONSUMERS -> session.createConsumer(destination);
        };
        Verifier verifier = shape.consumers() == Consumers.COMPETING_QUEUE_CONSUMERS
                ? Verifier.competing(name, shape.producers(), ledger)
                : Verifier.subscriber(name, shape.producers());
        consumer.setMessageListener(verifier);
        connection.start();
        return verifier;
    }

    private void awaitDrained(List<Verifier> verifiers, long[] sent, Verifier.QueueLedger ledger)
            throws ScenarioFailedException, InterruptedException {
        long perConsumer = sum(sent);
        long expected = shape.consumers() == Consumers.COMPETING_QUEUE_CONSUMERS
                ? perConsumer : perConsumer * verifiers.size();
        long lastProgress = System.nanoTime();
        long lastCount = -1;
        while (true) {
            for (Verifier v : verifiers) {
                if (v.failure() != null) {
                    throw new ScenarioFailedException(v.failure());
                }
            }
            long count = totalReceived(verifiers);
            if (count > expected) {
                throw new ScenarioFailedException("received " + count + " deliveries, expected " + expected);
            }
            if (count == expected) {
                break;
            }
            if (count != lastCount) {
                lastCount = count;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > settings.drainTimeoutMs() * 1_000_000L) {
                throw new ScenarioFailedException("lost messages: " + count + " of " + expected
                        + " deliveries after " + settings.drainTimeoutMs() / 1000 + " s without progress");
            }
            Thread.sleep(20);
        }
        // a duplicate would arrive after the last expected message: give it a moment to show up
        Thread.sleep(200);
        for (Verifier v : verifiers) {
            String problem = v.failure() != null ? v.failure() : v.missing(sent);
            if (problem != null) {
                throw new ScenarioFailedException(problem);
            }
        }
        if (totalReceived(verifiers) != expected) {
            throw new ScenarioFailedException("received " + totalReceived(verifiers) + " deliveries, expected "
                    + expected + " (duplicates)");
        }
        if (shape.consumers() == Consumers.COMPETING_QUEUE_CONSUMERS) {
            String problem = ledger.missing(sent);
            if (problem != null) {
                throw new ScenarioFailedException(problem);
            }
        }
    }

    private static long totalSent(List<ProducerLoop> producers) {
        long total = 0;
        for (ProducerLoop p : producers) {
            total += p.sent();
        }
        return total;
    }

    private static long totalReceived(List<Verifier> verifiers) {
        long total = 0;
        for (Verifier v : verifiers) {
            total += v.received();
        }
        return total;
    }

    private static long sum(long[] values) {
        long total = 0;
        for (long v : values) {
            total += v;
        }
        return total;
    }

    static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (JMSException | RuntimeException ignored) {
            // the numbers are taken; a failing close changes none of them
        }
    }
}
