package io.heraldmq.admin;

import io.heraldmq.client.BrokerConnection;
import io.heraldmq.client.BrokerErrorException;
import io.heraldmq.client.BrokerUri;
import io.heraldmq.client.ClientVertx;
import io.heraldmq.client.ConnectionListener;
import io.heraldmq.protocol.Admin;
import io.heraldmq.protocol.AdminOperation;
import io.heraldmq.protocol.AdminResult;
import io.heraldmq.protocol.Connect;
import io.heraldmq.protocol.Deliver;
import io.heraldmq.protocol.ErrorFrame;
import io.heraldmq.protocol.Frame;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * Administration of one broker over its wire protocol: destinations, subscriptions (listing, replay by moving a
 * subscription, deletion) and dead-letter queues. Not JMS: it speaks to the broker through {@link BrokerConnection}.
 * <pre>
 * try (HeraldAdmin admin = HeraldAdmin.connect("tcp://127.0.0.1:7440")) {
 *     admin.createTopic("orders", 3, -1, -1);
 *     admin.seekToTimestamp("durable:app:audit", Instant.parse("2026-01-01T00:00:00Z"));
 * }
 * </pre>
 * Every method waits for the broker's answer (up to the request timeout, 30 s) and throws
 * {@link HeraldAdminException} on failure. There are no roles yet: a broker with users configured lets any
 * authenticated user administer. Safe for use by one thread at a time.
 */
public final class HeraldAdmin implements AutoCloseable {
    static final long TIMEOUT_MS = 30_000;

    private final BrokerConnection broker;
    private final Deliveries deliveries;
    private boolean closed;

    private HeraldAdmin(BrokerConnection broker, Deliveries deliveries) {
        this.broker = broker;
        this.deliveries = deliveries;
    }

    /** Connects anonymously. */
    public static HeraldAdmin connect(String url) {
        return connect(url, null, null);
    }

    /**
     * Connects to the broker at {@code url} ({@code tcp://host:port}).
     *
     * @throws HeraldAdminException if the URL is bad, the broker cannot be reached or refuses the credentials
     */
    public static HeraldAdmin connect(String url, String user, String password) {
        BrokerUri uri;
        try {
            uri = BrokerUri.parse(url);
        } catch (IllegalArgumentException e) {
            throw new HeraldAdminException(null, e.getMessage(), e);
        }
        Vertx vertx = ClientVertx.acquire();
        Deliveries deliveries = new Deliveries();
        try {
            BrokerConnection c = await(BrokerConnection.open(vertx, uri, new Connect(Connect.PROTOCOL_VERSION, null,
                    user, password), deliveries, (int) TIMEOUT_MS), "connect to " + uri);
            return new HeraldAdmin(c, deliveries);
        } catch (RuntimeException e) {
            ClientVertx.release();
            throw e;
        }
    }

    // ---------------------------------------------------------------- destinations

    /**
     * Creates a topic.
     *
     * @param partitions     1 or more; 0 or less for the broker's default (queues: 1)
     * @param retentionMs    how long messages are kept; -1 for the broker's default ({@code log.retention.ms})
     * @param retentionBytes how many bytes per partition are kept; -1 for the broker's default
     *                       ({@code log.retention.bytes})
     * @throws HeraldAdminException ILLEGAL_STATE if it exists, INVALID_ARGUMENT for bad numbers
     */
    public void createTopic(String name, int partitions, long retentionMs, long retentionBytes) {
        create("topic", name, partitions, retentionMs, retentionBytes);
    }

    /** Creates a queue; as {@link #createTopic}. */
    public void createQueue(String name, int partitions, long retentionMs, long retentionBytes) {
        create("queue", name, partitions, retentionMs, retentionBytes);
    }

    private void create(String kind, String name, int partitions, long retentionMs, long retentionBytes) {
        request(AdminOperation.CREATE_TOPIC, "name", name, "kind", kind, "partitions", partitions > 0 ? partitions : null,
                "retention.ms", retentionMs, "retention.bytes", retentionBytes);
    }

