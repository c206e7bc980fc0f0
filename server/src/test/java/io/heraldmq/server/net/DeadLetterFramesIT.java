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
            c.write(new Subscribe(1, DestinationKind.QUEUE, "dlf-policy", null, (byte) 0, null, 1).encode(3));
            Frame ok = c.read();
            assertEquals(FrameType.OK, ok.type());
            assertEquals(new Ok.Redelivery(2, 0), Ok.redelivery(ok.body()));
        }
    }

    @Test
    void aRejectedMessageIsDeadLetteredAtOnceWithTheClientsReason() throws IOException {
        try (RawClient c = connect()) {
            produce(c, "dlf-reject", "bad", "good");
            subscribe(c, 1, "dlf-reject", 2);
            List<Entry> got = readEntries(c, 2);
            c.write(new Ack(1, Ack.REJECTED, new int[]{0}, new long[]{got.get(0).offset()},
                    "unreadable message: bad body").encode(10));
            c.write(new Ack(1, Ack.CONSUMED, new int[]{0}, new long[]{got.get(1).offset()}).encode(11));

            subscribe(c, 2, "DLQ.dlf-reject", 10);
            WireMessage dead = WireMessage.decode(RecordBatch.message(readEntries(c, 1).get(0).record()));
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
            subscribe(c, 1, "dlf-seen", 1);
            Entry e = readEntries(c, 1).get(0);
            assertEquals(1, e.deliveryCount());
            // The client redelivered it locally once more (recover): it saw it twice, so no third delivery.
            c.write(new Ack(1, Ack.RELEASED, new int[]{0}, new long[]{e.offset()}, null, 2).encode(10));
            subscribe(c, 2, "DLQ.dlf-seen", 10);
            WireMessage dead = WireMessage.decode(RecordBatch.message(readEntries(c, 1).get(0).record()));
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
                subscribe(c, 1, "dlf-drop", 1);
                assertEquals(attempt, readEntries(c, 1).get(0).deliveryCount());
            } // dropped without a CLOSE
        }
        try (RawClient c = connect()) {
            subscribe(c, 1, "DLQ.dlf-drop", 10);
            WireMessage dead = WireMessage.decode(RecordBatch.message(readEntries(c, 1).get(0).record()));
            assertEquals(2, dead.properties.get(DeadLetters.DELIVERY_COUNT));
            assertEquals("the consumer's connection was lost", dead.properties.get(DeadLetters.FAILURE_REASON));
        }
    }

    @Test
    void settingsUpdatedWhileConsumersAreAttachedApplyFromTheNextRedelivery() throws Exception {
        try (RawClient c = connect()) {
            produce(c, "dlf-live", "m");
            c.write(new Subscribe(1, DestinationKind.QUEUE, "dlf-live", null, (byte) 0, null, 1).encode(3));
            // The delivery may overtake the answer: it goes out from the partition's context.
            List<Entry> got = new ArrayList<>();
            Frame ok = c.read();
            if (ok.type() == FrameType.DELIVER) {
                Deliver.read(ok.body(), (consumer, partition, offset, count, record) ->
                        got.add(new Entry(offset, count, record.copy())));
                ok = c.read();
            }
            assertEquals(FrameType.OK, ok.type());
            assertEquals(new Ok.Redelivery(2, 0), Ok.redelivery(ok.body()), "the broker-wide default");
            Entry e = got.isEmpty() ? readEntries(c, 1).get(0) : got.get(0);

            RedeliveryPolicy updated = broker.broker().deadLetters().update(true, "dlf-live",
                    new DeadLetterSettings("queue://dlf-live", 1, 0, 1.0, 0, "dlf-live-dead"))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(1, updated.maxDeliveryAttempts());

            c.write(new Ack(1, Ack.RELEASED, new int[]{0}, new long[]{e.offset()}, "listener threw x", 0)
                    .encode(10));
            subscribe(c, 2, "dlf-live-dead", 10);
            WireMessage dead = WireMessage.decode(RecordBatch.message(readEntries(c, 1).get(0).record()));
            assertEquals(1, dead.properties.get(DeadLetters.DELIVERY_COUNT));
            assertEquals("listener threw x", dead.properties.get(DeadLetters.FAILURE_REASON));
        }
        ExecutionException bad = assertThrows(ExecutionException.class, () -> broker.broker().deadLetters()
                .update(true, "dlf-live", new DeadLetterSettings("queue://dlf-live", 0, 0, 1.0, 0, null))
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

    private static void subscribe(RawClient c, int consumer, String queue, int credit) throws IOException {
        c.write(new Subscribe(consumer, DestinationKind.QUEUE, queue, null, (byte) 0, null, credit).encode(3));
    }

    /** Reads frames, skipping OK answers, until {@code n} delivered entries have arrived (generous on a slow box). */
    private static List<Entry> readEntries(RawClient c, int n) throws IOException {
        List<Entry> entries = new ArrayList<>();
        int timeouts = 0;
        while (entries.size() < n) {
            Frame f;
            try {
                f = c.read();
            } catch (SocketTimeoutException e) {
                if (++timeouts == 6) {
                    throw e;
                }
                continue;
            }
            if (f.type() == FrameType.DELIVER) {
                Deliver.read(f.body(), (consumer, partition, offset, count, record) ->
                        entries.add(new Entry(offset, count, record.copy())));
            } else {
                assertEquals(FrameType.OK, f.type());
            }
        }
        return entries;
    }
}
