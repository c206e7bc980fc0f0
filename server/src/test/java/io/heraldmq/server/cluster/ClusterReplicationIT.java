package io.heraldmq.server.cluster;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.jms.HeraldConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three broker processes replicating a queue: messages sent through a broker that does not lead the queue are
 * consumed through another that does not lead it either; the leader is SIGKILLed; a survivor takes over with every
 * acknowledged message.
 * <p>
 * The tests share one cluster (a three-broker start is a third of their time); each uses its own destinations and
 * begins with every broker up: the broker an earlier test killed is restarted
 * ({@link ClusterProcesses#reviveKilled()}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterReplicationIT {
    private static final int PARTITIONS = 3;
    private static final int GROUPS = 10;

    /** The cluster's directory, for the whole class (a {@code @TempDir} parameter of {@link #startCluster}). */
    private Path dir;
    private ClusterProcesses cluster;

    @BeforeAll
    void startCluster(@TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        this.dir = dir;
        cluster = new ClusterProcesses(dir, 3, "log.flush.policy = always\n").start();
    }

    @BeforeEach
    void allBrokersUp() {
        cluster.reviveKilled();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void acknowledgedMessagesSurviveTheLeadersKillAndFlowThroughBrokersThatDoNotLead() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(cluster.url(0))) {
            admin.createQueue("orders", PARTITIONS, -1, -1);
        }
        String leader = awaitLeader(0, null);
        int leaderIdx = cluster.indexOf(leader);
        int producerIdx = (leaderIdx + 1) % 3;
        int consumerIdx = (leaderIdx + 2) % 3;

        Set<Integer> sent = new HashSet<>();
        Map<Integer, Integer> seen = new HashMap<>();
        Set<Integer> redelivered = new HashSet<>();
        java.util.List<JMSException> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        // One producer and one consumer connection each, through brokers that do not lead the queue, kept open
        // across the leader's death: they must not notice it (other than by a pause).
        try (Connection pc = new HeraldConnectionFactory(cluster.url(producerIdx)).createConnection();
             Connection cc = new HeraldConnectionFactory(cluster.url(consumerIdx)).createConnection()) {
            pc.setExceptionListener(errors::add);
            cc.setExceptionListener(errors::add);
            cc.start();
            Session ps = pc.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = ps.createProducer(ps.createQueue("orders"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            Session cs = cc.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = cs.createConsumer(cs.createQueue("orders"));

            send(ps, producer, 0, 300, sent);
            receive(consumer, 150, seen, redelivered);
            // the queue's position travels to the followers in the log (coalesced, applied once committed)
            for (int follower : new int[]{producerIdx, consumerIdx}) {
                try (HeraldAdmin admin = HeraldAdmin.connect(cluster.url(follower))) {
                    await("position replicated to " + follower).atMost(Duration.ofSeconds(10)).until(() ->
                            admin.listSubscriptions("orders").stream().anyMatch(i -> i.queue()
                                    && i.backlog() <= 300 - 64));
                }
            }

            long killedAt = System.nanoTime();
            cluster.kill(leaderIdx);
            // the first send after the kill measures how long the application waited
            send(ps, producer, 300, 301, sent);
            long failoverMs = (System.nanoTime() - killedAt) / 1_000_000;
            assertNotEquals(leader, awaitLeader(producerIdx, leader));
            send(ps, producer, 301, 600, sent);
            receive(consumer, Integer.MAX_VALUE, seen, redelivered);

            Set<Integer> lost = new HashSet<>(sent);
            lost.removeAll(seen.keySet());
            long duplicates = seen.values().stream().filter(c -> c > 1).count();
            System.out.println("ClusterReplicationIT: failover " + failoverMs + " ms; sent " + sent.size()
                    + ", lost " + lost.size() + ", delivered more than once " + duplicates + ", marked redelivered "
                    + redelivered.size() + ", client errors " + errors.size());
            assertTrue(lost.isEmpty(), "acknowledged messages lost: " + lost);
            assertEquals(600, sent.size());
            assertTrue(errors.isEmpty(), "the application noticed the failover: " + errors);
            // The consumer's prefetched, unacknowledged messages come again from the new leader, marked.
            for (Map.Entry<Integer, Integer> e : seen.entrySet()) {
                assertTrue(e.getValue() == 1 || redelivered.contains(e.getKey()), "message " + e.getKey()
                        + " delivered " + e.getValue() + " times, never marked redelivered");
            }
            assertTrue(duplicates <= 300 - 64, "the new leader resumes the queue near where it was: " + duplicates
                    + " delivered again");
        }
    }

    @Test
    void aDurableSubscriptionResumesOnTheNewLeaderWithItsDefinitionAndPosition() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(cluster.url(0))) {
            admin.createTopic("prices", PARTITIONS, -1, -1);
        }
        String leader = awaitLeader(0, null, false, "prices");
        autoCreatedDestinationsWorkThroughEveryBroker();
        int leaderIdx = cluster.indexOf(leader);
        int producerIdx = (leaderIdx + 1) % 3;
        int consumerIdx = (leaderIdx + 2) % 3;
        Set<Integer> sent = new HashSet<>();
        Map<Integer, Integer> seen = new HashMap<>();
        Set<Integer> redelivered = new HashSet<>();
        java.util.List<JMSException> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Connection pc = new HeraldConnectionFactory(cluster.url(producerIdx)).createConnection();
             Connection cc = new HeraldConnectionFactory(cluster.url(consumerIdx)).createConnection()) {
            pc.setExceptionListener(errors::add);
            cc.setExceptionListener(errors::add);
            cc.setClientID("watcher");
            cc.start();
            Session cs = cc.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer durable = cs.createDurableSubscriber(cs.createTopic("prices"), "all-prices");
            Session ps = pc.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = ps.createProducer(ps.createTopic("prices"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);

            send(ps, producer, 0, 200, sent);
            receive(durable, 100, seen, redelivered);
            cluster.kill(leaderIdx);
            send(ps, producer, 200, 400, sent);
            receive(durable, Integer.MAX_VALUE, seen, redelivered);
        }
        Set<Integer> lost = new HashSet<>(sent);
        lost.removeAll(seen.keySet());
        System.out.println("ClusterReplicationIT durable: sent " + sent.size() + ", lost " + lost.size()
                + ", delivered more than once " + seen.values().stream().filter(c -> c > 1).count()
                + ", client errors " + errors.size());
        assertTrue(lost.isEmpty(), "the durable subscription lost " + lost.size() + " messages: " + lost);
        assertTrue(errors.isEmpty(), "the application noticed the failover: " + errors);
    }

    /**
     * Issue 14: one producer's sends reach a new queue in the order they were made (m94 came before m1 through a
     * broker that leads nothing), with asynchronous sends alternating with sends to a new topic, as the conformance
     * suite's AsyncSendIT does: many PRODUCEs in flight (one destination alone would gather them into one batch per
     * round trip), sent until the first is answered, so that they span the queue's creation and its leader's election.
     * Two holes: the queue's first sends, held behind the topic's first (whose leader was not known yet), were handled
     * by the broker the client is connected to, which forwarded them, while the later ones went up the relay once the
     * queue's leader was known ({@code ClusterRouter.dispatch}); and sends reaching the leader before its election
     * was over waited for a retry 100 ms later while those arriving after it were appended at once
     * ({@code ProduceForwarder}). The later ones, of a higher sequence, also made the earlier batches look like
     * duplicates. Through every broker, so that the leader is reached both directly and through a relay.
     */
    @Test
    void sendsArrivingWhileANewQueuesLeaderIsElectedKeepTheirOrder() throws Exception {
        for (int i = 0; i < 3; i++) {
            String name = "fresh-order-" + i;
            java.util.concurrent.atomic.AtomicInteger completed = new java.util.concurrent.atomic.AtomicInteger();
            java.util.List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            jakarta.jms.CompletionListener listener = new jakarta.jms.CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    completed.incrementAndGet();
                }

                @Override
                public void onException(Message message, Exception exception) {
                    failures.add(exception);
                }
            };
            try (Connection c = new HeraldConnectionFactory(cluster.url(i) + "?requestTimeout=30000")
                    .createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Queue queue = s.createQueue(name);
                MessageProducer toQueue = s.createProducer(queue);
                MessageProducer toTopic = s.createProducer(s.createTopic(name + "-other"));
                int sent = 0;
                int afterFirstAnswer = 0;
                while (sent < 5_000 && afterFirstAnswer < 100) {
                    toTopic.send(s.createTextMessage("other " + sent), listener);
                    toQueue.send(s.createTextMessage("m" + sent), listener);
                    sent++;
                    if (completed.get() > 0) {
                        afterFirstAnswer++;
                    }
                }
                int total = 2 * sent;
                await("answers through b" + i).atMost(Duration.ofSeconds(60))
                        .until(() -> completed.get() + failures.size() >= total);
                assertEquals(java.util.List.of(), failures);
                c.start();
                MessageConsumer consumer = s.createConsumer(queue);
                for (int n = 0; n < sent; n++) {
                    Message m = consumer.receive(15_000);
                    assertTrue(m instanceof TextMessage, "message " + n + " of " + sent + " through b" + i + ": " + m);
                    assertEquals("m" + n, ((TextMessage) m).getText(), "through b" + i + ", " + sent + " sent");
                }
            }
        }
    }

    /**
     * Listings through every broker show what a single node shows: a destination's message count and a
     * subscription's backlog leave out the control records the leader writes into the log (epoch marker, positions),
     * and a full subscription listing through a broker that does not lead the queue gives the leader's live figures
     * (consumers, messages skipped as expired), which only the leader knows. A deletion through a broker that does
     * not lead is answered once that broker has dropped the destination too.
     */
    @Test
    void listingsThroughEveryBrokerCountMessagesAndExpiredAsTheLeaderDoes() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(cluster.url(0))) {
            admin.createQueue("listed", PARTITIONS, -1, -1);
        }
        int notLeading = (cluster.indexOf(awaitLeader(0, null, true, "listed")) + 1) % 3;
        try (Connection c = new HeraldConnectionFactory(cluster.url(1)).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("listed"));
            p.setTimeToLive(1);
            for (int i = 0; i < 3; i++) {
                p.send(s.createTextMessage("expires"));
            }
            long sentAt = System.currentTimeMillis();
            p.setTimeToLive(0);
            for (int i = 0; i < 4; i++) {
                p.send(s.createTextMessage("kept"));
            }
            // the broker expires by wall clock: wait until the time to live has certainly passed
            await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > sentAt + 50);
            c.start();
            MessageConsumer consumer = s.createConsumer(s.createQueue("listed"));
            for (int i = 0; i < 4; i++) {
                assertEquals("kept", ((TextMessage) consumer.receive(20_000)).getText());
            }
            for (int b = 0; b < 3; b++) {
                try (HeraldAdmin admin = HeraldAdmin.connect(cluster.url(b))) {
                    String through = "through b" + b;
                    await(through).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                            .untilAsserted(() -> {
                        assertEquals(7, admin.listTopics().stream().filter(t -> t.name().equals("listed"))
                                .findFirst().orElseThrow().messages(), through + ": messages");
                        io.heraldmq.admin.SubscriptionInfo q = admin.listSubscriptions().stream()
                                .filter(i -> i.id().equals("queue:listed")).findFirst().orElseThrow();
                        assertEquals(0, q.backlog(), through + ": backlog");
                        assertEquals(3, q.expired(), through + ": expired");
                        assertEquals(1, q.consumers(), through + ": consumers");
                    });
                }
            }
        }
        // Deleted through a broker that does not lead it: gone from that broker's listing at once, as on one node.
        try (HeraldAdmin admin = HeraldAdmin.connect(cluster.url(notLeading))) {
            admin.deleteQueue("listed", false);
            assertTrue(admin.listTopics().stream().noneMatch(t -> t.name().equals("listed")),
                    "listed after its deletion through b" + notLeading);
        }
    }

    /** The queue's leader as seen through broker {@code via}, once it is live and not {@code not}. */
    /**
     * A clustered partition holds control records besides the messages (the leader's epoch marker, and the positions
     * it writes into its log for the followers). A durable subscription read to the end and then left alone has no
     * backlog: the position records its last acknowledgements wrote, which nobody reads, are no messages.
     */
    @Test
    void aConsumedSubscriptionOnAClusteredTopicShowsNoBacklog() throws Exception {
        String topic = "metered";
        try (HeraldAdmin admin = HeraldAdmin.connect(cluster.url(0))) {
            admin.createTopic(topic, PARTITIONS, -1, -1);
        }
        String leader = awaitLeader(0, null, false, topic);
        int via = (cluster.indexOf(leader) + 1) % 3;
        try (Connection c = new HeraldConnectionFactory(cluster.url(via)).createConnection()) {
            c.setClientID("metered-client");
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.Topic t = s.createTopic(topic);
            MessageConsumer consumer = s.createDurableSubscriber(t, "metered-sub");
            MessageProducer producer = s.createProducer(t);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < 30; i++) {
                producer.send(s.createTextMessage("m" + i));
            }
            for (int i = 0; i < 30; i++) {
                assertNotEquals(null, consumer.receive(10_000), "message " + i);
            }
            consumer.close();
        }
        String metrics = cluster.httpUrl(cluster.indexOf(leader));
        String[] sub = {"kind", "topic", "destination", topic};
        await("no backlog on the leader").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            io.heraldmq.server.metrics.Scrape scrape = io.heraldmq.server.metrics.Scrape.of(metrics);
            double end = scrape.value("heraldmq_log_end_offset", sub);
            assertTrue(end > 30, "control records besides the 30 messages: log ends " + end);
            assertEquals(0.0, scrape.value("heraldmq_subscription_backlog_messages", sub), scrape.text());
        });
    }

    private String awaitLeader(int via, String not) {
        return awaitLeader(via, not, true, "orders");
    }

    private String awaitLeader(int via, String not, boolean queue, String destination) {
        AtomicReference<String> leader = new AtomicReference<>();
        try (HeraldAdmin admin = HeraldAdmin.connect(cluster.url(via))) {
            await("leader of " + destination).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                String l = ClusterProcesses.leaderOf(admin.clusterStatus(), queue, destination, PARTITIONS);
                leader.set(l);
                return l != null && !l.equals(not);
            });
        }
        return leader.get();
    }

    /**
     * A destination used for the first time through a broker is created there and relayed to whichever broker the
     * coordinator makes its leader (through a broker that does not lead it, a consumer once waited for a leader that
     * nobody had asked for, then failed NOT_LEADER).
     */
    private void autoCreatedDestinationsWorkThroughEveryBroker() throws JMSException {
        for (int i = 0; i < 3; i++) {
            try (Connection c = new HeraldConnectionFactory(cluster.url(i) + "?requestTimeout=30000")
                    .createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                for (boolean queue : new boolean[]{true, false}) {
                    jakarta.jms.Destination d = queue ? s.createQueue("fresh-q" + i) : s.createTopic("fresh-t" + i);
                    MessageConsumer consumer = s.createConsumer(d);
                    s.createProducer(d).send(s.createTextMessage("first through b" + i));
                    Message m = consumer.receive(30_000);
                    assertTrue(m instanceof TextMessage, d + " through b" + i + ": " + m);
                    assertEquals("first through b" + i, ((TextMessage) m).getText());
                }
            }
        }
    }

    private static void send(Session s, MessageProducer p, int from, int to, Set<Integer> sent)
            throws JMSException {
        for (int i = from; i < to; i++) {
            TextMessage m = s.createTextMessage("m" + i);
            m.setIntProperty("n", i);
            m.setStringProperty("JMSXGroupID", "g" + (i % GROUPS));
            p.send(m);
            sent.add(i);
        }
    }

    /**
     * Receives until {@code count} messages or until nothing more comes, checking that each group's messages come
     * in send order (first deliveries; redeliveries after a failover may repeat earlier ones).
     */
    private static void receive(MessageConsumer consumer, int count, Map<Integer, Integer> seen,
                                Set<Integer> redelivered) throws JMSException {
        Map<Integer, Integer> lastPerGroup = new HashMap<>();
        int got = 0;
        while (got < count) {
            Message m = consumer.receive(got == 0 ? 20_000 : 5_000);
            if (m == null) {
                break;
            }
            int n = m.getIntProperty("n");
            if (m.getJMSRedelivered()) {
                redelivered.add(n);
            }
            if (seen.merge(n, 1, Integer::sum) == 1) {
                int group = n % GROUPS;
                Integer last = lastPerGroup.put(group, n);
                assertTrue(last == null || last < n, "group " + group + ": " + n + " after " + last);
            }
            got++;
        }
    }
}
