package io.heraldmq.server.cli;

import io.heraldmq.server.Main;
import io.heraldmq.server.junit.BrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The administrative command line ({@code heraldmq topic|sub|dlq ...}) against a running broker: output, clear errors
 * and exit codes (0 done, 1 refused by the broker, 2 bad arguments, 3 broker unreachable). Most cases call
 * {@link Main#execute} in-process; one runs the packaged jar as a user would.
 */
class AdminCliIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    /** Exit code and what went to stdout and stderr. */
    record Run(int code, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Run admin(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--url");
        all.add(broker.url());
        return cli(all.toArray(String[]::new));
    }

    static void assertRun(Run run, int code, String expectedText) {
        assertEquals(code, run.code(), run.toString());
        assertTrue((run.out() + run.err()).contains(expectedText), run.toString());
    }

    @Test
    void createsListsAndDeletesTopicsAndQueues() {
        assertRun(admin("topic", "create", "cli-orders", "--partitions", "3", "--retention", "7d"), 0,
                "created topic cli-orders");
        assertRun(admin("topic", "create", "cli-jobs", "--queue"), 0, "created queue cli-jobs");
        Run list = admin("topic", "list");
        assertEquals(0, list.code(), list.toString());
        assertTrue(list.out().startsWith("NAME"), list.out());
        assertTrue(list.out().matches("(?s).*cli-orders\\s+topic\\s+3\\s+PT168H\\s+-\\s+\\d+\\s+0\\R.*"), list.out());
        assertTrue(list.out().matches("(?s).*cli-jobs\\s+queue\\s+1\\s+.*"), list.out());

        assertRun(admin("topic", "create", "cli-orders"), 1, "already exists");
        assertRun(admin("topic", "delete", "cli-orders"), 0, "deleted topic cli-orders");
        assertRun(admin("topic", "delete", "cli-jobs", "--queue"), 0, "deleted queue cli-jobs");
        assertTrue(!admin("topic", "list").out().contains("cli-orders"));
    }

    @Test
    void listsAndDecidesPreparedXaBranches() throws Exception {
        io.heraldmq.protocol.WireXid xid = new io.heraldmq.protocol.WireXid(9, new byte[]{0x12, 0x34},
                new byte[]{0x56});
        try (jakarta.jms.XAConnection c = new io.heraldmq.jms.HeraldXAConnectionFactory(broker.url())
                .createXAConnection()) {
            jakarta.jms.XASession xs = c.createXASession();
            javax.transaction.xa.XAResource r = xs.getXAResource();
            r.start(xid, javax.transaction.xa.XAResource.TMNOFLAGS);
            xs.createProducer(xs.createQueue("cli-xa")).send(xs.createTextMessage("held"));
            r.end(xid, javax.transaction.xa.XAResource.TMSUCCESS);
            r.prepare(xid);
        }
        Run list = admin("tx", "list");
        assertEquals(0, list.code(), list.toString());
        assertTrue(list.out().startsWith("XID"), list.out());
        assertTrue(list.out().matches("(?s).*9:1234:56\\s+prepared\\s+\\S+\\s+1\\s+0\\s+queue:cli-xa\\R.*"),
                list.out());
        assertRun(admin("tx", "rollback", "9:1234:56"), 0, "rolled back 9:1234:56");
        assertTrue(admin("tx", "list").out().contains("heuristic-rollback"));
        assertRun(admin("tx", "commit", "9:1234:56"), 1, "rolled back by an operator");
        assertRun(admin("tx", "commit", "9:ab:cd"), 1, "no XA branch 9:ab:cd");
        assertRun(admin("tx", "commit", "not-an-xid"), 2, "formatId:globalIdHex:branchQualifierHex");
    }

    @Test
    void unknownNamesAreRefusedWithExitCodeOne() {
        assertRun(admin("topic", "delete", "cli-nope"), 1, "topic 'cli-nope' does not exist");
        assertRun(admin("sub", "seek", "durable:someone:nope", "--to-end"), 1, "no durable subscription");
        assertRun(admin("sub", "delete", "durable:someone:nope"), 1, "no durable subscription");
        assertRun(admin("dlq", "list", "cli-nope"), 1, "dead-letter queue 'DLQ.cli-nope' does not exist");
    }

    @Test
    void badArgumentsGiveUsageAndExitCodeTwo() {
        assertRun(admin("topic", "create", "cli-x", "--partitions", "many"), 2, "Invalid value");
        assertRun(admin("topic", "create", "cli-x", "--partitions", "0"), 2, "--partitions must be at least 1");
        assertRun(admin("topic", "create", "cli-x", "--retention", "soon"), 2, "not a duration");
        assertRun(admin("topic", "create"), 2, "Missing required parameter");
        assertRun(admin("sub", "seek", "queue:cli-x"), 2, "Missing required argument");
        assertRun(admin("sub", "seek", "queue:cli-x", "--to-end", "--to-beginning"), 2, "mutually exclusive");
        assertRun(admin("sub", "seek", "queue:cli-x", "--to-timestamp", "yesterday"), 2, "not a time");
        assertRun(admin("topic", "rename", "a"), 2, "Unmatched argument");
        assertRun(cli("topic"), 2, "Missing required subcommand");
    }

    @Test
    void showsAndChangesDeadLetterSettings() {
        assertRun(admin("topic", "create", "cli-dls", "--queue"), 0, "created");
        Run shown = admin("dlq", "settings", "queue", "cli-dls");
        assertEquals(0, shown.code(), shown.toString());
        assertTrue(shown.out().startsWith("KIND"), shown.out());
        assertTrue(shown.out().matches("(?s).*queue\\s+cli-dls\\s+10\\s+PT0S\\s+2\\.0\\s+PT1M\\s+DLQ\\.cli-dls"
                + "\\s+broker defaults\\R.*"), shown.out());

        Run changed = admin("dlq", "settings", "queue", "cli-dls", "--max-attempts", "2", "--delay", "1s",
                "--multiplier", "3", "--max-delay", "1m", "--dead-letter-queue", "cli-bin");
        assertEquals(0, changed.code(), changed.toString());
        assertTrue(changed.out().matches("(?s).*queue\\s+cli-dls\\s+2\\s+PT1S\\s+3\\.0\\s+PT1M\\s+cli-bin"
                + "\\s+destination\\R.*"), changed.out());
        Run unlimited = admin("dlq", "settings", "queue", "cli-dls", "--max-attempts", "-1", "--delay", "0");
        assertTrue(unlimited.out().matches("(?s).*queue\\s+cli-dls\\s+unlimited\\s+PT0S\\s+3\\.0\\s+PT1M"
                + "\\s+cli-bin\\s+destination\\R.*"), unlimited.toString());
        assertRun(admin("dlq", "settings", "queue", "cli-dls"), 0, "unlimited");
    }

    @Test
    void badDeadLetterSettingsAreRefusedWithAClearError() {
        assertRun(admin("topic", "create", "cli-dlx"), 0, "created");
        assertRun(admin("dlq", "settings", "queue", "cli-dlx"), 1, "queue 'cli-dlx' does not exist");
        assertRun(admin("dlq", "settings", "topic", "cli-dlx-none", "--max-attempts", "3"), 1,
                "topic 'cli-dlx-none' does not exist");
        assertRun(admin("dlq", "settings", "channel", "cli-dlx"), 2, "expected one of [queue, topic]");
        assertRun(admin("dlq", "settings", "topic"), 2, "Missing required parameter");
        assertRun(admin("dlq", "settings", "topic", "cli-dlx", "--max-attempts", "0"), 2,
                "max delivery attempts must be at least 1, or -1 for unlimited");
        assertRun(admin("dlq", "settings", "topic", "cli-dlx", "--max-attempts", "few"), 2, "Invalid value");
        assertRun(admin("dlq", "settings", "topic", "cli-dlx", "--multiplier", "0.5"), 2,
                "multiplier must be at least 1.0");
        assertRun(admin("dlq", "settings", "topic", "cli-dlx", "--delay", "soon"), 2, "not a duration");
        assertRun(admin("dlq", "settings", "topic", "cli-dlx", "--delay", "-1s"), 2, "must be positive");
        assertRun(admin("dlq", "settings", "topic", "cli-dlx", "--delay", "10s", "--max-delay", "1s"), 2,
                "must not be below the redelivery delay");
        assertRun(admin("dlq", "settings", "topic", "cli-dlx"), 0, "broker defaults");
    }

    @Test
    void anUnreachableBrokerGivesExitCodeThree() {
        assertRun(cli("topic", "list", "--url", "tcp://127.0.0.1:1"), 3, "cannot connect");
        assertRun(cli("topic", "list", "--url", "http://127.0.0.1:1"), 3, "must start with tcp://");
    }

    @Test
    void listsMovesAndDeletesSubscriptionsAndHandlesDeadLetterQueues() {
        assertRun(admin("topic", "create", "cli-work", "--queue"), 0, "created");
        Run subs = admin("sub", "list", "--topic", "cli-work");
        assertTrue(subs.out().matches("(?s).*queue:cli-work\\s+queue://cli-work\\s+cli-work\\s+-\\s+true\\s+true"
                + "\\s+-\\s+0\\s+0\\s+0\\s+PT168H\\R.*"), subs.toString());
        assertRun(admin("sub", "seek", "queue:cli-work", "--to-beginning"), 0, "moved queue:cli-work");
        assertRun(admin("sub", "seek", "queue:cli-work", "--to-offset", "0", "--partition", "0"), 0, "PARTITION");
        assertRun(admin("sub", "seek", "queue:cli-work", "--to-timestamp", "2026-01-01T00:00:00Z"), 0, "moved");
        assertRun(admin("sub", "seek", "queue:cli-work", "--to-end", "--partition", "0"), 2,
                "--partition goes with --to-offset only");
        assertRun(admin("sub", "delete", "queue:cli-work"), 1, "delete the queue");

        assertRun(admin("topic", "create", "DLQ.cli-work", "--queue"), 0, "created");
        assertRun(admin("dlq", "list", "cli-work"), 0, "OFFSET");
        assertRun(admin("dlq", "retry", "cli-work"), 0, "moved 0 message(s) from DLQ.cli-work");
    }

    @Test
    void thePackagedJarRunsTheCommands() throws Exception {
        Path jar = Path.of("target", "heraldmq-server.jar");
        assertTrue(Files.exists(jar), "run after package: " + jar.toAbsolutePath());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Run created = process(java, "-jar", jar.toString(), "topic", "create", "cli-jar", "--url", broker.url());
        assertRun(created, 0, "created topic cli-jar");
        assertRun(process(java, "-jar", jar.toString(), "topic", "list", "--url", broker.url()), 0, "cli-jar");
        assertRun(process(java, "-jar", jar.toString(), "topic", "delete", "cli-jar-nope", "--url", broker.url()), 1,
                "does not exist");
    }

    private static Run process(String... command) throws Exception {
        Process p = new ProcessBuilder(command).start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        drain.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the command did not finish");
        drain.join(10_000);
        return new Run(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
    }
}
