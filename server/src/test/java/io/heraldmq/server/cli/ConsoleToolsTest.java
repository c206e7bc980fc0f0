package io.heraldmq.server.cli;

import io.heraldmq.admin.ClusterStatus;
import io.heraldmq.jms.message.HeraldBytesMessage;
import io.heraldmq.jms.message.HeraldMapMessage;
import io.heraldmq.jms.message.HeraldMessage;
import io.heraldmq.jms.message.HeraldObjectMessage;
import io.heraldmq.jms.message.HeraldStreamMessage;
import io.heraldmq.jms.message.HeraldTextMessage;
import io.heraldmq.server.Main;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console tools' arguments, output formats and progress lines, without a broker: everything here is refused or
 * formatted before any connection is made.
 */
class ConsoleToolsTest {
    private final ConsoleDestination.Converter destinations = new ConsoleDestination.Converter();

    record Run(int code, String out, String err) {
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertRun(Run run, int code, String text) {
        assertEquals(code, run.code(), run.toString());
        assertTrue((run.out() + run.err()).contains(text), run.toString());
    }

    @Test
    void destinationsAreQueueOrTopicUrls() {
        assertEquals(new ConsoleDestination(true, "orders"), destinations.convert("queue://orders"));
        assertEquals(new ConsoleDestination(false, "logs.web.eu"), destinations.convert("topic://logs.web.eu"));
        assertEquals("topic://logs.web.eu", destinations.convert("topic://logs.web.eu").toString());
        assertThrows(IllegalArgumentException.class, () -> destinations.convert("orders"));
        assertThrows(IllegalArgumentException.class, () -> destinations.convert("queue://"));
        assertThrows(IllegalArgumentException.class, () -> destinations.convert("jms://orders"));
    }

    @Test
    void badArgumentsAreRefusedBeforeConnectingWithExitCodeTwo() {
        // port 1: nothing listens there, so an argument that were not refused first would give exit code 3
        String url = "tcp://127.0.0.1:1";
        assertRun(cli("produce", "orders", "--url", url), 2, "not queue://NAME or topic://NAME");
        assertRun(cli("produce", "queue://orders", "--transacted", "0", "--url", url), 2,
                "--transacted must be at least 1");
        assertRun(cli("produce", "queue://orders", "--persistent", "--non-persistent", "--url", url), 2,
                "mutually exclusive");
        assertRun(cli("produce", "queue://orders", "--property", "novalue", "--url", url), 2, "KEY=VALUE");
        assertRun(cli("produce", "queue://orders", "--file", "/nonexistent/lines.txt", "--url", url), 2,
                "cannot read /nonexistent/lines.txt");
        assertRun(cli("consume", "queue://orders", "--max", "0", "--url", url), 2, "--max must be at least 1");
        assertRun(cli("consume", "queue://orders", "--from-beginning", "--url", url), 2,
                "--from-beginning is for topics");
        assertRun(cli("consume", "queue://orders", "--timeout", "soon", "--url", url), 2, "not a duration");
        assertRun(cli("consume", "queue://orders", "--output", "yaml", "--url", url), 2, "expected one of");
        assertRun(cli("topic", "list", "--output", "xml", "--url", url), 2, "expected one of [text, json]");
        assertRun(cli("consume"), 2, "Missing required parameter");
    }

    @Test
    void anUnreachableBrokerGivesExitCodeThree() {
        assertRun(cli("produce", "queue://orders", "--url", "tcp://127.0.0.1:1"), 3, "cannot connect");
        assertRun(cli("consume", "queue://orders", "--url", "tcp://127.0.0.1:1", "--timeout", "1s"), 3,
                "cannot connect");
        assertRun(cli("consume", "queue://orders", "--url", "http://127.0.0.1:1"), 3, "tcp://");
    }

    @Test
    void textOutputIsTheBodyOptionallyAfterTheProperties() throws Exception {
        HeraldTextMessage text = new HeraldTextMessage("a line");
        assertEquals("a line", MessageFormat.text(text, false));
        assertEquals("-\ta line", MessageFormat.text(text, true));
        text.setStringProperty("region", "eu");
        text.setIntProperty("attempt", 2);
        assertEquals("attempt=2,region=eu\ta line", MessageFormat.text(text, true));
        assertEquals("", MessageFormat.text(new HeraldTextMessage(), false));

        HeraldBytesMessage bytes = new HeraldBytesMessage();
        bytes.writeBytes("gr\u00fc\u00df".getBytes(StandardCharsets.UTF_8));
        assertEquals("gr\u00fc\u00df", MessageFormat.text(bytes, false));
        assertEquals("[ObjectMessage]", MessageFormat.text(new HeraldObjectMessage("x"), false));
        assertEquals("", MessageFormat.text(new HeraldMessage(), false));
    }

