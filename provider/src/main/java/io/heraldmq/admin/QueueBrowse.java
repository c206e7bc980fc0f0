package io.heraldmq.admin;

import io.heraldmq.protocol.Close;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.Subscribe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A queue browse through the wire protocol (SUBSCRIBE with BROWSE, like a JMS QueueBrowser): at most {@code max}
 * messages still in the queue, without consuming them. The browser's credit is {@code max}, so the broker sends no
 * more than asked for; the browse ends at the broker's end marker or at {@code max} messages, whichever comes first.
 */
final class QueueBrowse {
    static final AtomicInteger CONSUMER_IDS = new AtomicInteger(1 << 30);

    private QueueBrowse() {
    }

    /** The entries, by partition and offset. */
    static List<HeraldAdmin.Deliveries.Entry> browse(HeraldAdmin admin, String queue, int max) {
        int consumerId = CONSUMER_IDS.incrementAndGet();
        BlockingQueue<HeraldAdmin.Deliveries.Entry> deliveries = admin.deliveries().open(consumerId);
        List<HeraldAdmin.Deliveries.Entry> out = new ArrayList<>();
        try {
            HeraldAdmin.await(admin.broker().request(id -> new Subscribe(consumerId, DestinationKind.QUEUE, queue,
                    null, Subscribe.FLAG_BROWSE, null, max).encode(id)), "browse " + queue);
            while (out.size() < max) {
                HeraldAdmin.Deliveries.Entry e = poll(deliveries);
                if (e == null || e.offset() == -2) {
                    throw new HeraldAdminException(null, "browsing " + queue + " did not finish", null);
                }
                if (e.record() == null) {
                    break;
                }
                out.add(e);
            }
        } finally {
            admin.deliveries().close(consumerId);
            HeraldAdmin.await(admin.broker().request(id -> new Close(Close.CONSUMER, consumerId).encode(id)),
                    "close the browser of " + queue);
        }
        out.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
                : Long.compare(a.offset(), b.offset()));
        return out;
    }

    static HeraldAdmin.Deliveries.Entry poll(BlockingQueue<HeraldAdmin.Deliveries.Entry> queue) {
        try {
            return queue.poll(HeraldAdmin.TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HeraldAdminException(null, "interrupted", e);
        }
    }
}
