package io.heraldmq.server.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Keeps the {@link PartitionTable} assigned: runs on every broker, acts only on the oldest member (and takes over
 * when that one leaves, since every membership change re-evaluates). On every membership change, every definition
 * added to or removed from the {@link DestinationCatalog} and every {@value #INTERVAL_MS} ms it reads the catalog,
 * the table and the {@link ReplicaStates}, asks the {@link AssignmentPlanner} and writes the changes back with
 * compare-and-set (a lost race is retried by the next pass). Passes never overlap.
 * <p>
 * A coordinator changes the table only while its member sees a majority of the members {@code cluster.members}
 * lists ({@link ClusterMembership#hasQuorum}), so in a network partition only the majority side proposes leaders and
 * mints epochs. That keeps the two sides from giving one epoch to two brokers (after the heal the minority's replicas
 * would not follow); it is not what makes leaders safe: membership views lag, two coordinators can still act for a
 * moment, and the replication layer's epoch fencing and votes decide which leader may write. {@link #drain} and {@link #rebalance} may be called on any broker: they run on the coordinator, reached
 * through Hazelcast's executor service.
 */
public final class Coordinator extends AbstractVerticle {
    static final long INTERVAL_MS = 1000;
    /** A proposed leader that has not taken office this long after the proposal is replaced. */
    static final long ELECTION_TIMEOUT_MS = 5000;
    static final String EXECUTOR = "heraldmq.coordinator";
    static final String USER_CONTEXT_KEY = "heraldmq.coordinator";
    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
    private static final long REQUEST_TIMEOUT_MS = 30_000;
    private static final int COMMAND_ATTEMPTS = 5;

    private final ClusterMembership membership;
    private final PartitionTable table;
    private final ReplicaStates states;
    private final DestinationCatalog catalog;
    private final AssignmentPlanner planner;
    private final DrainedBrokers drained;
    private boolean running;
    /** When this coordinator first saw each partition's current proposal ("leader@epoch"). */
    private final Map<PartitionKey, Map.Entry<String, Long>> proposedAt = new java.util.HashMap<>();
    private boolean again;
    private boolean minorityLogged;

    public Coordinator(ClusterMembership membership, PartitionTable table, ReplicaStates states,
                       DestinationCatalog catalog, AssignmentPlanner planner) {
        this.membership = membership;
        this.table = table;
        this.states = states;
        this.catalog = catalog;
        this.planner = planner;
        this.drained = new DrainedBrokers(membership);
    }

    @Override
    public void start(Promise<Void> started) {
        membership.hazelcast().getUserContext().put(USER_CONTEXT_KEY, this);
        membership.onMembersChanged(context, members -> reconcile());
        vertx.setPeriodic(INTERVAL_MS, id -> reconcile());
        catalog.listen(context, d -> reconcile(), d -> reconcile()).onComplete(ar -> {
            reconcile();
            started.handle(ar);
        });
    }

    @Override
    public void stop() {
        membership.hazelcast().getUserContext().remove(USER_CONTEXT_KEY, this);
    }

    /**
     * Moves leadership off {@code brokerId} (and with {@code moveReplicas} its replicas too), e.g. before taking it
     * down; see {@link AssignmentPlanner#drain}. Completes once the coordinator wrote the table.
     */
    public Future<Void> drain(String brokerId, boolean moveReplicas) {
        return request(new Request("drain", brokerId, moveReplicas));
    }

    /** Spreads replicas and leaders evenly over the live brokers; see {@link AssignmentPlanner#rebalance}. */
    public Future<Void> rebalance() {
        return request(new Request("rebalance", null, false));
    }

    /** One pass on this broker's context; a pass asked for while one runs follows it. */
    void reconcile() {
        if (!membership.isCoordinator()) {
            return;
        }
        if (!membership.hasQuorum()) {
            if (!minorityLogged) {
                minorityLogged = true;
                LOG.warn("coordinator sees {} of the {} members in cluster.members, not a majority: the partition "
                        + "table is left as it is until more members are back", membership.members().size(),
                        membership.configuredMembers());
            }
            return;
        }
        minorityLogged = false;
        if (running) {
            again = true;
            return;
        }
        running = true;
        Future<List<DestinationDefinition>> defs = catalog.all();
        Future<Map<PartitionKey, PartitionAssignment>> existing = table.all();
        Future<Map<PartitionKey, Map<String, ReplicaState>>> known = states.all();
        Future<java.util.Set<String>> drainedNow = drained.among(liveIds());
        Future.all(defs, existing, known, drainedNow).compose(v -> {
            List<PartitionKey> wanted = new ArrayList<>();
            for (DestinationDefinition d : defs.result()) {
                for (int p = 0; p < d.partitions(); p++) {
                    wanted.add(new PartitionKey(d.queue(), d.name(), p));
                }
            }
            Map<PartitionKey, PartitionAssignment> planned = planner.plan(liveIds(), wanted, existing.result(),
                    known.result());
            java.util.Set<PartitionKey> stuck = stuck(existing.result(), known.result());
            if (!stuck.isEmpty()) {
                LOG.info("elections not won within {} ms: {}", ELECTION_TIMEOUT_MS, stuck);
                Map<PartitionKey, PartitionAssignment> current = new java.util.TreeMap<>(existing.result());
                current.putAll(planned);
                planned.putAll(AssignmentPlanner.unstick(current, stuck, liveIds(), known.result()));
            }
            Map<PartitionKey, PartitionAssignment> changes = AssignmentPlanner.alignDestinations(existing.result(),
                    AssignmentPlanner.avoidDrained(existing.result(), planned, drainedNow.result(), liveIds(),
                            known.result()),
                    known.result());
            return write(existing.result(), changes);
        }).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("coordinator pass failed: {}", String.valueOf(ar.cause()));
            }
            running = false;
            if (again) {
                again = false;
                reconcile();
            }
        });
    }

    /**
     * Partitions whose live proposed leader has not published its epoch (an established leader's last epoch is its
     * own: its epoch marker) for {@link #ELECTION_TIMEOUT_MS} since this coordinator first saw the proposal.
     */
    private java.util.Set<PartitionKey> stuck(Map<PartitionKey, PartitionAssignment> table,
                                             Map<PartitionKey, Map<String, ReplicaState>> known) {
        long now = System.currentTimeMillis();
        java.util.Set<PartitionKey> out = new java.util.TreeSet<>();
        List<String> live = liveIds();
        proposedAt.keySet().retainAll(table.keySet());
        for (Map.Entry<PartitionKey, PartitionAssignment> e : table.entrySet()) {
            PartitionAssignment a = e.getValue();
            if (a.leader() == null || !live.contains(a.leader())) {
                proposedAt.remove(e.getKey());
                continue;
            }
            String proposal = a.leader() + "@" + a.leaderEpoch();
            Map.Entry<String, Long> seen = proposedAt.get(e.getKey());
            if (seen == null || !seen.getKey().equals(proposal)) {
                proposedAt.put(e.getKey(), Map.entry(proposal, now));
                continue;
            }
            ReplicaState s = known.getOrDefault(e.getKey(), Map.of()).get(a.leader());
            boolean established = s != null && s.lastEpoch() == a.leaderEpoch();
            if (!established && now - seen.getValue() > ELECTION_TIMEOUT_MS) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    private List<String> liveIds() {
        return membership.members().stream().map(BrokerInfo::id).toList();
    }

    /** Writes {@code changes} over {@code existing} with compare-and-set; true if every write applied. */
    private Future<Boolean> write(Map<PartitionKey, PartitionAssignment> existing,
                                  Map<PartitionKey, PartitionAssignment> changes) {
        List<Future<Boolean>> writes = new ArrayList<>();
        for (Map.Entry<PartitionKey, PartitionAssignment> c : changes.entrySet()) {
            PartitionKey key = c.getKey();
            PartitionAssignment before = existing.get(key);
            PartitionAssignment after = c.getValue();
            Future<Boolean> w;
            if (after == null) {
                w = table.remove(key, before);
            } else if (before == null) {
                w = table.putIfAbsent(key, after).map(true);
            } else {
                w = table.replace(key, before, after);
            }
            writes.add(w.onSuccess(applied -> {
                if (applied && (before == null || after == null || !java.util.Objects.equals(before.leader(),
                        after.leader()) || !before.replicas().equals(after.replicas()))) {
                    LOG.info("partition {}: {} -> {}", key, (before == null ? "-" : before.encode()),
                            (after == null ? "removed" : after.encode()));
                }
            }));
        }
        return Future.all(writes).map(v -> writes.stream().allMatch(Future::result));
    }

    /** Runs a planner command on this broker (the coordinator), retrying when a concurrent write won a race. */
    Future<Void> runLocally(String op, String brokerId, boolean moveReplicas) {
        if (!membership.hasQuorum()) {
            return Future.failedFuture(new IllegalStateException("the coordinator sees " + membership.members().size()
                    + " of the " + membership.configuredMembers() + " members in cluster.members, not a majority;"
                    + " the partition table cannot change now"));
        }
        Promise<Void> done = Promise.promise();
        Future<Void> marked = op.equals("drain") ? drained.add(brokerId) : Future.succeededFuture();
        marked.compose(m -> drained.among(liveIds())).onComplete(d -> context.runOnContext(v -> {
            java.util.Set<String> drainedNow = d.succeeded() ? d.result() : java.util.Set.of();
            attempt(op.equals("drain")
                    ? current -> AssignmentPlanner.avoidDrained(current,
                            planner.drain(brokerId, moveReplicas, liveIds(), current), drainedNow, liveIds())
                    : current -> AssignmentPlanner.avoidDrained(current, planner.rebalance(liveIds(), current),
                            drainedNow, liveIds()), COMMAND_ATTEMPTS, done);
        }));
        return done.future();
    }

    private void attempt(Function<Map<PartitionKey, PartitionAssignment>, Map<PartitionKey, PartitionAssignment>> plan,
                         int attemptsLeft, Promise<Void> done) {
        table.all().compose(current -> write(current, AssignmentPlanner.alignDestinations(current,
                plan.apply(current)))).onComplete(ar -> {
            if (ar.failed()) {
                done.fail(ar.cause());
            } else if (ar.result()) {
                done.complete();
            } else if (attemptsLeft > 1) {
                attempt(plan, attemptsLeft - 1, done);
            } else {
                done.fail(new IllegalStateException("the partition table kept changing; try again"));
            }
        });
    }

    private Future<Void> request(Request r) {
        HazelcastInstance hz = membership.hazelcast();
        return vertx.executeBlocking(() -> {
            Member oldest = hz.getCluster().getMembers().iterator().next();
            String error = hz.getExecutorService(EXECUTOR).submitToMember(r, oldest)
                    .get(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (error != null) {
                throw new IllegalStateException(error);
            }
            return null;
        }, false);
    }

    /** A drain or rebalance, run by Hazelcast on the coordinator's member; answers null or an error message. */
    static final class Request implements Callable<String>, Serializable, HazelcastInstanceAware {
        private static final long serialVersionUID = 1L;
        private final String op;
        private final String brokerId;
        private final boolean moveReplicas;
        private transient HazelcastInstance hazelcast;

        Request(String op, String brokerId, boolean moveReplicas) {
            this.op = op;
            this.brokerId = brokerId;
            this.moveReplicas = moveReplicas;
        }

        @Override
        public void setHazelcastInstance(HazelcastInstance instance) {
            this.hazelcast = instance;
        }

        @Override
        public String call() throws Exception {
            Object c = hazelcast.getUserContext().get(USER_CONTEXT_KEY);
            if (!(c instanceof Coordinator coordinator)) {
                return "no coordinator runs on " + hazelcast.getCluster().getLocalMember();
            }
            if (!coordinator.membership.isCoordinator()) {
                return "the coordinator changed meanwhile; try again";
            }
            try {
                coordinator.runLocally(op, brokerId, moveReplicas).toCompletionStage().toCompletableFuture()
                        .get(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                return null;
            } catch (java.util.concurrent.ExecutionException e) {
                return op + " failed: " + e.getCause().getMessage();
            }
        }
    }
}
