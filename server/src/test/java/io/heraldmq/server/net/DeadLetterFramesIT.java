package io.heraldmq.server.net;

import io.heraldmq.protocol.Ack;
import io.heraldmq.protocol.Connect;
import io.heraldmq.protocol.Deliver;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.protocol.Ok;
import io.heraldmq.protocol.Produce;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.Subscribe;
import io.heraldmq.protocol.WireMessage;
import io.heraldmq.server.junit.BrokerExtension;
import io.heraldmq.server.meta.DeadLetterSettings;
import io.heraldmq.server.subscription.DeadLetters;
import io.heraldmq.server.subscription.RedeliveryPolicy;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dead letters at the frame level: what the broker does with REJECTED, with a RELEASED that carries the client's
 * count, and with deliveries of a connection that drops; and the redelivery policy in the answer to SUBSCRIBE.
 */
class DeadLetterFramesIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.withSettings(Map.of("max.delivery.attempts", "2"));

    private record Entry(long offset, int deliveryCount, Buffer record) {
    }

    @Test
    void theAnswerToSubscribeCarriesTheRedeliveryPolicy() throws IOException {
        try (RawClient c = connect()) {
            Frame ok = subscribe(c, 1, "dlf-policy", 1, 0).answer();
            assertEquals(new Ok.Redelivery(2, 0), Ok.redelivery(ok.body()));
        }
    }

    @Test
    void aRejectedMessageIsDeadLetteredAtOnceWithTheClientsReason() throws IOException {
        try (RawClient c = connect()) {
            produce(c, "dlf-reject", "bad", "good");
            List<Entry> got = subscribe(c, 1, "dlf-reject", 2, 2).entries();
            c.write(new Ack(1, Ack.REJECTED, new int[]{0}, new long[]{got.get(0).offset()},
                    "unreadable message: bad body").encode(10));
            c.write(new Ack(1, Ack.CONSUMED, new int[]{0}, new long[]{got.get(1).offset()}).encode(11));

            WireMessage dead = deadLetter(c, "DLQ.dlf-reject");
            assertEquals("bad", dead.properties.get("text"));
            assertEquals("queue://dlf-reject", dead.properties.get(DeadLetters.ORIGINAL_DESTINATION));
            assertEquals(1, dead.properties.get(DeadLetters.DELIVERY_COUNT));
            assertEquals("unreadable message: bad body", dead.properties.get(DeadLetters.FAILURE_REASON));
            assertEquals("DLQ.dlf-reject", dead.destination);
            assertTrue(dead.persistent);
        }
    }

    @Test
    void aReleaseCarryingTheApplicationsCountPastTheLimitDeadLetters() throws IOException {
        try (RawClient c = connect()) {
            produce(c, "dlf-seen", "m");
            Entry e = subscribe(c, 1, "dlf-seen", 1, 1).entries().get(0);
            assertEquals(1, e.deliveryCount());
            // The client redelivered it locally once more (recover): it saw it twice, so no third delivery.
            c.write(new Ack(1, Ack.RELEASED, new int[]{0}, new long[]{e.offset()}, null, 2).encode(10));
            WireMessage dead = deadLetter(c, "DLQ.dlf-seen");
            assertEquals(2, dead.properties.get(DeadLetters.DELIVERY_COUNT));
            assertTrue(((String) dead.properties.get(DeadLetters.FAILURE_REASON))
                    .contains("max delivery attempts (2) exceeded"));
        }
    }

    @Test
    void deliveriesOfDroppedConnectionsCountAndEndInTheDeadLetterQueue() throws IOException {
        try (RawClient c = connect()) {
            produce(c, "dlf-drop", "m");
        }
        for (int attempt = 1; attempt <= 2; attempt++) {
            try (RawClient c = connect()) {
                assertEquals(attempt, subscribe(c, 1, "dlf-drop", 1, 1).entries().get(0).deliveryCount());
            } // dropped without a CLOSE
        }
        try (RawClient c = connect()) {
            WireMessage dead = deadLetter(c, "DLQ.dlf-drop");
            assertEquals(2, dead.properties.get(DeadLetters.DELIVERY_COUNT));
            assertEquals("the consumer's connection was lost", dead.properties.get(DeadLetters.FAILURE_REASON));
        }
    }

    @Test
    void settingsUpdatedWhileConsumersAreAttachedApplyFromTheNextRedelivery() throws Exception {
        try (RawClient c = connect()) {
            produce(c, "dlf-live", "m");
            Subscribed subscribed = subscribe(c, 1, "dlf-live", 1, 1);
            assertEquals(new Ok.Redelivery(2, 0), Ok.redelivery(subscribed.answer().body()), "the broker default");
            Entry e = subscribed.entries().get(0);

            RedeliveryPolicy updated = broker.broker().deadLetters().update(true, "dlf-live",
                    new DeadLetterSettings(true, "dlf-live", 1, 0, 1.0, 0, "dlf-live-dead"))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(1, updated.maxDeliveryAttempts());

            c.write(new Ack(1, Ack.RELEASED, new int[]{0}, new long[]{e.offset()}, "listener threw x", 0)
                    .encode(10));
            WireMessage dead = deadLetter(c, "dlf-live-dead");
            assertEquals(1, dead.properties.get(DeadLetters.DELIVERY_COUNT));
            assertEquals("listener threw x", dead.properties.get(DeadLetters.FAILURE_REASON));
        }
        ExecutionException bad = assertThrows(ExecutionException.class, () -> broker.broker().deadLetters()
                .update(true, "dlf-live", new DeadLetterSettings(true, "dlf-live", 0, 0, 1.0, 0, null))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
        assertTrue(bad.getCause().getMessage().contains("max delivery attempts"), bad.getCause().getMessage());
    }

    private static RawClient connect() throws IOException {
        RawClient c = new RawClient(broker.port());
        c.write(new Connect(Connect.PROTOCOL_VERSION, null, null, null).encode(1));
        assertEquals(FrameType.CONNECTED, c.read().type());
        return c;
    }

    private static void produce(RawClient c, String queue, String... texts) throws IOException {
        RecordBatch.Builder b = new RecordBatch.Builder(RecordBatch.ATTR_PERSISTENT, 1024);
        for (String t : texts) {
            WireMessage m = new WireMessage();
            m.properties.put("text", t);
            b.add(System.currentTimeMillis(), null, m.encode());
        }
        c.write(new Produce(Produce.FLAG_ACK, DestinationKind.QUEUE, queue, -1, -1, b.build()).encode(2));
        assertEquals(FrameType.PRODUCE_ACK, c.read().type());
    }

    private record Subscribed(Frame answer, List<Entry> entries) {
    }

    /**
     * Subscribes and reads until the answer and {@code n} deliveries have arrived, in whichever order: deliveries go
     * out from the partition's context and may overtake the answer, and the consumer is known to the connection (so
     * an ACK for it counts) only once the answer is out.
     */
    private static Subscribed subscribe(RawClient c, int consumer, String queue, int credit, int n)
            throws IOException {
        int correlationId = 1000 + consumer;
        c.write(new Subscribe(consumer, DestinationKind.QUEUE, queue, null, (byte) 0, null, credit)
                .encode(correlationId));
        List<Entry> entries = new ArrayList<>();
        Frame answer = null;
        int timeouts = 0;
        while (answer == null || entries.size() < n) {
            Frame f;
            try {
                f = c.read();
            } catch (SocketTimeoutException e) {
                if (++timeouts == 6) { // a minute, generous on a loaded machine
                    throw e;
                }
                continue;
            }
            if (f.type() == FrameType.DELIVER) {
                Deliver.read(f.body(), (id, partition, offset, count, record) ->
                        entries.add(new Entry(offset, count, record.copy())));
            } else {
                assertEquals(FrameType.OK, f.type());
                if (f.correlationId() == correlationId) {
                    answer = f;
                }
            }
        }
        return new Subscribed(answer, entries);
    }

    /** The one dead letter in {@code dlq}, decoded. */
    private static WireMessage deadLetter(RawClient c, String dlq) throws IOException {
        return WireMessage.decode(RecordBatch.message(subscribe(c, 99, dlq, 10, 1).entries().get(0).record()));
    }
}
