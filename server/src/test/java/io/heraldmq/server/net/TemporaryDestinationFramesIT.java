package io.heraldmq.server.net;

import io.heraldmq.protocol.Connect;
import io.heraldmq.protocol.Connected;
import io.heraldmq.protocol.CreateTemp;
import io.heraldmq.protocol.DeleteTemp;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ErrorFrame;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.protocol.Produce;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.Subscribe;
import io.heraldmq.protocol.WireMessage;
import io.heraldmq.server.junit.BrokerExtension;
import io.heraldmq.server.meta.MetaStore;
import io.heraldmq.server.meta.MetaStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CREATE_TEMP / DELETE_TEMP on the wire: temporary destinations belong to their connection, leave no metadata rows,
 * and leave no files once deleted, once their connection closes, or after a crash and restart.
 */
class TemporaryDestinationFramesIT {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    private RawClient connected() throws IOException {
        RawClient c = new RawClient(broker.port());
        c.write(new Connect(Connect.PROTOCOL_VERSION, null, null, null).encode(1));
        Frame f = c.read();
        assertEquals(FrameType.CONNECTED, f.type());
        Connected.decode(f.body());
        return c;
    }

    private static Frame request(RawClient c, Buffer frame) throws IOException {
        c.write(frame);
        return c.read();
    }

    private static ErrorCode error(Frame f) {
        assertEquals(FrameType.ERROR, f.type());
        return ErrorFrame.decode(f.body()).code();
    }

    private static Buffer produce(int correlationId, DestinationKind kind, String name) {
        WireMessage m = new WireMessage();
        m.bodyType = WireMessage.BODY_BYTES;
        m.body = Buffer.buffer(new byte[100]);
        RecordBatch.Builder b = new RecordBatch.Builder(RecordBatch.ATTR_PERSISTENT, 200);
        b.add(System.currentTimeMillis(), null, m.encode());
        return new Produce(Produce.FLAG_ACK, kind, name, -1, -1, b.build()).encode(correlationId);
    }

    @Test
    void ownedByTheirConnectionAndGoneWithIt() throws Exception {
        String name = "temp-frames-1";
        DestinationKind tq = DestinationKind.TEMPORARY_QUEUE;
        try (RawClient other = connected()) {
            RawClient owner = connected();
            assertEquals(FrameType.OK, request(owner, new CreateTemp(tq, name).encode(2)).type());
            assertEquals(ErrorCode.INVALID_DESTINATION, error(request(owner, new CreateTemp(tq, name).encode(3))));
            assertEquals(ErrorCode.INVALID_DESTINATION,
                    error(request(owner, new CreateTemp(DestinationKind.QUEUE, "not-temp").encode(4))));
            // The same name as a temporary topic is another destination.
            assertEquals(FrameType.OK, request(owner,
                    new CreateTemp(DestinationKind.TEMPORARY_TOPIC, name).encode(5)).type());

            assertEquals(FrameType.PRODUCE_ACK, request(other, produce(6, tq, name)).type());
            assertEquals(ErrorCode.INVALID_DESTINATION, error(request(other,
                    new Subscribe(1, tq, name, null, (byte) 0, null, 10).encode(7))));
            assertEquals(ErrorCode.INVALID_DESTINATION, error(request(other, new DeleteTemp(tq, name).encode(8))));
            assertTrue(files(broker.dataDir().resolve("temp")) > 0);

            assertEquals(FrameType.OK, request(owner,
                    new DeleteTemp(DestinationKind.TEMPORARY_TOPIC, name).encode(9)).type());
            owner.close();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertEquals(0, files(broker.dataDir().resolve("temp"))));
            assertEquals(ErrorCode.INVALID_DESTINATION, error(request(other, produce(10, tq, name))));
        }
        broker.shutdown();
        Vertx vertx = Vertx.vertx();
        try {
            MetaStore meta = MetaStore.open(vertx, broker.dataDir(), MetaStoreOptions.defaults())
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            try {
                assertFalse(meta.loadTopics().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
                        .stream().anyMatch(t -> t.name().equals(name)), "a temporary queue is not recorded");
                assertTrue(meta.loadPositions("temp-queue:" + name).toCompletionStage().toCompletableFuture()
                        .get(30, TimeUnit.SECONDS).isEmpty(), "nor its position");
                assertTrue(meta.loadSubscriptions().toCompletionStage().toCompletableFuture()
                        .get(30, TimeUnit.SECONDS).isEmpty());
            } finally {
                meta.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void leftoversOfACrashAreDeletedAtStart() throws Exception {
        Path stale = broker.dataDir().resolve("temp").resolve("tq-temp-crashed-1").resolve("0");
        Files.createDirectories(stale);
        Files.write(stale.resolve("00000000000000000000.log"), new byte[128]);
        broker.restart();
        assertEquals(0, files(broker.dataDir().resolve("temp")));
    }

    private static long files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }
}
