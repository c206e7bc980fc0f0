package io.heraldmq.admin;

import io.heraldmq.protocol.Ack;
import io.heraldmq.protocol.Close;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.Produce;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.Subscribe;
import io.heraldmq.protocol.WireMessage;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.function.BiConsumer;

/**
 * One dead-letter queue, read through the ordinary wire protocol: a dead-letter queue is a normal queue, so listing is
 * a queue browse (SUBSCRIBE with BROWSE) and retrying is a consumer that re-sends each message (PRODUCE) to where it
 * came from and then acknowledges it (ACK), so a message is never lost between the two (at worst, after a failure
 * between them, it is in both places).
 */
final class DeadLetterQueue {
    static final String ORIGINAL_DESTINATION = "JMS_HeraldOriginalDestination";
    static final String DELIVERY_COUNT = "JMS_HeraldDeliveryCount";
    static final String FAILURE_REASON = "JMS_HeraldFailureReason";

    private final HeraldAdmin admin;
    private final String name;

    DeadLetterQueue(HeraldAdmin admin, String name) {
        this.admin = admin;
        this.name = name;
    }

    List<DeadLetter> list() {
        List<DeadLetter> out = new ArrayList<>();
        for (HeraldAdmin.Deliveries.Entry e : browse()) {
            out.add(describe(e));
        }
        return out;
    }

    int retry(BiConsumer<Integer, Integer> progress) {
        return take(null, true, progress);
    }

    /**
     * Takes the messages now in the queue (or only those at {@code offsets} of partition 0, if not null) out of
     * it: each is, with {@code resend}, first sent back to where it came from and then acknowledged; without, only
     * acknowledged (deleted). Messages that arrive meanwhile stay.
     *
     * @return how many were taken
     */
    int take(java.util.Collection<Long> offsets, boolean resend, BiConsumer<Integer, Integer> progress) {
        List<HeraldAdmin.Deliveries.Entry> snapshot = browse();
        Set<Long> wanted = new HashSet<>();
        for (HeraldAdmin.Deliveries.Entry e : snapshot) {
            if (offsets == null || e.partition() == 0 && offsets.contains(e.offset())) {
                wanted.add(key(e.partition(), e.offset()));
            }
        }
        if (wanted.isEmpty()) {
            return 0;
        }
        int total = wanted.size();
        int consumerId = QueueBrowse.CONSUMER_IDS.incrementAndGet();
        BlockingQueue<HeraldAdmin.Deliveries.Entry> queue = admin.deliveries().open(consumerId);
        int moved = 0;
        try {
            // Credit for the snapshot only: the queue hands out its oldest messages first, which are those (a message
            // not wanted is returned, and the credit it took is given again).
            HeraldAdmin.await(admin.broker().request(id -> new Subscribe(consumerId, DestinationKind.QUEUE, name, null,
                    (byte) 0, null, snapshot.size()).encode(id)), "consume from " + name);
            while (!wanted.isEmpty()) {
                HeraldAdmin.Deliveries.Entry e = QueueBrowse.poll(queue);
                if (e == null) {
                    break; // someone else took the rest
                }
                long key = key(e.partition(), e.offset());
                if (!wanted.remove(key)) {
                    admin.broker().send(ack(consumerId, Ack.RETURNED, e).encode(0));
                    continue;
                }
                if (resend) {
                    resend(e.record());
                }
                HeraldAdmin.await(admin.broker().request(id -> ack(consumerId, Ack.CONSUMED, e).encode(id)),
                        "acknowledge in " + name);
                moved++;
                progress.accept(moved, total);
            }
        } finally {
            admin.deliveries().close(consumerId);
            HeraldAdmin.await(admin.broker().request(id -> new Close(Close.CONSUMER, consumerId).encode(id)),
                    "close the consumer of " + name);
        }
        return moved;
    }

    private List<HeraldAdmin.Deliveries.Entry> browse() {
        if (!admin.queueExists(name)) {
            throw new HeraldAdminException(ErrorCode.INVALID_DESTINATION, "dead-letter queue '" + name
                    + "' does not exist", null);
        }
        return QueueBrowse.browse(admin, name, Integer.MAX_VALUE / 2);
    }

    /** Sends the message to its original destination, without the dead-letter properties, and waits until stored. */
    private void resend(Buffer record) {
        WireMessage m = WireMessage.decode(RecordBatch.message(record));
        Object original = m.properties.get(ORIGINAL_DESTINATION);
        DestinationKind kind = DestinationKind.QUEUE;
        String target = original == null ? null : String.valueOf(original);
        if (target != null && target.startsWith("topic://")) {
            kind = DestinationKind.TOPIC;
            target = target.substring("topic://".length());
        } else if (target != null && target.startsWith("queue://")) {
            target = target.substring("queue://".length());
        }
        if (target == null || target.isEmpty()) {
            target = name.substring("DLQ.".length());
        }
        m.properties.remove(ORIGINAL_DESTINATION);
        m.properties.remove(DELIVERY_COUNT);
        m.properties.remove(FAILURE_REASON);
        m.destinationKind = kind;
        m.destination = target;
        Buffer message = m.encode();
        RecordBatch.Builder batch = new RecordBatch.Builder(m.persistent ? RecordBatch.ATTR_PERSISTENT : 0,
                RecordBatch.recordBytes(RecordBatch.recordKey(record), message));
        batch.add(System.currentTimeMillis(), RecordBatch.recordKey(record), message);
        Buffer built = batch.build();
        DestinationKind k = kind;
        String t = target;
        HeraldAdmin.await(admin.broker().request(id -> new Produce(Produce.FLAG_ACK, k, t, -1, -1, built).encode(id)),
                "send to " + target);
    }

    private static Ack ack(int consumerId, byte outcome, HeraldAdmin.Deliveries.Entry e) {
        return new Ack(consumerId, outcome, new int[]{e.partition()}, new long[]{e.offset()});
    }

    private static long key(int partition, long offset) {
        return ((long) partition << 48) ^ offset;
    }

    private static DeadLetter describe(HeraldAdmin.Deliveries.Entry e) {
        WireMessage m = WireMessage.decode(RecordBatch.message(e.record()));
        Object count = m.properties.get(DELIVERY_COUNT);
        Object reason = m.properties.get(FAILURE_REASON);
        Object original = m.properties.get(ORIGINAL_DESTINATION);
        String text = m.bodyType == WireMessage.BODY_TEXT && m.body != null
                ? m.body.toString(StandardCharsets.UTF_8) : null;
        return new DeadLetter(e.offset(), m.messageId, original == null ? null : String.valueOf(original),
                count instanceof Number n ? n.intValue() : count == null ? 0 : parseInt(count.toString()),
                reason == null ? null : reason.toString(), m.timestamp,
                Collections.unmodifiableMap(new LinkedHashMap<>(m.properties)), text);
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