    /**
     * Deletes a topic with its messages and subscriptions.
     *
     * @param force even while consumers are attached (they receive nothing more)
     * @throws HeraldAdminException INVALID_DESTINATION if there is no such topic, ILLEGAL_STATE if consumers are
     *                              attached and not {@code force}
     */
    public void deleteTopic(String name, boolean force) {
        request(AdminOperation.DELETE_TOPIC, "name", name, "kind", "topic", "force", force);
    }

    /** Deletes a queue with its messages; as {@link #deleteTopic}. */
    public void deleteQueue(String name, boolean force) {
        request(AdminOperation.DELETE_TOPIC, "name", name, "kind", "queue", "force", force);
    }

    public List<TopicInfo> listTopics() {
        AdminResult r = request(AdminOperation.LIST_TOPICS);
        List<TopicInfo> out = new ArrayList<>();
        for (int i = 0; i < r.rows().size(); i++) {
            out.add(new TopicInfo(r.get(i, "name"), "queue".equals(r.get(i, "kind")),
                    Integer.parseInt(r.get(i, "partitions")), Long.parseLong(r.get(i, "retention.ms")),
                    Long.parseLong(r.get(i, "retention.bytes")), Long.parseLong(r.get(i, "size.bytes")),
                    Long.parseLong(r.get(i, "messages")), partitionLogs(r, i)));
        }
        return out;
    }

    /** The per-partition columns of LIST_TOPICS; empty from a broker that does not send them. */
    private static Map<Integer, TopicInfo.PartitionLog> partitionLogs(AdminResult r, int row) {
        Map<Integer, TopicInfo.PartitionLog> out = new TreeMap<>();
        if (!r.columns().contains("log.end.by.partition")) {
            return out;
        }
        Map<Integer, Long> start = byPartition(r.get(row, "log.start.by.partition"));
        Map<Integer, Long> end = byPartition(r.get(row, "log.end.by.partition"));
        Map<Integer, Long> size = byPartition(r.get(row, "size.by.partition"));
        end.forEach((p, e) -> out.put(p, new TopicInfo.PartitionLog(start.getOrDefault(p, 0L), e,
                size.getOrDefault(p, 0L))));
        return out;
    }

    /** "0=12,1=3" as a map. */
    private static Map<Integer, Long> byPartition(String parts) {
        Map<Integer, Long> byPartition = new TreeMap<>();
        if (parts != null && !parts.isEmpty()) {
            for (String p : parts.split(",")) {
                int eq = p.indexOf('=');
                byPartition.put(Integer.parseInt(p.substring(0, eq)), Long.parseLong(p.substring(eq + 1)));
            }
        }
        return byPartition;
    }

    // ---------------------------------------------------------------- subscriptions

    public List<SubscriptionInfo> listSubscriptions() {
        return listSubscriptions(null);
    }

    /** @param topic only this destination's subscriptions; null for all */
    public List<SubscriptionInfo> listSubscriptions(String topic) {
        AdminResult r = request(AdminOperation.LIST_SUBSCRIPTIONS, "topic", topic);
        List<SubscriptionInfo> out = new ArrayList<>();
        for (int i = 0; i < r.rows().size(); i++) {
            Map<Integer, Long> byPartition = byPartition(r.get(i, "backlog.by.partition"));
            out.add(new SubscriptionInfo(r.get(i, "id"), "queue".equals(r.get(i, "kind")), r.get(i, "topic"),
                    r.get(i, "name"), r.get(i, "client.id"), Boolean.parseBoolean(r.get(i, "durable")),
                    Boolean.parseBoolean(r.get(i, "shared")), r.get(i, "selector"),
                    Integer.parseInt(r.get(i, "consumers")), Long.parseLong(r.get(i, "backlog")), byPartition,
                    Long.parseLong(r.get(i, "expired")), Long.parseLong(r.get(i, "retention.ms"))));
        }
        return out;
    }

    /**
     * Replay: moves a durable subscription or a queue (by its id, see {@link SubscriptionInfo#id()}) so that its
     * next message is the first one sent at or after {@code time}, in every partition. The subscription must have
     * no consumer attached. Messages from there on are delivered again as new ones (JMSRedelivered false).
     *
     * @return the new offset of each partition
     */
    public Map<Integer, Long> seekToTimestamp(String subscriptionId, Instant time) {
        return seek(subscriptionId, "timestamp", time.toEpochMilli(), -1);
    }

