package io.heraldmq.bench;

import jakarta.jms.Connection;
import jakarta.jms.Session;
import jakarta.jms.Topic;

import java.util.ArrayList;
import java.util.List;

/**
 * Replay: {@value #SUBSCRIPTIONS} durable subscriptions are created and closed, {@code bench.replay.mib} of
 * PERSISTENT messages are published with them closed ({@link AsyncPublisher}), then all of them are opened at once
 * (DUPS_OK_ACKNOWLEDGE, as a reader catching up on a log would) and each must get every message, in order, once.
 * Reported: {@code delivered} (deliveries per second over all subscriptions, from their start until every one has
 * everything), {@code publish}, {@code read-mbps} (the backlog's bytes over that time, in MB/s: what reading the
 * log once had to deliver), {@code broker-cpu-us} (broker CPU per delivery while reading, {@link BrokerCpu}) and
 * {@code disk-ratio}. The cold variant drops the page cache between publishing and
 * reading ({@link PageCache}), so the backlog comes from the disk.
 */
public final class ReplayScenario {
    static final int SUBSCRIPTIONS = JndiNames.SUBSCRIBER_FACTORIES;

    private final ScenarioKey key;
    private final boolean cold;
    private final BenchSettings settings;
    private final Jndi jndi;

    public ReplayScenario(ScenarioKey key, boolean cold, BenchSettings settings, Jndi jndi) {
        this.key = key;
        this.cold = cold;
        this.settings = settings;
        this.jndi = jndi;
    }

    public void run() throws Exception {
        Topic topic = (Topic) jndi.destination(JndiNames.destination(key));
        long total = Math.max(1, settings.replayBytes() / settings.messageBytes());
        for (int i = 0; i < SUBSCRIPTIONS; i++) {
            Connection connection = jndi.subscriberFactory(i).createConnection();
            try {
                connection.createSession(false, Session.AUTO_ACKNOWLEDGE)
                        .createDurableSubscriber(topic, subscription(i)).close();
            } finally {
                connection.close();
            }
        }
        DiskWrites disk = DiskWrites.fromSystemProperties();
        DiskWrites.Mark written = disk.mark();
        long publishStart = System.nanoTime();
        new AsyncPublisher(settings, jndi).publish(topic, total);
        double publishSeconds = (System.nanoTime() - publishStart) / 1e9;
        System.out.printf("replay: published %d messages in %.1f s%n", total, publishSeconds);
        if (cold) {
            String problem = PageCache.drop();
            if (problem != null) {
                throw new ScenarioUnsupportedException(problem, null);
            }
        }

        List<Connection> connections = new ArrayList<>();
        List<Verifier> verifiers = new ArrayList<>();
        try {
            for (int i = 0; i < SUBSCRIPTIONS; i++) {
                Connection connection = jndi.subscriberFactory(i).createConnection();
                connections.add(connection);
                Verifier verifier = Verifier.subscriber(subscription(i), 1);
                verifiers.add(verifier);
                connection.createSession(false, Session.DUPS_OK_ACKNOWLEDGE)
                        .createDurableSubscriber(topic, subscription(i)).setMessageListener(verifier);
            }
            BrokerCpu cpu = BrokerCpu.fromSystemProperties();
            double cpuBefore = cpu.seconds();
            long start = System.nanoTime();
            for (Connection connection : connections) {
                connection.start();
            }
            awaitAll(verifiers, total);
            double seconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(200);
            for (Verifier verifier : verifiers) {
                String problem = verifier.failure() != null ? verifier.failure()
                        : verifier.missing(new long[]{total});
                if (problem == null && verifier.received() != total) {
                    problem = "received " + verifier.received() + " messages, published " + total + " (duplicates)";
                }
                if (problem != null) {
                    throw new ScenarioFailedException(problem);
                }
            }
            ResultLine.number(key, "delivered", SUBSCRIPTIONS * total / seconds);
            ResultLine.number(key, "publish", total / publishSeconds);
            ResultLine.number(key, "read-mbps", total * (double) settings.messageBytes() / seconds / 1e6);
            ResultLine.number(key, "messages", total);
            cpu.report(key, cpuBefore, SUBSCRIPTIONS * total);
            disk.report(key, written, total * settings.messageBytes());
        } finally {
            for (Connection connection : connections) {
                ThroughputScenario.closeQuietly(connection);
            }
        }
    }

    private String subscription(int index) {
        return key.key() + "-" + index;
    }

    private void awaitAll(List<Verifier> verifiers, long total) throws Exception {
        long lastCount = -1;
        long lastProgress = System.nanoTime();
        while (true) {
            long count = 0;
            boolean done = true;
            for (Verifier verifier : verifiers) {
                if (verifier.failure() != null) {
                    throw new ScenarioFailedException(verifier.failure());
                }
                count += verifier.received();
                done &= verifier.received() >= total;
            }
            if (done) {
                return;
            }
            if (count != lastCount) {
                lastCount = count;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > settings.drainTimeoutMs() * 1_000_000L) {
                throw new ScenarioFailedException("lost messages: " + count + " of " + total * verifiers.size()
                        + " deliveries after " + settings.drainTimeoutMs() / 1000 + " s without progress");
            }
            Thread.sleep(5);
        }
    }
}
