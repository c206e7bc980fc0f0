package io.heraldmq.server.net;

import io.heraldmq.jms.HeraldConnectionFactory;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What TLS costs on the send path, measured, not asserted: one broker with a plain and a TLS port, one connection to
 * each, and in alternating rounds synchronous PERSISTENT sends and asynchronous ones (a CompletionListener, at most
 * {@value #IN_FLIGHT} unconfirmed) of 1 KiB text messages. {@code log.flush.policy = never}, so the answer does not
 * wait for fsync and the transport's own cost shows (with fsync per send, TLS is lost in the disk's wait). Only with
 * {@code -Dbench=true}: {@code mvn -pl provider,server verify -Dtest=none -Dit.test=TlsOverheadIT -Dbench=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class TlsOverheadIT {
    private static final int SYNC_SENDS = 10_000;
    private static final int ASYNC_SENDS = 50_000;
    private static final int IN_FLIGHT = 1_000;
    private static final int ROUNDS = 5;

    @TempDir
    static Path dir;

    @Test
    void sendsPerSecondOverTlsAndPlain() throws Exception {
        TestCertificates certs = new TestCertificates(dir);
        certs.generate("broker", "CN=localhost");
        Path trust = certs.trustStore("trust", "broker");
        try (TestBroker b = new TestBroker(Map.of("log.flush.policy", "never", "tls.port", "0",
                "tls.keyStorePath", certs.keyStore("broker").toString(),
                "tls.keyStorePassword", TestCertificates.PASSWORD))) {
            String[] names = {"plain", "TLS"};
            String[] urls = {"tcp://127.0.0.1:" + b.port(), "ssl://127.0.0.1:" + b.tlsPort() + "?trustStorePath="
                    + trust + "&trustStorePassword=" + TestCertificates.PASSWORD};
            Connection[] connections = new Connection[2];
            Session[] sessions = new Session[2];
            MessageProducer[] producers = new MessageProducer[2];
            String text = "x".repeat(1024);
            try {
                for (int i = 0; i < 2; i++) {
                    connections[i] = new HeraldConnectionFactory(urls[i]).createConnection();
                    sessions[i] = connections[i].createSession(false, Session.AUTO_ACKNOWLEDGE);
                    producers[i] = sessions[i].createProducer(sessions[i].createQueue("bench.tls." + i));
                    producers[i].setDeliveryMode(DeliveryMode.PERSISTENT);
                    sync(sessions[i], producers[i], text, SYNC_SENDS); // warm-up
                    async(sessions[i], producers[i], text, ASYNC_SENDS);
                }
                double[][] syncRates = new double[2][ROUNDS];
                double[][] asyncRates = new double[2][ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    for (int i = 0; i < 2; i++) {
                        long start = System.nanoTime();
                        sync(sessions[i], producers[i], text, SYNC_SENDS);
                        syncRates[i][round] = SYNC_SENDS / ((System.nanoTime() - start) / 1e9);
                        start = System.nanoTime();
                        async(sessions[i], producers[i], text, ASYNC_SENDS);
                        asyncRates[i][round] = ASYNC_SENDS / ((System.nanoTime() - start) / 1e9);
                    }
                }
                for (int i = 0; i < 2; i++) {
                    System.out.printf("BENCH %-5s sync  median %8.0f sends/s %s, ratio to plain %.3f%n", names[i],
                            median(syncRates[i]), rounded(syncRates[i]), median(syncRates[i]) / median(syncRates[0]));
                    System.out.printf("BENCH %-5s async median %8.0f sends/s %s, ratio to plain %.3f%n", names[i],
                            median(asyncRates[i]), rounded(asyncRates[i]),
                            median(asyncRates[i]) / median(asyncRates[0]));
                }
            } finally {
                for (Connection c : connections) {
                    if (c != null) {
                        c.close();
                    }
                }
            }
        }
    }

    private static void sync(Session s, MessageProducer p, String text, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            p.send(s.createTextMessage(text));
        }
    }

    private static void async(Session s, MessageProducer p, String text, int n) throws Exception {
        Semaphore window = new Semaphore(IN_FLIGHT);
        AtomicReference<Exception> failed = new AtomicReference<>();
        CompletionListener done = new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                window.release();
            }

            @Override
            public void onException(Message message, Exception exception) {
                failed.compareAndSet(null, exception);
                window.release();
            }
        };
        for (int i = 0; i < n; i++) {
            window.acquire();
            p.send(s.createTextMessage(text), done);
        }
        if (!window.tryAcquire(IN_FLIGHT, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("asynchronous sends not confirmed");
        }
        if (failed.get() != null) {
            throw failed.get();
        }
    }

    private static String rounded(double[] rates) {
        return Arrays.toString(Arrays.stream(rates).mapToLong(Math::round).toArray());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