    /**
     * Moves a subscription to an offset (clamped to what the log holds).
     *
     * @param partition the partition to move, or -1 for every one
     */
    public Map<Integer, Long> seekToOffset(String subscriptionId, int partition, long offset) {
        return seek(subscriptionId, "offset", offset, partition);
    }

    /** Moves a subscription to the oldest message its log holds: everything retained is delivered again. */
    public Map<Integer, Long> seekToBeginning(String subscriptionId) {
        return seek(subscriptionId, "beginning", null, -1);
    }

    /** Moves a subscription to the log end: its backlog is skipped. */
    public Map<Integer, Long> seekToEnd(String subscriptionId) {
        return seek(subscriptionId, "end", null, -1);
    }

    private Map<Integer, Long> seek(String id, String to, Long value, int partition) {
        AdminResult r = request(AdminOperation.SEEK_SUBSCRIPTION, "id", id, "to", to, "value", value,
                "partition", partition < 0 ? null : partition);
        Map<Integer, Long> out = new TreeMap<>();
        for (int i = 0; i < r.rows().size(); i++) {
            out.put(Integer.parseInt(r.get(i, "partition")), Long.parseLong(r.get(i, "offset")));
        }
        return out;
    }

    /** Deletes a durable subscription (unsubscribe) that has no consumer attached. */
    public void deleteSubscription(String subscriptionId) {
        request(AdminOperation.DELETE_SUBSCRIPTION, "id", subscriptionId);
    }

    /**
     * Sets how long the broker keeps the messages a durable subscription has not acknowledged: a closed log segment
     * goes once the topic's own limits allow it and every subscription has acknowledged it or kept it longer than
     * its retention. New durable subscriptions start with the broker's {@code subscription.retention.ms} (7 days).
     *
     * @param subscription the subscription's id ({@link SubscriptionInfo#id()}), or its name if only one durable
     *                     subscription of {@code topic} has it
     * @return the subscription's id
     * @throws HeraldAdminException INVALID_DESTINATION if the topic or the subscription does not exist,
     *                              INVALID_ARGUMENT if it is not durable, the name is ambiguous or the retention is
     *                              not positive
     */
    public String setSubscriptionRetention(String topic, String subscription, long retentionMs) {
        AdminResult r = request(AdminOperation.SET_SUBSCRIPTION_RETENTION, "topic", topic, "subscription",
                subscription, "retention.ms", retentionMs);
        return r.get(0, "id");
    }

    // ---------------------------------------------------------------- dead letters

    /**
     * The messages in the dead-letter queue of {@code destination} ({@code DLQ.<destination>}; a name that starts
     * with {@code DLQ.} is taken as the dead-letter queue itself), oldest first, without consuming them.
     *
     * @throws HeraldAdminException INVALID_DESTINATION if that dead-letter queue does not exist
     */
    public List<DeadLetter> listDeadLetters(String destination) {
        return new DeadLetterQueue(this, dlqName(destination)).list();
    }

    /**
     * Moves the messages now in the dead-letter queue of {@code destination} back to the destination each came from
     * ({@code JMS_HeraldOriginalDestination}; without it, the queue the dead-letter queue is named after): each is
     * sent again (persistent, as a new message with the same JMSMessageID, without the dead-letter properties) and
     * then acknowledged in the dead-letter queue. Messages that arrive in the dead-letter queue meanwhile stay.
     *
     * @return how many messages were moved
     */
    public int retryDeadLetters(String destination) {
        return retryDeadLetters(destination, (moved, total) -> { });
    }

    /**
     * As {@link #retryDeadLetters(String)}, telling {@code progress} after each message moved how many have been
     * moved and how many the dead-letter queue held when the retry began (a command line shows it on long runs).
     * {@code progress} runs on the calling thread.
     */
    public int retryDeadLetters(String destination, BiConsumer<Integer, Integer> progress) {
        return new DeadLetterQueue(this, dlqName(destination)).retry(progress);
    }

