package io.heraldmq.bench;

import jakarta.jms.Connection;
import jakarta.jms.Session;
import jakarta.jms.Topic;


/**
 * A durable subscription is created and its consumer closed; then {@code bench.backlog.mib} of PERSISTENT messages
 * are published with no consumer attached, and the subscriber comes back and drains them. Reported: {@code drain}
 * (messages per second from the subscriber's start to its last message; the number compared) and {@code publish}
 * (messages per second while building the backlog) and {@code disk-ratio} ({@link DiskWrites}). The backlog is
 * published by {@link AsyncPublisher}; the drain then proves every message was stored. There is no warm-up: the
 * drain is one pass.
 */
public final class BacklogScenario {
    private static final String SUBSCRIPTION = "backlog-0";

    private final BenchSettings settings;
    private final Jndi jndi;

    public BacklogScenario(BenchSettings settings, Jndi jndi) {
        this.settings = settings;
        this.jndi = jndi;
    }

    public void run() throws Exception {
        ScenarioKey key = ScenarioKey.BACKLOG;
        Topic topic = (Topic) jndi.destination(JndiNames.destination(key));
        long total = Math.max(1, settings.backlogBytes() / settings.messageBytes());

        Connection subscriberConnection = jndi.subscriberFactory(0).createConnection();
        try {
            Session session = subscriberConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createDurableSubscriber(topic, SUBSCRIPTION).close();
        } finally {
            subscriberConnection.close();
        }

        DiskWrites disk = DiskWrites.fromSystemProperties();
        DiskWrites.Mark written = disk.mark();
        long publishStart = System.nanoTime();
        new AsyncPublisher(settings, jndi).publish(topic, total);
        double publishSeconds = (System.nanoTime() - publishStart) / 1e9;

        Verifier verifier = Verifier.subscriber(SUBSCRIPTION, 1);
        subscriberConnection = jndi.subscriberFactory(0).createConnection();
        try {
            Session session = subscriberConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createDurableSubscriber(topic, SUBSCRIPTION).setMessageListener(verifier);
            long drainStart = System.nanoTime();
            subscriberConnection.start();
            long lastCount = -1;
            long lastProgress = System.nanoTime();
            while (verifier.received() < total) {
                if (verifier.failure() != null) {
                    throw new ScenarioFailedException(verifier.failure());
                }
                long count = verifier.received();
                if (count != lastCount) {
                    lastCount = count;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > settings.drainTimeoutMs() * 1_000_000L) {
                    throw new ScenarioFailedException("lost messages: drained " + count + " of " + total);
                }
                Thread.sleep(5);
            }
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            Thread.sleep(200);
            String problem = verifier.failure() != null ? verifier.failure() : verifier.missing(new long[]{total});
            if (problem == null && verifier.received() != total) {
                problem = "received " + verifier.received() + " messages, published " + total + " (duplicates)";
            }
            if (problem != null) {
                throw new ScenarioFailedException(problem);
            }
            ResultLine.number(key, "drain", total / drainSeconds);
            ResultLine.number(key, "publish", total / publishSeconds);
            ResultLine.number(key, "messages", total);
            disk.report(key, written, total * settings.messageBytes());
        } finally {
            ThroughputScenario.closeQuietly(subscriberConnection);
        }
    }
}
