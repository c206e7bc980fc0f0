package io.heraldmq.server.replication;

import io.heraldmq.server.cluster.PartitionAssignment;
import io.heraldmq.server.cluster.PartitionKey;
import io.heraldmq.server.cluster.PartitionTable;
import io.heraldmq.server.cluster.ReplicaState;
import io.heraldmq.server.cluster.ReplicaStates;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.partition.Topic;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every replicated partition of this broker: makes each partition of a clustered destination a
 * {@link PartitionReplica} before any client uses it, hands it the partition table's proposals, and publishes what
 * each replica holds ({@link ReplicaStates}, every {@link #PUBLISH_INTERVAL_MS}) and, for the partitions it leads,
 * the in-sync set. Temporary destinations are not replicated: they live with their connection.
 */
public final class ReplicaManager {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaManager.class);
    static final long PUBLISH_INTERVAL_MS = 1_000;
    static final long RESYNC_INTERVAL_MS = 5_000;
    /** After a membership change the table is read this often ... */
    static final long FAST_RESYNC_INTERVAL_MS = 250;
    /** ... for this long: the coordinator writes the new leaders within a second or two of a departure. */
    static final long FAST_RESYNC_FOR_MS = 4_000;

    private final Vertx vertx;
    private final String localId;
    private final ReplicationPeers peers;
    private final PartitionTable table;
    private final ReplicaStates states;
    private final ReplicatedMetadata metadata;
    private final java.util.function.Consumer<Topic> leadershipLost;
    /** What each new leader does before it serves ({@link PartitionReplica#gate}). */
    private final java.util.function.Function<PartitionReplica, Future<Void>> gate;
    private final Map<String, PartitionReplica> replicas = new ConcurrentHashMap<>();
    private final Map<String, ReplicaState> published = new ConcurrentHashMap<>();
    private final Map<String, List<String>> reportedIsr = new ConcurrentHashMap<>();
    private final Set<String> publishing = ConcurrentHashMap.newKeySet();
    private final Set<String> reportingIsr = ConcurrentHashMap.newKeySet();
    private final long timer;
    private long resyncTimer = -1;
    /** The fast resyncs after a membership change ({@link #resyncForAWhile}); touched on one context only. */
    private long fastResyncTimer = -1;
    private long fastResyncUntilMs;

    /**
     * @param leadershipLost told (on the partition's context) when this broker stops leading a partition of the
     *                       topic: its consumers of that topic must go elsewhere
     */
    private java.util.function.BiConsumer<PartitionKey, PartitionAssignment> alsoOnResync = (k, a) -> { };

    public ReplicaManager(Vertx vertx, String localId, ReplicationPeers peers, PartitionTable table,
                          ReplicaStates states, ReplicatedMetadata metadata,
                          java.util.function.Consumer<Topic> leadershipLost,
                          java.util.function.Function<PartitionReplica, Future<Void>> gate) {
        this.vertx = vertx;
        this.gate = gate;
        this.metadata = metadata;
        this.leadershipLost = leadershipLost;
        this.localId = localId;
        this.peers = peers;
        this.table = table;
        this.states = states;
        this.timer = vertx.setPeriodic(PUBLISH_INTERVAL_MS, t -> publish());
    }

    /** Starts listening to the partition table, and reading it whole every {@link #RESYNC_INTERVAL_MS}. */
    public Future<Void> start() {
        resyncTimer = vertx.setPeriodic(RESYNC_INTERVAL_MS, t -> {
            resync();
            checkpointMetadata();
        });
        return table.listen(vertx.getOrCreateContext(), this::assignmentChanged);
    }

    /**
     * Applies the whole table again. Entry events can be missed: a broker cut off from the others rejoins through
     * Hazelcast's split-brain merge, which replaces its copy of the maps. Proposals already acted on are ignored by
     * the replicas, so this costs one read of the table.
     */
    public void resync() {
        table.all().onSuccess(all -> all.forEach((key, assignment) -> {
            assignmentChanged(key, assignment);
            alsoOnResync.accept(key, assignment);
        }));
    }

    /**
     * Reads the table now and then every {@link #FAST_RESYNC_INTERVAL_MS} for {@link #FAST_RESYNC_FOR_MS}; called on
     * every membership change, always from the same context. A departure is when entry events go missing: Hazelcast
     * promotes the departed member's backups at the very moment the coordinator writes the new leaders, and the
     * events of those writes can be lost. With only the periodic resync, a follower learnt its new leader (so the
     * leader's high watermark moved) and the router learnt where to relay up to {@link #RESYNC_INTERVAL_MS} later:
     * ClusterChaosIT saw one failover in eight take 4 to 6 s, all of it spent waiting for a table read.
     */
    public void resyncForAWhile() {
        resync();
        fastResyncUntilMs = System.currentTimeMillis() + FAST_RESYNC_FOR_MS;
        if (fastResyncTimer < 0) {
            fastResyncTimer = vertx.setPeriodic(FAST_RESYNC_INTERVAL_MS, t -> {
                if (System.currentTimeMillis() > fastResyncUntilMs) {
                    vertx.cancelTimer(t);
                    fastResyncTimer = -1;
                    return;
                }
                resync();
            });
        }
    }

    /**
     * Also gives every entry of each whole-table read to {@code listener} (the router's leaders miss the same lost
     * events the replicas do), so the table is read once per resync. Before {@link #start}.
     */
    public void alsoOnResync(java.util.function.BiConsumer<PartitionKey, PartitionAssignment> listener) {
        this.alsoOnResync = listener;
    }

    /**
     * Moves every replica's metadata checkpoint up to what it has applied: takes the candidates, syncs the store,
     * then writes them (see {@link UnappliedMetadata}). One round at a time.
     */
    public Future<Void> checkpointMetadata() {
        if (!checkpointing.compareAndSet(false, true)) {
            return Future.succeededFuture();
        }
        List<Future<Runnable>> candidates = new ArrayList<>();
        for (PartitionReplica r : replicas.values()) {
            Promise<Runnable> candidate = Promise.promise();
            r.partition().run(() -> {
                long at = r.metadataCheckpointCandidate();
                candidate.complete(at < 0 ? null : () -> {
                    if (r.closed()) {
                        return; // its destination was deleted meanwhile
                    }
                    try {
                        r.writeMetadataCheckpoint(at);
                    } catch (java.nio.file.NoSuchFileException e) {
                        // the partition's directory went with its destination, deleted meanwhile
                    } catch (java.io.IOException e) {
                        LOG.warn("{}: could not write the metadata checkpoint: {}", r.key(), String.valueOf(e));
                    }
                });
            });
            candidates.add(candidate.future());
        }
        return Future.all(candidates).compose(all -> {
            List<Runnable> writes = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (all.resultAt(i) != null) {
                    writes.add(all.resultAt(i));
                }
            }
            if (writes.isEmpty()) {
                return Future.<Void>succeededFuture();
            }
            return (metadata == null ? Future.<Void>succeededFuture() : metadata.sync()).compose(v -> vertx.<Void>executeBlocking(() -> {
                writes.forEach(Runnable::run);
                return null;
            }, false));
        }).onComplete(ar -> checkpointing.set(false));
    }

    private final java.util.concurrent.atomic.AtomicBoolean checkpointing =
            new java.util.concurrent.atomic.AtomicBoolean();

    public String localId() {
        return localId;
    }

    /**
     * Makes every partition of a newly opened destination replicated, then applies the table's current proposal for
     * it. The destination must not serve clients before this completes.
     */
    public Future<Void> attach(Topic topic) {
        List<Future<Void>> attached = new ArrayList<>();
        for (Partition p : topic.partitions()) {
            PartitionKey key = new PartitionKey(topic.isQueue(), topic.name(), p.id());
            Promise<Void> done = Promise.promise();
            p.run(() -> PartitionReplica.open(p, key.encode(), localId, peers, metadata,
                    () -> leadershipLost.accept(topic)).onComplete(ar -> {
                if (ar.failed()) {
                    done.fail(ar.cause());
                    return;
                }
                ar.result().gate(gate);
                replicas.put(key.encode(), ar.result());
                table.get(key).onComplete(current -> {
                    if (current.succeeded() && current.result() != null) {
                        assignmentChanged(key, current.result());
                    }
                });
                done.complete();
            }));
            attached.add(done.future());
        }
        return Future.all(attached).mapEmpty();
    }

    /** The destination was deleted: its replicas stop. */
    public void detach(Topic topic) {
        for (Partition p : topic.partitions()) {
            PartitionReplica r = replicas.remove(new PartitionKey(topic.isQueue(), topic.name(), p.id()).encode());
            if (r != null) {
                p.run(r::close);
            }
        }
    }

    /** @return the replica of a partition key's string form, or null if this broker has no such partition */
    public PartitionReplica find(String key) {
        return replicas.get(key);
    }

    /** Every replica of this broker. */
    public List<PartitionReplica> all() {
        return List.copyOf(replicas.values());
    }

    private void assignmentChanged(PartitionKey key, PartitionAssignment assignment) {
        PartitionReplica r = replicas.get(key.encode());
        if (r == null || assignment == null) {
            return;
        }
        r.partition().run(() -> r.assignmentChanged(assignment.replicas(), assignment.leader(),
                assignment.leaderEpoch()));
    }

    /** Publishes changed replica states, and the in-sync sets of the partitions this broker leads. */
    private void publish() {
        long now = System.currentTimeMillis();
        for (PartitionReplica r : replicas.values()) {
            r.partition().run(() -> {
                ReplicaState state = new ReplicaState(r.lastEpoch(), r.partition().logEndOffset(),
                        r.highWatermark());
                List<String> isr = r.inSyncReplicas(now);
                int epoch = r.epoch();
                r.partition().figures().replicationLag.set(r.replicationLag());
                r.underReplicated(!isr.isEmpty() && isr.size() < r.replicaCount());
                // One write in flight per partition: two unordered worker writes could land old-after-new, and an
                // idle partition would then show its stale state (a lag that never clears) for good.
                if (!state.equals(published.get(r.key())) && publishing.add(r.key())) {
                    states.publish(PartitionKey.parse(r.key()), localId, state).onComplete(ar -> {
                        if (ar.succeeded()) {
                            published.put(r.key(), state);
                        }
                        publishing.remove(r.key());
                    });
                }
                // Keyed by epoch too: the coordinator shrinks the table's ISR when it elects a new leader, and the
                // same list reported in the last epoch must be reported again.
                List<String> reported = isr.isEmpty() ? isr : new ArrayList<>(isr);
                if (!reported.isEmpty()) {
                    reported.add(0, "epoch " + epoch);
                }
                if (!isr.isEmpty() && !reported.equals(reportedIsr.get(r.key())) && reportingIsr.add(r.key())) {
                    table.updateIsr(PartitionKey.parse(r.key()), epoch, isr).onComplete(ar -> {
                        if (ar.succeeded() && ar.result()) {
                            reportedIsr.put(r.key(), reported);
                        } else {
                            reportedIsr.remove(r.key());
                        }
                        reportingIsr.remove(r.key());
                    });
                }
            });
        }
    }

    public Future<Void> close() {
        vertx.cancelTimer(timer);
        vertx.cancelTimer(resyncTimer);
        if (fastResyncTimer >= 0) {
            vertx.cancelTimer(fastResyncTimer);
        }
        for (PartitionReplica r : replicas.values()) {
            r.partition().run(r::close);
        }
        replicas.clear();
        return Future.succeededFuture();
    }

}