    /**
     * Moves one message of the dead-letter queue of {@code destination} back, as {@link #retryDeadLetters(String)}.
     *
     * @param offset its offset there ({@link DeadLetter#offset()})
     * @return 1, or 0 if no message at that offset is in the dead-letter queue (any more)
     */
    public int retryDeadLetter(String destination, long offset) {
        return new DeadLetterQueue(this, dlqName(destination)).take(java.util.Set.of(offset), true, (m, t) -> { });
    }

    /**
     * Deletes the messages now in the dead-letter queue of {@code destination} (acknowledges them there without
     * sending them anywhere). Messages that arrive in the dead-letter queue meanwhile stay.
     *
     * @return how many were deleted
     */
    public int deleteDeadLetters(String destination) {
        return deleteDeadLetters(destination, (deleted, total) -> { });
    }

    /**
     * As {@link #deleteDeadLetters(String)}, telling {@code progress} after each message deleted how many have been
     * deleted and how many the dead-letter queue held when the deletion began. {@code progress} runs on the calling
     * thread.
     */
    public int deleteDeadLetters(String destination, BiConsumer<Integer, Integer> progress) {
        return new DeadLetterQueue(this, dlqName(destination)).take(null, false, progress);
    }

    /**
     * Deletes one message of the dead-letter queue of {@code destination}.
     *
     * @return 1, or 0 if no message at that offset is in the dead-letter queue (any more)
     */
    public int deleteDeadLetter(String destination, long offset) {
        return new DeadLetterQueue(this, dlqName(destination)).take(java.util.Set.of(offset), false, (m, t) -> { });
    }

    // ---------------------------------------------------------------- browsing

