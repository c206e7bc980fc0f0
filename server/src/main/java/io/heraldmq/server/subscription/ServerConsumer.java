package io.heraldmq.server.subscription;

import io.heraldmq.protocol.Ack;
import io.heraldmq.protocol.Deliver;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A client's consumer as the broker sees it: its links into every partition of its subscription and the way back
 * to its connection. Created and used on the connection's context; work on a partition hops to that partition's
 * context.
 */
public final class ServerConsumer {
    private final int id;
    private final Subscription subscription;
    private final Function<Buffer, Future<Void>> out;
    private final ConsumerLink[] links;
    private final boolean browser;
    /** Partitions a browser has not finished yet. */
    private final AtomicInteger browsing;

    ServerConsumer(int id, Subscription subscription, Function<Buffer, Future<Void>> out, int partitions, boolean browser) {
        this.id = id;
        this.subscription = subscription;
        this.out = out;
        this.links = new ConsumerLink[partitions];
        this.browser = browser;
        this.browsing = new AtomicInteger(partitions);
    }

    public int id() {
        return id;
    }

    public Subscription subscription() {
        return subscription;
    }

    void link(int partition, ConsumerLink link) {
        links[partition] = link;
    }

    /** @return completes once the frame is written, fails if it cannot be (the connection closed) */
    Future<Void> send(Buffer frame) {
        return out.apply(frame);
    }

    /**
     * A browser finished one partition (after writing its last DELIVER there); after the last one, the empty DELIVER
     * that ends a browse goes out. Called from the partitions' contexts: the counter orders the marker after every
     * partition's last frame.
     */
    void browseEnded() {
        if (browsing.decrementAndGet() == 0) {
            out.apply(new Deliver.Builder(id, 0).build());
        }
    }

    /** Grants {@code messages} more credit in every partition (see the architecture notes on multi-partition credit). */
    public void credit(int messages) {
        for (ConsumerLink link : links) {
            link.subscription.partition().run(() -> link.subscription.addCredit(link, messages));
        }
    }

    /**
     * Settles deliveries; entries are grouped so each partition is visited once.
     *
     * @return completes once every partition applied its part (for a durable subscription the new positions are
     *         then in the metadata store's buffer)
     */
    public Future<Void> settle(Ack ack) {
        int[] partitions = ack.partitions();
        long[] offsets = ack.offsets();
        List<Future<Void>> settled = new ArrayList<>();
        for (int p = 0; p < links.length; p++) {
            int count = 0;
            for (int partition : partitions) {
                if (partition == p) {
                    count++;
                }
            }
            if (count == 0) {
                continue;
            }
            long[] mine = new long[count];
            int n = 0;
            for (int i = 0; i < partitions.length; i++) {
                if (partitions[i] == p) {
                    mine[n++] = offsets[i];
                }
            }
            ConsumerLink link = links[p];
            // Only deliveries put back give the dispatcher something new; consumed ones change no credit.
            boolean putBack = ack.outcome() == Ack.RELEASED || ack.outcome() == Ack.RETURNED;
            Promise<Void> done = Promise.promise();
            link.subscription.partition().run(() -> {
                link.subscription.settle(link, mine, ack);
                if (putBack) {
                    link.subscription.dispatch();
                }
                done.complete();
            });
            settled.add(done.future());
        }
        return Future.all(settled).mapEmpty();
    }

    /**
     * A prepared XA branch consumed these deliveries ({@code ack}'s partitions and offsets): they are held for it
     * ({@link HeldDeliveries}) rather than settled.
     *
     * @return the entries that could not be held (no longer in flight to this consumer), as [partition, offset]
     *         pairs; empty if all were
     */
    public Future<List<long[]>> hold(Ack ack) {
        int[] partitions = ack.partitions();
        long[] offsets = ack.offsets();
        List<long[]> missed = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Future<Void>> done = new ArrayList<>();
        for (int p = 0; p < links.length; p++) {
            List<Long> mine = new ArrayList<>();
            for (int i = 0; i < partitions.length; i++) {
                if (partitions[i] == p) {
                    mine.add(offsets[i]);
                }
            }
            if (mine.isEmpty()) {
                continue;
            }
            ConsumerLink link = links[p];
            int partition = p;
            Promise<Void> held = Promise.promise();
            link.subscription.partition().run(() -> {
                for (long offset : mine) {
                    if (!link.subscription.hold(link, offset)) {
                        missed.add(new long[]{partition, offset});
                    }
                }
                held.complete();
            });
            done.add(held.future());
        }
        for (int partition : partitions) {
            if (partition < 0 || partition >= links.length) {
                missed.add(new long[]{partition, -1});
                break;
            }
        }
        return Future.all(done).map(v -> List.copyOf(missed));
    }

    /**
     * Detaches from every partition; unsettled deliveries return to the subscription.
     *
     * @param graceful the client closed the consumer (and released what its application saw); otherwise the
     *                 connection dropped and every unsettled delivery counts as delivered
     */
    public Future<Void> close(boolean graceful) {
        List<Future<Void>> detached = new ArrayList<>();
        for (ConsumerLink link : links) {
            if (link == null) {
                continue;
            }
            Promise<Void> p = Promise.promise();
            link.subscription.partition().run(() -> {
                link.subscription.detach(link, !graceful);
                p.complete();
            });
            detached.add(p.future());
        }
        return Future.all(detached).compose(v -> browser ? Future.<Void>succeededFuture()
                : subscription.consumerClosed());
    }
}
