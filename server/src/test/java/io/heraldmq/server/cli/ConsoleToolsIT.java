package io.heraldmq.server.cli;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.Main;
import io.heraldmq.server.junit.BrokerExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code heraldmq produce} and {@code consume} against a real broker, in-process through {@link Main#execute}, and
 * the listings' {@code --output json}. Each test uses destinations of its own.
 */
class ConsoleToolsIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    record Run(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private static Run cli(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--url");
        all.add(broker.url());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private static Run ok(String stdin, String... args) {
        Run run = cli(stdin, args);
        assertEquals(0, run.code(), run.toString());
        return run;
    }

    @Test
    void linesInLinesOutEmptyLinesAndUnicodeIncluded() {
        Run produced = ok("first\n\nthird \u00e9\u00e8 \u2713\r\nlast without newline", "produce", "queue://ct-lines");
        assertTrue(produced.err().contains("produced 4 message(s) to queue://ct-lines"), produced.err());
        assertEquals("", produced.out(), "stdout stays empty: the summary goes to stderr");
        Run consumed = ok("", "consume", "queue://ct-lines", "--max", "4");
        assertEquals(List.of("first", "", "third \u00e9\u00e8 \u2713", "last without newline"), consumed.lines());
        assertTrue(consumed.err().contains("consumed 4 message(s) from queue://ct-lines"), consumed.err());
        Run none = ok("", "consume", "queue://ct-lines", "--timeout", "300ms");
        assertEquals("", none.out(), "consumed, not browsed: the queue is empty now");
    }

    @Test
    void propertiesDeliveryModeAndJsonOutput() throws Exception {
        ok("one\ntwo\n", "produce", "queue://ct-json", "--property", "region=eu", "--property", "app=cli",
                "--non-persistent");
        Run text = ok("", "consume", "queue://ct-json", "--max", "1", "--properties");
        assertEquals(List.of("JMSXDeliveryCount=1,app=cli,region=eu\tone"), text.lines());
        Run json = ok("", "consume", "queue://ct-json", "--max", "1", "--output", "json");
        assertEquals(1, json.lines().size(), json.out());
        JsonObject m = new JsonObject(json.lines().get(0));
        assertEquals("two", m.getString("body"));
        assertEquals("text", m.getString("bodyType"));
        assertEquals("queue://ct-json", m.getString("destination"));
        assertEquals("non-persistent", m.getString("deliveryMode"));
        assertEquals("eu", m.getJsonObject("properties").getString("region"));
        assertEquals(1, m.getJsonObject("properties").getInteger("JMSXDeliveryCount"));
        assertTrue(m.getString("messageId").startsWith("ID:"), m.encode());

        ok("persistent\n", "produce", "queue://ct-json", "--persistent");
        assertEquals("persistent", new JsonObject(ok("", "consume", "queue://ct-json", "--max", "1", "-o", "json")
                .lines().get(0)).getString("deliveryMode"));
    }

    @Test
    void maxLeavesTheRestInTheQueue() {
        ok(numbers(1, 10), "produce", "queue://ct-max");
        assertEquals(List.of("1", "2", "3"), ok("", "consume", "queue://ct-max", "--max", "3").lines());
        assertEquals(lines(4, 10), ok("", "consume", "queue://ct-max", "--max", "7").lines());
    }

    @Test
    void timeoutEndsAWaitWithoutMessages() {
        long start = System.nanoTime();
        Run run = ok("", "consume", "topic://ct-quiet", "--timeout", "500ms");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals("", run.out());
        assertTrue(run.err().contains("consumed 0 message(s) from topic://ct-quiet"), run.err());
        assertTrue(ms >= 500 && ms < 15_000, "took " + ms + " ms");
    }

    @Test
    void transactedBatchesAndAFileAsInput(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("lines.txt");
        Files.writeString(file, numbers(1, 2500));
        Run produced = ok("ignored: --file wins", "produce", "queue://ct-file", "--file", file.toString(),
                "--transacted", "1000");
        assertTrue(produced.err().contains("produced 2,500 message(s) to queue://ct-file"), produced.err());
        assertEquals(lines(1, 2500), ok("", "consume", "queue://ct-file", "--max", "2500", "--timeout", "10s")
                .lines());
    }

    @Test
    void fromBeginningReplaysATopicAndLeavesNoSubscriptionBehind() {
        ok(numbers(1, 5), "produce", "topic://ct-replay");
        assertEquals("", ok("", "consume", "topic://ct-replay", "--timeout", "300ms").out(),
                "a plain subscriber gets only what comes after it subscribed");
        assertEquals(lines(1, 5), ok("", "consume", "topic://ct-replay", "--from-beginning", "--max", "5").lines());
        assertEquals(lines(1, 5), ok("", "consume", "topic://ct-replay", "--from-beginning", "--timeout", "1s")
                .lines(), "again: a replay consumes nothing");
        JsonArray subscriptions = new JsonArray(ok("", "sub", "list", "--topic", "ct-replay", "-o", "json").out());
        assertEquals(0, subscriptions.size(), subscriptions.encodePrettily());
    }

    @Test
    void selectorFiltersAndABadSelectorIsBadInput() {
        ok("eu\n", "produce", "queue://ct-sel", "--property", "region=eu");
        ok("us\n", "produce", "queue://ct-sel", "--property", "region=us");
        assertEquals(List.of("us"), ok("", "consume", "queue://ct-sel", "--selector", "region = 'us'", "--max",
                "1").lines());
        Run bad = cli("", "consume", "queue://ct-sel", "--selector", "region = = 'us'", "--timeout", "1s");
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().startsWith("error: "), bad.err());
    }

    @Test
    void aBadPropertyNameIsRefusedBeforeAnythingIsSent() {
        Run bad = cli("x\n", "produce", "queue://ct-badprop", "--property", "not a name=1");
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().contains("--property: invalid property name 'not a name'"), bad.err());
        assertTrue(cli("", "consume", "queue://ct-badprop", "--timeout", "300ms").out().isEmpty());
    }

    @Test
    void aRefusedSendFailsTheCommandWithExitCodeOne() {
        String tooLarge = "x".repeat(2 << 20);
        Run run = cli("small\n" + tooLarge + "\n", "produce", "queue://ct-large");
        assertEquals(1, run.code(), run.toString());
        assertTrue(run.err().contains("refused line 2: message of"), run.err());
        assertTrue(run.err().contains("(1 message(s) acknowledged; reading stopped there)"), run.err());
        Run transacted = cli("small\n" + tooLarge + "\n", "produce", "queue://ct-large", "--transacted", "1");
        assertEquals(1, transacted.code(), transacted.toString());
        assertTrue(transacted.err().contains("refused line 2: message of"), transacted.err());
        assertTrue(transacted.err().contains("(1 message(s) committed before it)"), transacted.err());
        assertEquals(List.of("small", "small"), ok("", "consume", "queue://ct-large", "--max", "2").lines());
    }

    @Test
    void consumesWhatAJmsApplicationSent() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("ct-app"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            var map = s.createMapMessage();
            map.setString("sku", "A-1");
            p.send(map);
            var bytes = s.createBytesMessage();
            bytes.writeBytes("raw".getBytes(StandardCharsets.UTF_8));
            p.send(bytes);
        }
        List<String> out = ok("", "consume", "queue://ct-app", "--max", "2", "-o", "json").lines();
        assertEquals(new JsonObject().put("sku", "A-1"), new JsonObject(out.get(0)).getJsonObject("body"));
        assertEquals("cmF3", new JsonObject(out.get(1)).getString("body"));
    }

    @Test
    void producedMessagesReachAJmsApplication() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("ct-to-app"));
            c.start();
            ok("hello\n", "produce", "queue://ct-to-app", "--property", "JMSXGroupID=g1");
            Message m = consumer.receive(10_000);
            assertNotNull(m);
            assertEquals("hello", ((TextMessage) m).getText());
            assertEquals("g1", m.getStringProperty("JMSXGroupID"));
            assertEquals(DeliveryMode.PERSISTENT, m.getJMSDeliveryMode());
            assertNull(consumer.receiveNoWait());
        }
    }

    @Test
    void listingsAsJson() {
        ok("a\nb\n", "produce", "queue://ct-list");
        JsonArray topics = new JsonArray(ok("", "topic", "list", "--output", "json").out());
        JsonObject queue = topics.stream().map(JsonObject.class::cast)
                .filter(t -> t.getString("name").equals("ct-list")).findFirst().orElseThrow();
        assertEquals("queue", queue.getString("kind"));
        assertEquals(2L, queue.getLong("messages"));
        assertEquals(1, queue.getInteger("partitions"));
        assertTrue(queue.getLong("sizeBytes") > 0, queue.encode());

        JsonArray subs = new JsonArray(ok("", "sub", "list", "--topic", "ct-list", "-o", "json").out());
        assertEquals(1, subs.size(), subs.encode());
        assertEquals("queue:ct-list", subs.getJsonObject(0).getString("id"));
        assertEquals(2L, subs.getJsonObject(0).getLong("backlog"));
        assertEquals(2L, subs.getJsonObject(0).getJsonObject("backlogByPartition").getLong("0"));

        ok("", "topic", "create", "DLQ.ct-list", "--queue");
        ok("dead\n", "produce", "queue://DLQ.ct-list", "--property", "JMS_HeraldOriginalDestination=queue://ct-list");
        JsonArray letters = new JsonArray(ok("", "dlq", "list", "ct-list", "-o", "json").out());
        assertEquals(1, letters.size(), letters.encode());
        assertEquals("dead", letters.getJsonObject(0).getString("text"));
        assertEquals("queue://ct-list", letters.getJsonObject(0).getString("originalDestination"));
        Run retried = ok("", "dlq", "retry", "ct-list");
        assertTrue(retried.out().contains("moved 1 message(s) from DLQ.ct-list"), retried.toString());
        assertEquals(List.of("a", "b", "dead"), ok("", "consume", "queue://ct-list", "--max", "3").lines());
        Run cluster = cli("", "cluster", "status", "-o", "json");
        assertEquals(1, cluster.code(), "a single node: " + cluster);
        assertTrue(cluster.err().contains("not clustered"), cluster.toString());
    }

    @Test
    void dlqDeleteTakesOneByOffsetOrMessageIdOrAll() {
        ok("", "topic", "create", "DLQ.ct-del", "--queue");
        ok("one\ntwo\nthree\nfour\n", "produce", "queue://DLQ.ct-del", "--property",
                "JMS_HeraldOriginalDestination=queue://ct-del");
        JsonArray letters = new JsonArray(ok("", "dlq", "list", "ct-del", "-o", "json").out());
        assertEquals(4, letters.size(), letters.encode());

        Run byOffset = ok("", "dlq", "delete", "ct-del", "--offset", letters.getJsonObject(0).getLong("offset")
                .toString());
        assertEquals("deleted 1 message(s) from DLQ.ct-del", byOffset.out().strip());
        Run byId = ok("", "dlq", "delete", "DLQ.ct-del", "--message-id",
                letters.getJsonObject(1).getString("messageId"), "-o", "json");
        assertEquals(new JsonObject().put("deadLetterQueue", "DLQ.ct-del").put("deleted", 1),
                new JsonObject(byId.out()));
        JsonArray left = new JsonArray(ok("", "dlq", "list", "ct-del", "-o", "json").out());
        assertEquals(List.of("three", "four"), left.stream().map(o -> ((JsonObject) o).getString("text")).toList());

        Run gone = cli("", "dlq", "delete", "ct-del", "--offset", letters.getJsonObject(0).getLong("offset")
                .toString());
        assertEquals(1, gone.code(), gone.toString());
        assertTrue(gone.err().contains("DLQ.ct-del holds no message at offset"), gone.toString());
        Run both = cli("", "dlq", "delete", "ct-del", "--offset", "1", "--message-id", "ID:x");
        assertEquals(2, both.code(), both.toString());
        assertTrue(both.err().contains("mutually exclusive"), both.toString());

        Run all = ok("", "dlq", "delete", "ct-del");
        assertEquals("deleted 2 message(s) from DLQ.ct-del", all.out().strip());
        assertEquals("[]", ok("", "dlq", "list", "ct-del", "-o", "json").out().strip());
        Run none = cli("", "dlq", "delete", "ct-nope");
        assertEquals(1, none.code(), none.toString());
        assertTrue(none.err().contains("'DLQ.ct-nope' does not exist"), none.toString());
    }

    @Test
    void dlqRetryTakesOneByOffsetOrMessageIdOrAll() {
        ok("", "topic", "create", "ct-retry", "--queue");
        ok("", "topic", "create", "DLQ.ct-retry", "--queue");
        ok("one\ntwo\nthree\nfour\n", "produce", "queue://DLQ.ct-retry", "--property",
                "JMS_HeraldOriginalDestination=queue://ct-retry");
        JsonArray letters = new JsonArray(ok("", "dlq", "list", "ct-retry", "-o", "json").out());
        assertEquals(4, letters.size(), letters.encode());

        Run byOffset = ok("", "dlq", "retry", "ct-retry", "--offset", letters.getJsonObject(1).getLong("offset")
                .toString());
        assertEquals("moved 1 message(s) from DLQ.ct-retry", byOffset.out().strip());
        assertEquals(List.of("two"), ok("", "consume", "queue://ct-retry", "--max", "1").lines());
        Run byId = ok("", "dlq", "retry", "DLQ.ct-retry", "--message-id",
                letters.getJsonObject(3).getString("messageId"), "-o", "json");
        assertEquals(new JsonObject().put("deadLetterQueue", "DLQ.ct-retry").put("moved", 1),
                new JsonObject(byId.out()));
        assertEquals(List.of("four"), ok("", "consume", "queue://ct-retry", "--max", "1").lines());
        JsonArray left = new JsonArray(ok("", "dlq", "list", "ct-retry", "-o", "json").out());
        assertEquals(List.of("one", "three"), left.stream().map(o -> ((JsonObject) o).getString("text")).toList());

        Run gone = cli("", "dlq", "retry", "ct-retry", "--message-id", letters.getJsonObject(3).getString("messageId"));
        assertEquals(1, gone.code(), gone.toString());
        assertTrue(gone.err().contains("DLQ.ct-retry holds no message with JMSMessageID"), gone.toString());
        Run both = cli("", "dlq", "retry", "ct-retry", "--offset", "1", "--message-id", "ID:x");
        assertEquals(2, both.code(), both.toString());
        assertTrue(both.err().contains("mutually exclusive"), both.toString());

        Run all = ok("", "dlq", "retry", "ct-retry", "-o", "json");
        assertEquals(new JsonObject().put("deadLetterQueue", "DLQ.ct-retry").put("moved", 2),
                new JsonObject(all.out()));
        assertEquals(List.of("one", "three"), ok("", "consume", "queue://ct-retry", "--max", "2").lines());
        assertEquals("[]", ok("", "dlq", "list", "ct-retry", "-o", "json").out().strip());
    }

    private static String numbers(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n"));
    }

    private static List<String> lines(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(Integer::toString).toList();
    }
}
