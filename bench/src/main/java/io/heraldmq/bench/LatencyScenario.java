package io.heraldmq.bench;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * One producer paced at {@code bench.latency.rate} NON_PERSISTENT messages per second to a topic with one
 * subscriber, both in this JVM so {@link System#nanoTime()} is one clock. Every message carries the time it was
 * scheduled and the time it was sent. Reported for the measured window, in microseconds: latency from the send
 * ({@code p50}, {@code p99}, {@code p999}) and from the schedule ({@code co_p50}...), which also counts the time a
 * message waited because the producer was held up by the previous send: without it a stalled send would hide the
 * stall (coordinated omission). NON_PERSISTENT because the target (p50 at most 100 µs) is about the messaging path,
 * not the disk.
 */
public final class LatencyScenario {
    static final String SCHEDULED = "benchScheduledNanos";
    static final String SENT = "benchSentNanos";

    private final BenchSettings settings;
    private final Jndi jndi;

    public LatencyScenario(BenchSettings settings, Jndi jndi) {
        this.settings = settings;
        this.jndi = jndi;
    }

    public void run() throws Exception {
        ScenarioKey key = ScenarioKey.LATENCY;
        Destination topic = jndi.destination(JndiNames.destination(key));
        long rate = settings.latencyRate();
        long periodNanos = 1_000_000_000L / rate;
        long measuredFrom = settings.warmupMs() * rate / 1000;
        long total = (settings.warmupMs() + settings.measureMs()) * rate / 1000;
        Recorder recorder = new Recorder(Verifier.subscriber(key.key() + "-0", 1), measuredFrom,
                (int) (total - measuredFrom));

        Connection consumerConnection = jndi.factory(JndiNames.FACTORY).createConnection();
        Connection producerConnection = null;
        try {
            Session consumerSession = consumerConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            consumerSession.createConsumer(topic).setMessageListener(recorder);
            consumerConnection.start();

            producerConnection = jndi.factory(JndiNames.FACTORY).createConnection();
            Session session = producerConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(topic);
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            byte[] payload = Payload.of(settings.messageBytes());

            long start = System.nanoTime() + 10_000_000L;
            for (long seq = 0; seq < total; seq++) {
                long scheduled = start + seq * periodNanos;
                waitUntil(scheduled);
                BytesMessage message = session.createBytesMessage();
                message.writeBytes(payload);
                message.setIntProperty(Verifier.PRODUCER, 0);
                message.setLongProperty(Verifier.SEQUENCE, seq);
                message.setLongProperty(SCHEDULED, scheduled);
                message.setLongProperty(SENT, System.nanoTime());
                producer.send(message);
            }
            awaitAll(recorder, total);

            ResultLine.number(key, "p50", recorder.fromSend.percentile(0.50));
            ResultLine.number(key, "p99", recorder.fromSend.percentile(0.99));
            ResultLine.number(key, "p999", recorder.fromSend.percentile(0.999));
            ResultLine.number(key, "co_p50", recorder.fromSchedule.percentile(0.50));
            ResultLine.number(key, "co_p99", recorder.fromSchedule.percentile(0.99));
            ResultLine.number(key, "co_p999", recorder.fromSchedule.percentile(0.999));
        } finally {
            if (producerConnection != null) {
                ThroughputScenario.closeQuietly(producerConnection);
            }
            ThroughputScenario.closeQuietly(consumerConnection);
        }
    }

    /**
     * How late {@link LockSupport#parkNanos} wakes on Linux: the default timer slack (50 µs) plus the wake-up. The
     * last stretch of every wait is spun; the rest is parked, so the producer does not keep one of the machine's
     * cores busy between sends (at 10,000 msg/s a spin over the whole 100 µs period would).
     */
    private static final long PARK_OVERSHOOT_NANOS = 60_000;

    private static void waitUntil(long deadline) {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0) {
            if (remaining > PARK_OVERSHOOT_NANOS + 10_000) {
                LockSupport.parkNanos(remaining - PARK_OVERSHOOT_NANOS);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    private void awaitAll(Recorder recorder, long total) throws ScenarioFailedException, InterruptedException {
        long lastCount = -1;
        long lastProgress = System.nanoTime();
        while (recorder.verifier.received() < total) {
            if (recorder.verifier.failure() != null) {
                throw new ScenarioFailedException(recorder.verifier.failure());
            }
            long count = recorder.verifier.received();
            if (count != lastCount) {
                lastCount = count;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > settings.drainTimeoutMs() * 1_000_000L) {
                throw new ScenarioFailedException("lost messages: " + count + " of " + total);
            }
            Thread.sleep(20);
        }
        Thread.sleep(200);
        String problem = recorder.verifier.failure() != null ? recorder.verifier.failure()
                : recorder.verifier.missing(new long[]{total});
        if (problem == null && recorder.verifier.received() != total) {
            problem = "received " + recorder.verifier.received() + " messages, sent " + total + " (duplicates)";
        }
        if (problem != null) {
            throw new ScenarioFailedException(problem);
        }
    }

    /** Takes the receive time first, keeps both latencies, then lets the verifier check and count the message. */
    private static final class Recorder implements MessageListener {
        final Verifier verifier;
        final long measuredFrom;
        final Samples fromSend;
        final Samples fromSchedule;

        Recorder(Verifier verifier, long measuredFrom, int capacity) {
            this.verifier = verifier;
            this.measuredFrom = measuredFrom;
            this.fromSend = new Samples(capacity);
            this.fromSchedule = new Samples(capacity);
        }

        @Override
        public void onMessage(Message message) {
            long now = System.nanoTime();
            try {
                long index = message.getLongProperty(Verifier.SEQUENCE) - measuredFrom;
                if (index >= 0 && index < fromSend.values.length) {
                    fromSend.values[(int) index] = now - message.getLongProperty(SENT);
                    fromSchedule.values[(int) index] = now - message.getLongProperty(SCHEDULED);
                }
            } catch (JMSException ignored) {
                // the verifier fails the scenario for an unreadable message
            }
            // last: the verifier's count is what the scenario thread waits on, so the samples above are visible
            verifier.onMessage(message);
        }
    }

    /** Latencies in nanoseconds, one slot per measured message. */
    private static final class Samples {
        final long[] values;

        Samples(int capacity) {
            values = new long[capacity];
        }

        /** In microseconds. */
        double percentile(double p) {
            long[] sorted = values.clone();
            Arrays.sort(sorted);
            int index = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
        }
    }
}