    /**
     * Up to {@code max} messages still in {@code queue} (not acknowledged, not expired, due), oldest first, without
     * consuming them: a queue browse, as JMS's QueueBrowser. Topics cannot be browsed (replay a durable subscription
     * instead). Needs the {@code browse} permission on the queue.
     *
     * @param max 1 or more: the broker sends no more than this
     */
    public List<BrowsedMessage> browseQueue(String queue, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be 1 or more, was " + max);
        }
        List<BrowsedMessage> out = new ArrayList<>();
        for (Deliveries.Entry e : QueueBrowse.browse(this, queue, max)) {
            out.add(BrowsedMessages.describe(e));
        }
        return out;
    }

    /**
     * The redelivery and dead-letter policy of a queue ({@code queue == true}) or topic: its own settings, else the
     * broker's defaults.
     *
     * @throws HeraldAdminException INVALID_DESTINATION if there is no such destination
     */
    public RedeliverySettings redeliverySettings(boolean queue, String name) {
        return updateRedeliverySettings(queue, name, null, null, null, null, null);
    }

    /**
     * Changes the values given (null: unchanged) of a queue's or topic's redelivery and dead-letter policy. The
     * change is stored by the broker, so it outlives a restart, and applies at once to messages redelivered from
     * then on; consumers that subscribe later are told the new limit and delay.
     *
     * @param maxDeliveryAttempts  deliveries before a message goes to the dead-letter queue: 1 or more, -1 unlimited
     * @param redeliveryDelayMs    wait before the first redelivery: 0 or more
     * @param multiplier           growth of the wait per redelivery: 1.0 or more
     * @param maxRedeliveryDelayMs cap of the wait, not below the delay; 0 = no cap
     * @param deadLetterQueue      the queue its dead letters go to
     * @return the settings now in effect
     * @throws HeraldAdminException INVALID_DESTINATION if there is no such destination, INVALID_ARGUMENT for values
     *                              out of range
     */
    public RedeliverySettings updateRedeliverySettings(boolean queue, String name, Integer maxDeliveryAttempts,
                                                       Long redeliveryDelayMs, Double multiplier,
                                                       Long maxRedeliveryDelayMs, String deadLetterQueue) {
        AdminResult r = request(AdminOperation.DEAD_LETTER_SETTINGS, "name", name, "kind", queue ? "queue" : "topic",
                "max.delivery.attempts", maxDeliveryAttempts, "redelivery.delay.ms", redeliveryDelayMs,
                "redelivery.multiplier", multiplier, "max.redelivery.delay.ms", maxRedeliveryDelayMs,
                "dead.letter.queue", deadLetterQueue);
        return new RedeliverySettings("queue".equals(r.get(0, "kind")), r.get(0, "name"),
                Integer.parseInt(r.get(0, "max.delivery.attempts")), Long.parseLong(r.get(0, "redelivery.delay.ms")),
                Double.parseDouble(r.get(0, "redelivery.multiplier")),
                Long.parseLong(r.get(0, "max.redelivery.delay.ms")), r.get(0, "dead.letter.queue"),
                "destination".equals(r.get(0, "source")));
    }

    static String dlqName(String destination) {
        return destination.startsWith("DLQ.") ? destination : "DLQ." + destination;
    }

    /** Whether a queue of that name exists (without creating it, as sending to or browsing it would). */
    boolean queueExists(String name) {
        for (TopicInfo t : listTopics()) {
            if (t.queue() && t.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- cluster

    /**
     * The live brokers and every partition's replicas, leader, ISR, epoch and replica lag.
     *
     * @throws HeraldAdminException ILLEGAL_STATE if the broker is not clustered
     */
    public ClusterStatus clusterStatus() {
        AdminResult r = request(AdminOperation.CLUSTER_STATUS);
        List<ClusterStatus.Member> members = new ArrayList<>();
        List<ClusterStatus.Partition> partitions = new ArrayList<>();
        for (int i = 0; i < r.rows().size(); i++) {
            if ("member".equals(r.get(i, "type"))) {
                members.add(new ClusterStatus.Member(r.get(i, "id"), r.get(i, "address"),
                        Boolean.parseBoolean(r.get(i, "coordinator"))));
                continue;
            }
            Map<String, Long> lag = new LinkedHashMap<>();
            String lags = r.get(i, "lag");
            if (lags != null && !lags.isEmpty()) {
                for (String l : lags.split(",")) {
                    int eq = l.indexOf('=');
                    if (!l.substring(eq + 1).equals("-")) {
                        lag.put(l.substring(0, eq), Long.parseLong(l.substring(eq + 1)));
                    }
                }
            }
            partitions.add(new ClusterStatus.Partition("queue".equals(r.get(i, "kind")), r.get(i, "destination"),
                    Integer.parseInt(r.get(i, "partition")), r.get(i, "leader"), ids(r.get(i, "replicas")),
                    ids(r.get(i, "isr")), Integer.parseInt(r.get(i, "epoch")), lag));
        }
        return new ClusterStatus(members, partitions);
    }

    /**
     * Moves the leadership of every partition {@code brokerId} leads to another in-sync replica, e.g. before
     * stopping it; with {@code moveReplicas} its replicas move to other brokers too (decommissioning it). Returns
     * once the coordinator updated the partition table; the replication layer then hands over.
     *
     * @throws HeraldAdminException ILLEGAL_STATE if the broker is not clustered or the coordinator refused
     */
    public void drainBroker(String brokerId, boolean moveReplicas) {
        request(AdminOperation.CLUSTER_DRAIN, "broker", brokerId, "replicas", moveReplicas);
    }

    /** Spreads replicas and leaderships evenly over the live brokers, e.g. after adding one. */
    public void rebalanceCluster() {
        request(AdminOperation.CLUSTER_REBALANCE);
    }

    // ---------------------------------------------------------------- XA transactions

    /** The XA branches the broker holds: prepared, or decided by an operator and not yet forgotten. */
    public List<PreparedTransaction> listTransactions() {
        AdminResult r = request(AdminOperation.TX_LIST);
        List<PreparedTransaction> out = new ArrayList<>();
        for (int i = 0; i < r.rows().size(); i++) {
            out.add(new PreparedTransaction(r.get(i, "xid"), r.get(i, "state"),
                    Long.parseLong(r.get(i, "prepared.at")), Integer.parseInt(r.get(i, "messages")),
                    Integer.parseInt(r.get(i, "consumed")), ids(r.get(i, "destinations"))));
        }
        return out;
    }

    /**
     * Commits a prepared XA branch whose transaction manager will not (a heuristic decision: only when it is known to
     * be lost or stuck). Its messages are delivered and what it consumed is acknowledged; the transaction manager's
     * own commit is answered XA_HEURCOM, its rollback too, until it forgets the branch.
     *
     * @param xid {@code formatId:gtridHex:bqualHex}, as {@link #listTransactions()} shows it
     * @throws HeraldAdminException XA_UNKNOWN_XID if no such branch is prepared, INVALID_ARGUMENT for a bad xid
     */
    public void commitTransaction(String xid) {
        request(AdminOperation.TX_COMMIT, "xid", xid);
    }

    /** Rolls a prepared XA branch back heuristically; as {@link #commitTransaction} (XA_HEURRB). */
    public void rollbackTransaction(String xid) {
        request(AdminOperation.TX_ROLLBACK, "xid", xid);
    }

    private static List<String> ids(String csv) {
        return csv == null || csv.isEmpty() ? List.of() : List.of(csv.split(","));
    }

    // ---------------------------------------------------------------- plumbing

    BrokerConnection broker() {
        return broker;
    }

    Deliveries deliveries() {
        return deliveries;
    }

    private AdminResult request(AdminOperation op, Object... nameValues) {
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            if (nameValues[i + 1] != null) {
                args.put((String) nameValues[i], String.valueOf(nameValues[i + 1]));
            }
        }
        Frame f = await(broker.request(id -> new Admin(op, args).encode(id)), op.name().toLowerCase());
        return AdminResult.decode(f.body());
    }

    static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HeraldAdminException(null, what + " was interrupted", e);
        } catch (TimeoutException e) {
            throw new HeraldAdminException(null, what + ": no answer from the broker in " + TIMEOUT_MS + " ms", e);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof BrokerErrorException b) {
                throw new HeraldAdminException(b.code(), b.getMessage(), b);
            }
            if (cause instanceof IOException) {
                throw new HeraldAdminException(null, cause.getMessage(), cause);
            }
            throw new HeraldAdminException(null, what + " failed: " + cause, cause);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            broker.close().toCompletionStage().toCompletableFuture().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // closing anyway; nothing to report to a caller that is done
        } finally {
            ClientVertx.release();
        }
    }

    /** DELIVER entries by consumer id, handed from the connection's event loop to the waiting caller. */
    static final class Deliveries implements ConnectionListener {
        /** One DELIVER entry; {@code record == null} marks the end of a browse. */
        record Entry(int partition, long offset, int deliveryCount, Buffer record) {
        }

        private final Map<Integer, java.util.concurrent.BlockingQueue<Entry>> byConsumer =
                new java.util.concurrent.ConcurrentHashMap<>();

        java.util.concurrent.BlockingQueue<Entry> open(int consumerId) {
            java.util.concurrent.BlockingQueue<Entry> q = new java.util.concurrent.LinkedBlockingQueue<>();
            byConsumer.put(consumerId, q);
            return q;
        }

        void close(int consumerId) {
            byConsumer.remove(consumerId);
        }

        @Override
        public void onDeliver(Buffer body) {
            Deliver.read(body, new Deliver.Visitor() {
                @Override
                public void entry(int consumerId, int partition, long offset, int deliveryCount, Buffer record) {
                    var q = byConsumer.get(consumerId);
                    if (q != null) {
                        q.add(new Entry(partition, offset, deliveryCount, record.copy()));
                    }
                }

                @Override
                public void end(int consumerId) {
                    var q = byConsumer.get(consumerId);
                    if (q != null) {
                        q.add(new Entry(0, -1, 0, null));
                    }
                }
            });
        }

        @Override
        public void onError(ErrorFrame error) {
            // Only one-way frames cause these; the admin sends none whose failure matters (credit).
        }

        @Override
        public void onClosed(Throwable cause) {
            for (var q : byConsumer.values()) {
                q.add(new Entry(0, -2, 0, null));
            }
        }
    }
}
