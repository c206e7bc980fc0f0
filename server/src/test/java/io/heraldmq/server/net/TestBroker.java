package io.heraldmq.server.net;

import io.heraldmq.server.Broker;
import io.heraldmq.server.BrokerConfig;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A broker with settings of its own for one test (the TLS and limits tests each need another configuration):
 * 127.0.0.1, port 0, a fresh data directory deleted on close.
 */
final class TestBroker implements AutoCloseable {
    private final Broker broker;
    private final Path dataDir;

    TestBroker(Map<String, String> settings) {
        try {
            dataDir = Files.createTempDirectory("heraldmq-tls-");
            BrokerConfig config = BrokerConfig.defaults().withPort(0).withDataDir(dataDir).with(settings);
            broker = Broker.start(config).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("broker did not start", e);
        }
    }

    Broker broker() {
        return broker;
    }

    int port() {
        return broker.port();
    }

    int tlsPort() {
        return broker.tlsPort();
    }

    /** Sends a text message to a queue and receives it back over a connection of {@code factory}. */
    static void roundTrip(jakarta.jms.ConnectionFactory factory, String user, String password) {
        roundTripTo("tls.roundtrip", factory, user, password);
    }

    /** {@link #roundTrip} through the named queue. */
    static void roundTripTo(String queue, jakarta.jms.ConnectionFactory factory, String user, String password) {
        try (JMSContext ctx = factory.createContext(user, password)) {
            Queue q = ctx.createQueue(queue);
            String text = "hello " + System.nanoTime();
            ctx.createProducer().send(q, text);
            assertEquals(text, ctx.createConsumer(q).receiveBody(String.class, 10_000));
        }
    }

    @Override
    public void close() {
        try {
            broker.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory
            }
        }
    }
}
