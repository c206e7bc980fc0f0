package io.heraldmq.server.replication;

import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.server.BrokerConfig;
import io.heraldmq.server.cluster.ClusterTlsSettings;
import io.heraldmq.server.log.RetentionPolicy;
import io.heraldmq.server.partition.Partition;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replication protocol between three replicas of one partition, each with its own Vert.x, log directory and
 * replication port on 127.0.0.1, without Hazelcast: the test plays the partition table by calling
 * {@link PartitionReplica#assignmentChanged} itself, so it can propose what a confused AP table might.
 */
class ReplicationProtocolIT {
    private static final String KEY = "q:orders:0";
    private static final List<String> REPLICAS = List.of("a", "b", "c");

    @TempDir
    Path dir;

    private final Map<String, SocketAddress> addresses = new ConcurrentHashMap<>();
    private final Map<String, Node> nodes = new ConcurrentHashMap<>();

    /** One broker: its Vert.x, the partition, its replica, its replication server and peers. */
    private final class Node {
        final String id;
        final Vertx vertx = Vertx.vertx();
        final ExecutorService flush = Executors.newFixedThreadPool(2);
        Partition partition;
        PartitionReplica replica;
        ReplicationServer server;
        ReplicationPeers peers;
        final java.util.Set<String> cut = ConcurrentHashMap.newKeySet();

        Node(String id) {
            this.id = id;
        }

        void start() throws Exception {
            BrokerConfig config = BrokerConfig.defaults().withDataDir(dir.resolve(id));
            partition = new Partition("orders", 0, dir.resolve(id).resolve("log"), config, flush,
                    new RetentionPolicy(-1, -1, Long.MAX_VALUE), Clock.systemUTC(), List::of);
            join(vertx.deployVerticle(partition));
            peers = new ReplicationPeers(vertx, other -> cut.contains(other) ? null : addresses.get(other),
                    ReplicationPeers.options(ClusterTlsSettings.DEFAULTS));
            server = new ReplicationServer(vertx, k -> KEY.equals(k) ? replica : null);
            int port = join(server.listen("127.0.0.1", 0, ClusterTlsSettings.DEFAULTS));
            addresses.put(id, SocketAddress.inetSocketAddress(port, "127.0.0.1"));
            replica = onPartition(() -> PartitionReplica.open(partition, KEY, id, peers, null, () -> { }));
        }

        /** Cuts this broker off from {@code other} both ways: no connection exists or can be made. */
        void cutFrom(Node other) {
            cut.add(other.id);
            other.cut.add(id);
            peers.forget(other.id);
            other.peers.forget(id);
        }

        void heal(Node other) {
            cut.remove(other.id);
            other.cut.remove(id);
        }

        void propose(String leader, int epoch) {
            partition.run(() -> replica.assignmentChanged(REPLICAS, leader, epoch));
        }

        Future<Long> send(int records) {
            Buffer batch = batch(records);
            return onPartitionAsync(() -> replica.produce(batch, true));
        }

        long logEnd() {
            return partition.logEndOffset();
        }

        /** Stops everything: as far as the others can tell, a crash. */
        void kill() throws Exception {
            addresses.remove(id);
            join(peers.close());
            join(server.close());
            join(vertx.close());
            flush.shutdownNow();
        }

        <T> T onPartition(Supplier<Future<T>> task) throws Exception {
            return join(onPartitionAsync(task));
        }

        <T> Future<T> onPartitionAsync(Supplier<Future<T>> task) {
            Promise<T> p = Promise.promise();
            partition.run(() -> task.get().onComplete(p));
            return p.future();
        }

        Buffer readAll() throws Exception {
            Buffer all = Buffer.buffer();
            long at = 0;
            while (at < logEnd()) {
                long from = at;
                Buffer b = onPartition(() -> partition.read(from));
                if (b.length() == 0) {
                    break;
                }
                all.appendBuffer(b);
                int pos = 0;
                while (pos < b.length()) {
                    int size = RecordBatch.sizeAt(b, pos);
                    at = RecordBatch.nextOffset(b.slice(pos, pos + size));
                    pos += size;
                }
            }
            return all;
        }
    }

    private static <T> T join(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static Buffer batch(int records) {
        RecordBatch.Builder b = new RecordBatch.Builder(RecordBatch.ATTR_PERSISTENT, 256);
        for (int i = 0; i < records; i++) {
            b.add(System.currentTimeMillis(), null, Buffer.buffer("message " + i));
        }
        return b.build();
    }

    private Node start(String id) throws Exception {
        Node n = new Node(id);
        n.start();
        nodes.put(id, n);
        return n;
    }

    @AfterEach
    void stopAll() {
        for (Node n : nodes.values()) {
            try {
                n.kill();
            } catch (Exception ignored) {
                // already stopped
            }
        }
    }

    private void awaitLeader(Node n, int epoch) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            CompletableFuture<Boolean> f = new CompletableFuture<>();
            n.partition.run(() -> f.complete(n.replica.isEstablishedLeader() && n.replica.epoch() == epoch));
            return f.get();
        });
    }

    @Test
    void followersCopyTheLeadersLogByteForByteAndSendsCompleteOnceAMajorityHasThem() throws Exception {
        Node a = start("a");
        Node b = start("b");
        Node c = start("c");
        for (Node n : List.of(a, b, c)) {
            n.propose("a", 1);
        }
        awaitLeader(a, 1);
        List<Future<Long>> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add(a.send(3));
        }
        join(Future.all(sent));
        await().atMost(Duration.ofSeconds(10)).until(() -> b.logEnd() == a.logEnd() && c.logEnd() == a.logEnd());
        assertEquals(1 + 150, a.logEnd(), "the epoch marker and 150 records");
        assertEquals(a.readAll(), b.readAll());
        assertEquals(a.readAll(), c.readAll());
        assertEquals(a.logEnd(), a.partition.visibleEnd());
    }

    @Test
    void aLeaderCutOffFromItsFollowersAcknowledgesNothingAndConsumersSeeNothingNew() throws Exception {
        Node a = start("a");
        Node b = start("b");
        Node c = start("c");
        for (Node n : List.of(a, b, c)) {
            n.propose("a", 1);
        }
        awaitLeader(a, 1);
        join(a.send(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> b.logEnd() == a.logEnd() && c.logEnd() == a.logEnd());
        long visible = a.partition.visibleEnd();
        // the network splits a from b and c, who elect b for epoch 2: a is the isolated minority
        a.cutFrom(b);
        a.cutFrom(c);
        b.propose("b", 2);
        c.propose("b", 2);
        awaitLeader(b, 2);
        Future<Long> isolated = a.send(1);
        join(b.send(1));
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> !isolated.isComplete() && a.partition.visibleEnd() == visible);
        // healed, a learns of epoch 2: its send fails (never acknowledged), its divergent tail goes
        a.heal(b);
        a.heal(c);
        a.propose("b", 2);
        await().atMost(Duration.ofSeconds(10)).until(isolated::isComplete);
        assertTrue(isolated.failed());
        await().atMost(Duration.ofSeconds(10)).until(() -> a.logEnd() == b.logEnd());
        assertEquals(b.readAll(), a.readAll());
    }

    @Test
    void aNewLeaderHasEveryAcknowledgedRecordAndADeposedLeaderTruncatesItsTail() throws Exception {
        Node a = start("a");
        Node b = start("b");
        Node c = start("c");
        for (Node n : List.of(a, b, c)) {
            n.propose("a", 1);
        }
        awaitLeader(a, 1);
        for (int i = 0; i < 20; i++) {
            join(a.send(2));
        }
        long acknowledgedEnd = a.logEnd();
        await().atMost(Duration.ofSeconds(10)).until(() -> b.logEnd() == acknowledgedEnd);
        a.kill();
        nodes.remove("a");
        b.propose("b", 2);
        c.propose("b", 2);
        awaitLeader(b, 2);
        assertTrue(b.logEnd() >= acknowledgedEnd);
        join(b.send(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> c.logEnd() == b.logEnd());
        assertEquals(b.readAll(), c.readAll());
        // a comes back on its old data
        Node again = start("a");
        again.propose("b", 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> again.logEnd() == b.logEnd());
        assertEquals(b.readAll(), again.readAll());
    }

    @Test
    void aReplicaRefusesACandidateWhoseLogIsBehindItsOwn() throws Exception {
        Node a = start("a");
        Node b = start("b");
        Node c = start("c");
        for (Node n : List.of(a, b, c)) {
            n.propose("a", 1);
        }
        awaitLeader(a, 1);
        join(a.send(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> b.logEnd() == a.logEnd() && c.logEnd() == a.logEnd());
        // b falls behind: it stops following (a newer proposal it alone sees names a dead broker)
        b.propose("z", 5);
        join(a.send(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> c.logEnd() == a.logEnd());
        a.kill();
        nodes.remove("a");
        // the table wrongly proposes b, whose log lacks the last acknowledged record: c must refuse it
        BeginEpoch ask = new BeginEpoch(KEY, 6, "b", b.replica.lastEpoch(), b.logEnd());
        EpochVote vote = c.onPartition(() -> c.replica.onBeginEpoch(ask));
        assertFalse(vote.granted());
        // c, which has it, is elected with b's vote
        b.propose("c", 7);
        c.propose("c", 7);
        awaitLeader(c, 7);
    }

    @Test
    void aCandidateBehindTheReplicaThatRefusedItCopiesThatLogAndWins() throws Exception {
        Node a = start("a");
        Node b = start("b");
        Node c = start("c");
        for (Node n : List.of(a, b, c)) {
            n.propose("a", 1);
        }
        awaitLeader(a, 1);
        join(a.send(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> b.logEnd() == a.logEnd() && c.logEnd() == a.logEnd());
        // b falls behind (it follows a dead broker for a while), and a acknowledges more with c alone
        b.propose("z", 5);
        for (int i = 0; i < 5; i++) {
            join(a.send(3));
        }
        long acknowledgedEnd = a.logEnd();
        await().atMost(Duration.ofSeconds(10)).until(() -> c.logEnd() == acknowledgedEnd);
        assertTrue(b.logEnd() < acknowledgedEnd);
        a.kill();
        nodes.remove("a");
        // the table proposes b, as a coordinator reading a moment-old published state would: c refuses it as behind,
        // b copies c's log and is elected with c's vote, without another proposal
        c.propose("b", 6);
        b.propose("b", 6);
        awaitLeader(b, 6);
        assertTrue(b.logEnd() > acknowledgedEnd, "every acknowledged record and b's epoch marker");
        join(b.send(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> c.logEnd() == b.logEnd());
        assertEquals(b.readAll(), c.readAll());
    }

    @Test
    void aCandidateWithATailTheVoterLacksTruncatesItWhileCopying() throws Exception {
        Node a = start("a");
        Node b = start("b");
        Node c = start("c");
        for (Node n : List.of(a, b, c)) {
            n.propose("c", 1);
        }
        awaitLeader(c, 1);
        join(c.send(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> a.logEnd() == c.logEnd() && b.logEnd() == c.logEnd());
        long common = c.logEnd();
        // c is cut off and appends a batch nobody else gets: never acknowledged
        c.cutFrom(a);
        c.cutFrom(b);
        Future<Long> neverAcknowledged = c.send(4);
        await().atMost(Duration.ofSeconds(10)).until(() -> c.logEnd() > common);
        // a leads epoch 2 with b's vote and acknowledges more
        a.propose("a", 2);
        b.propose("a", 2);
        awaitLeader(a, 2);
        join(a.send(3));
        long acknowledgedEnd = a.logEnd();
        await().atMost(Duration.ofSeconds(10)).until(() -> b.logEnd() == acknowledgedEnd);
        // healed, the table proposes c, whose log ends in a tail of epoch 1 that a's history does not have: refused
        // as behind, c truncates that tail, copies a's epoch 2 and is elected
        c.heal(a);
        c.heal(b);
        for (Node n : List.of(a, b, c)) {
            n.propose("c", 3);
        }
        awaitLeader(c, 3);
        assertTrue(c.logEnd() > acknowledgedEnd, "every acknowledged record and c's epoch marker");
        await().atMost(Duration.ofSeconds(10)).until(neverAcknowledged::isComplete);
        assertTrue(neverAcknowledged.failed(), "the cut-off leader's send was acknowledged");
        join(c.send(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> a.logEnd() == c.logEnd() && b.logEnd() == c.logEnd());
        assertEquals(c.readAll(), a.readAll());
        assertEquals(c.readAll(), b.readAll());
    }

    @Test
    void aCandidateGivesUpItsEpochWhenTheTableNamesAnotherLeaderOfIt() throws Exception {
        Node a = start("a");
        Node b = start("b");
        Node c = start("c");
        for (Node n : List.of(a, b, c)) {
            n.propose("a", 1);
        }
        awaitLeader(a, 1);
        join(a.send(1));
        // a network partition with a coordinator on each side: a's side proposes a for epoch 2, the majority b
        a.cutFrom(b);
        a.cutFrom(c);
        a.propose("a", 2);
        b.propose("b", 2);
        c.propose("b", 2);
        awaitLeader(b, 2);
        join(b.send(3));
        // healed; the merged table keeps the majority's proposal: a was a candidate of epoch 2 and must follow b
        a.heal(b);
        a.heal(c);
        await().atMost(Duration.ofSeconds(3)).until(() -> a.onPartition(() -> Future.succeededFuture(
                a.replica.role())) == PartitionReplica.Role.CANDIDATE);
        a.propose("b", 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.logEnd() == b.logEnd());
        assertEquals(b.readAll(), a.readAll());
        assertEquals(PartitionReplica.Role.FOLLOWER, a.onPartition(() -> Future.succeededFuture(a.replica.role())));
        // and b stays the only leader of epoch 2: a would not grant a third broker that epoch
        EpochVote vote = a.onPartition(() -> a.replica.onBeginEpoch(new BeginEpoch(KEY, 2, "c", 2, b.logEnd())));
        assertFalse(vote.granted());
    }

    @Test
    void leadershipMovesToAFollowerWhileSendsGoOnAndNoAcknowledgedSendIsLost() throws Exception {
        Node a = start("a");
        Node b = start("b");
        Node c = start("c");
        for (Node n : List.of(a, b, c)) {
            n.propose("a", 1);
        }
        awaitLeader(a, 1);
        java.util.concurrent.atomic.AtomicBoolean sending = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong acked = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread sender = new Thread(() -> {
                while (sending.get()) {
                    try {
                        join(a.send(1));
                        acked.incrementAndGet();
                    } catch (Exception e) {
                        // refused while no broker led: not acknowledged, so free to be missing
                    }
                }
            });
            sender.start();
            senders.add(sender);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> acked.get() >= 200);
        // the table moves the partition to b while a is always a few batches ahead of it: without the handover a
        // refuses b its vote and the partition stays without a leader
        for (Node n : List.of(a, b, c)) {
            n.propose("b", 2);
        }
        awaitLeader(b, 2);
        long before = acked.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> acked.get() >= before + 200);
        sending.set(false);
        for (Thread sender : senders) {
            sender.join(20_000);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> a.logEnd() == b.logEnd() && c.logEnd() == b.logEnd());
        assertEquals(b.readAll(), a.readAll());
        assertEquals(b.readAll(), c.readAll());
        // every acknowledged send is in the log: 2 epoch markers plus at least the acknowledged records
        assertTrue(b.logEnd() >= 2 + acked.get(), b.logEnd() + " < 2 + " + acked.get());
    }
}
