package io.heraldmq.server.txlog;

import io.heraldmq.protocol.WireXid;
import io.heraldmq.server.BrokerConfig;
import io.heraldmq.server.cluster.ClusterTlsSettings;
import io.heraldmq.server.log.RetentionPolicy;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.replication.PartitionReplica;
import io.heraldmq.server.replication.ReplicationPeers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decision log's carry-forward on a real partition log and replica (one replica, so it commits alone), 4 KiB
 * segments and a retention of 1.5 s: a prepared XA branch and a decision with one part applied and one open are
 * carried forward while retention deletes every segment that held their original records, and a new leadership's
 * decision log, which reads the log from its start, still lists the branch and still owes the open part (and not the
 * applied one).
 */
class DecisionLogCarryForwardIT {
    private static final String KEY = DecisionLog.KEY;

    @TempDir
    Path dir;
    private final Vertx vertx = Vertx.vertx();
    private final ExecutorService flush = Executors.newFixedThreadPool(2);
    private Partition partition;
    private PartitionReplica replica;
    private ReplicationPeers peers;

    @BeforeEach
    void start() throws Exception {
        BrokerConfig config = BrokerConfig.defaults().withDataDir(dir).with(Map.of("log.segment.bytes", "4096"));
        partition = new Partition(DecisionLog.TOPIC, 0, dir.resolve("log"), config, flush,
                new RetentionPolicy(1500, -1, Long.MAX_VALUE), Clock.systemUTC(), List::of);
        join(vertx.deployVerticle(partition));
        peers = new ReplicationPeers(vertx, id -> null, ReplicationPeers.options(ClusterTlsSettings.DEFAULTS));
        replica = onPartition(() -> PartitionReplica.open(partition, KEY, "a", peers, null, () -> { }));
        partition.run(() -> replica.assignmentChanged(List.of("a"), "a", 1));
        await("leader of epoch 1").atMost(Duration.ofSeconds(10))
                .until(() -> onPartition(() -> Future.succeededFuture(replica.servesConsumers())));
    }

    @AfterEach
    void stop() throws Exception {
        join(peers.close());
        join(vertx.close());
        flush.shutdownNow();
    }

    @Test
    void recordsStillNeededOutliveTheSegmentsRetentionDeletes() throws Exception {
        DecisionLog log = new DecisionLog(k -> KEY.equals(k) ? replica : null);
        WireXid xid = new WireXid(7, "gtrid".getBytes(StandardCharsets.UTF_8), "bqual".getBytes(StandardCharsets.UTF_8));
        XaBranch branch = new XaBranch(xid, decision(new TxId(1, 0)));
        assertOk(join(log.prepareXa(branch)));
        TxDecision decided = decision(new TxId(2, 0));
        assertOk(join(log.decide(decided)));
        assertOk(join(log.applied(decided.id(), List.of("q:applied:0"))));
        long originalsEnd = partition.logEndOffset();
        assertEquals("carried 0", join(log.carryForward(System.currentTimeMillis(), 60_000)).message(),
                "nothing is old enough yet");

        // carried forward (every record counts as old here) while retention deletes the closed segments behind
        await("every segment holding an original record deleted").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    TxLogResult carried = join(log.carryForward(System.currentTimeMillis(), 0));
                    assertEquals("carried 3", carried.message(), "the branch, the decision and its APPLIED record");
                    onPartition(() -> partition.applyRetention(Long.MAX_VALUE));
                    return partition.logStartOffset() >= originalsEnd;
                });

        // a new leadership reads the log from its start: only the copies are left
        DecisionLog next = new DecisionLog(k -> KEY.equals(k) ? replica : null);
        partition.run(() -> replica.assignmentChanged(List.of("a"), "a", 2));
        await("leader of epoch 2").atMost(Duration.ofSeconds(10)).until(() -> onPartition(() ->
                Future.succeededFuture(replica.servesConsumers() && replica.epoch() == 2)));
        TxLogResult recovered = join(next.recoverXa());
        assertOk(recovered);
        assertEquals(List.of(xid), recovered.prepared().stream().map(XaBranch::xid).toList());
        TxLogResult open = join(next.gate("q:open:0", 2));
        assertOk(open);
        assertEquals(List.of(decided.id()), open.decisions().stream().map(TxDecision::id).toList(),
                "the open part is still owed to its partition's next leader");
        assertTrue(join(next.gate("q:applied:0", 2)).decisions().isEmpty(), "the applied part is not owed again");
        assertOk(join(next.finishXa(xid, true)));
    }

    private static TxDecision decision(TxId id) {
        return new TxDecision(id, "a", List.of(new TxDecision.Participant("q:applied:0", 1),
                new TxDecision.Participant("q:open:0", 1)), List.of(), List.of());
    }

    private static void assertOk(TxLogResult result) {
        assertTrue(result.ok(), () -> "not OK: " + result.errorCode() + " " + result.message());
    }

    private <T> T onPartition(Supplier<Future<T>> task) throws Exception {
        Promise<T> p = Promise.promise();
        partition.run(() -> task.get().onComplete(p));
        return join(p.future());
    }

    private static <T> T join(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