    @Test
    void jsonOutputCarriesHeadersTypedPropertiesAndEveryKindOfBody() throws Exception {
        ConsoleDestination queue = new ConsoleDestination(true, "orders");
        HeraldTextMessage text = new HeraldTextMessage("a \"quoted\"\nline");
        text.setJMSMessageID("ID:1");
        text.setJMSTimestamp(1_700_000_000_000L);
        text.setJMSCorrelationID("c-1");
        text.setStringProperty("region", "eu");
        text.setLongProperty("n", 42);
        text.setBooleanProperty("urgent", true);
        text.setDoubleProperty("ratio", 0.5);
        JsonObject json = new JsonObject(MessageFormat.json(text, queue).encode());
        assertEquals("queue://orders", json.getString("destination"));
        assertEquals("ID:1", json.getString("messageId"));
        assertEquals(1_700_000_000_000L, json.getLong("timestamp"));
        assertEquals("c-1", json.getString("correlationId"));
        assertEquals("persistent", json.getString("deliveryMode"));
        assertEquals(false, json.getBoolean("redelivered"));
        assertEquals("text", json.getString("bodyType"));
        assertEquals("a \"quoted\"\nline", json.getString("body"));
        assertEquals(new JsonObject().put("n", 42).put("ratio", 0.5).put("region", "eu").put("urgent", true),
                json.getJsonObject("properties"));
        assertTrue(!MessageFormat.json(text, queue).encode().contains("\n"), "one line per message");

        HeraldBytesMessage bytes = new HeraldBytesMessage();
        bytes.writeBytes(new byte[]{0, 1, (byte) 0xff});
        JsonObject b = MessageFormat.json(bytes, queue);
        assertEquals("bytes", b.getString("bodyType"));
        assertEquals("AAH/", b.getString("body"));

        HeraldMapMessage map = new HeraldMapMessage();
        map.setString("sku", "A-1");
        map.setInt("qty", 3);
        map.setBytes("raw", new byte[]{1});
        assertEquals(new JsonObject().put("qty", 3).put("raw", "AQ==").put("sku", "A-1"),
                MessageFormat.json(map, queue).getJsonObject("body"));
        assertEquals("{\"qty\":3,\"raw\":\"AQ==\",\"sku\":\"A-1\"}", MessageFormat.text(map, false));

        HeraldStreamMessage stream = new HeraldStreamMessage();
        stream.writeString("x");
        stream.writeLong(7);
        stream.writeChar('c');
        assertEquals(List.of("x", 7L, "c"), MessageFormat.json(stream, queue).getJsonArray("body").getList());

        JsonObject object = MessageFormat.json(new HeraldObjectMessage("secret"), queue);
        assertEquals("object", object.getString("bodyType"));
        assertNull(object.getValue("body"), "never deserialized");
        assertEquals("none", MessageFormat.json(new HeraldMessage(), queue).getString("bodyType"));
    }

    @Test
    void clusterStatusAsJson() {
        ClusterStatus status = new ClusterStatus(
                List.of(new ClusterStatus.Member("b1", "127.0.0.1:7440", true),
                        new ClusterStatus.Member("b2", "127.0.0.1:7441", false)),
                List.of(new ClusterStatus.Partition(false, "prices", 0, "b1", List.of("b1", "b2"), List.of("b1"), 3,
                        Map.of("b1", 0L)),
                        new ClusterStatus.Partition(true, "orders", 0, null, List.of("b2"), List.of(), 1, Map.of())));
        JsonObject json = new JsonObject(ClusterCommand.json(status).encode());
        assertEquals(new JsonObject().put("id", "b1").put("address", "127.0.0.1:7440").put("coordinator", true),
                json.getJsonArray("members").getJsonObject(0));
        JsonObject prices = json.getJsonArray("partitions").getJsonObject(0);
        assertEquals("topic", prices.getString("kind"));
        assertEquals("b1", prices.getString("leader"));
        assertEquals(List.of("b1", "b2"), prices.getJsonArray("replicas").getList());
        assertEquals(3, prices.getInteger("leaderEpoch"));
        assertEquals(0L, prices.getJsonObject("lag").getLong("b1"));
        assertTrue(prices.getJsonObject("lag").containsKey("b2") && prices.getJsonObject("lag").getValue("b2") == null,
                "a replica whose lag is unknown is null");
        JsonObject orders = json.getJsonArray("partitions").getJsonObject(1);
        assertEquals("queue", orders.getString("kind"));
        assertNull(orders.getValue("leader"), "offline");
    }

    @Test
    void progressPrintsAtMostOneLinePerInterval() {
        StringWriter err = new StringWriter();
        AtomicLong now = new AtomicLong();
        Progress progress = new Progress(new PrintWriter(err, true), "moved", now::get, Duration.ofSeconds(2));
        progress.at(10, 100);
        now.set(Duration.ofMillis(1999).toNanos());
        progress.at(20, 100);
        assertEquals("", err.toString(), "nothing before the first interval");
        now.set(Duration.ofSeconds(2).toNanos());
        progress.at(50, 100);
        now.set(Duration.ofSeconds(3).toNanos());
        progress.at(60, 100);
        now.set(Duration.ofSeconds(4).toNanos());
        progress.at(12_345, -1);
        assertEquals(List.of("moved 50 of 100 (50%), 25/s", "moved 12,345, 3,086/s"), err.toString().lines().toList());
    }
}
