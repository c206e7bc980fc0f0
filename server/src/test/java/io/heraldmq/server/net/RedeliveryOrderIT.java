package io.heraldmq.server.net;

import io.heraldmq.protocol.Ack;
import io.heraldmq.protocol.Connect;
import io.heraldmq.protocol.Credit;
import io.heraldmq.protocol.Deliver;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.protocol.Produce;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.Subscribe;
import io.heraldmq.protocol.WireMessage;
import io.heraldmq.server.junit.BrokerExtension;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Records put back by ACK come again in offset order, however the acks were split: several offsets released in one
 * ACK, and a RETURNED ack for later offsets arriving before the RELEASED ack for earlier ones (what a rolled-back
 * transaction or a closing consumer sends).
 */
class RedeliveryOrderIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private record Entry(long offset, int deliveryCount) {
    }

    private boolean subscribed;

    @Test
    void releasedAndReturnedRecordsComeBackInOffsetOrder() throws IOException {
        try (RawClient c = new RawClient(broker.port())) {
            c.write(new Connect(Connect.PROTOCOL_VERSION, null, null, null).encode(1));
            assertEquals(FrameType.CONNECTED, c.read().type());

            RecordBatch.Builder b = new RecordBatch.Builder(RecordBatch.ATTR_PERSISTENT, 1024);
            for (int i = 0; i < 5; i++) {
                WireMessage m = new WireMessage();
                m.bodyType = WireMessage.BODY_BYTES;
                m.body = Buffer.buffer(new byte[]{(byte) i});
                b.add(System.currentTimeMillis(), null, m.encode());
            }
            c.write(new Produce(Produce.FLAG_ACK, DestinationKind.QUEUE, "redelivery-order", -1, -1, b.build())
                    .encode(2));
            assertEquals(FrameType.PRODUCE_ACK, c.read().type());

            c.write(new Subscribe(1, DestinationKind.QUEUE, "redelivery-order", null, (byte) 0, null, 5).encode(3));
            List<Entry> first = readEntries(c, 5);
            assertEquals(List.of(new Entry(0, 1), new Entry(1, 1), new Entry(2, 1), new Entry(3, 1),
                    new Entry(4, 1)), first);
            // Deliveries may overtake the SUBSCRIBE answer; the broker knows the consumer id only once it answered.
            while (!subscribed) {
                Frame f = c.read();
                assertEquals(FrameType.OK, f.type());
                subscribed = f.correlationId() == 3;
            }

            c.write(new Ack(1, Ack.RETURNED, new int[]{0, 0}, new long[]{3, 4}).encode(4));
            c.write(new Ack(1, Ack.RELEASED, new int[]{0, 0, 0}, new long[]{0, 1, 2}).encode(5));
            c.write(new Credit(1, 5).encode());
            List<Entry> again = readEntries(c, 5);
            assertEquals(List.of(new Entry(0, 2), new Entry(1, 2), new Entry(2, 2), new Entry(3, 1),
                    new Entry(4, 1)), again);
        }
    }

    /** Reads frames, noting the SUBSCRIBE's OK, until {@code n} delivered entries have arrived. */
    private List<Entry> readEntries(RawClient c, int n) throws IOException {
        List<Entry> entries = new ArrayList<>();
        while (entries.size() < n) {
            Frame f = c.read();
            if (f.type() == FrameType.DELIVER) {
                Deliver.read(f.body(), (consumer, partition, offset, count, record) ->
                        entries.add(new Entry(offset, count)));
            } else {
                assertEquals(FrameType.OK, f.type());
                subscribed |= f.correlationId() == 3;
            }
        }
        return entries;
    }
}
