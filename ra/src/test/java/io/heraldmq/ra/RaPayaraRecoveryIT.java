package io.heraldmq.ra;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.admin.PreparedTransaction;
import io.heraldmq.jms.HeraldConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The application server's own recovery: Payara Micro is killed (SIGKILL) while its transaction manager commits a
 * transaction whose HeraldMQ branch is prepared (its log holds the commit decision), and started again on the same
 * root directory and instance name; its startup recovery asks the adapter's XAResources for the broker's prepared
 * branches and commits this one. The broker stays up.
 */
class RaPayaraRecoveryIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static BrokerProcess broker;
    private static PayaraMicro payara;

    @BeforeAll
    static void start() throws Exception {
        broker = new BrokerProcess(Files.createDirectories(dir.resolve("broker")), freePort(), "");
        broker.start();
        payara = new PayaraMicro(Files.createDirectories(dir.resolve("payara")), freePort());
        payara.start(broker.url());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (payara != null) {
                payara.stop();
                copyLog(payara.log(), "payara-recovery.log");
            }
        } finally {
            if (broker != null) {
                broker.stop();
                copyLog(broker.log(), "broker-recovery.log");
            }
        }
    }

    private static void copyLog(Path log, String name) throws IOException {
        if (Files.exists(log)) {
            Path out = Files.createDirectories(Path.of("target", "ra-it"));
            Files.copy(log, out.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aServerKilledBetweenPrepareAndCommitCommitsTheBranchWhenItStartsAgain() throws Exception {
        payara.getAsync("crash?id=server-crash");
        await("the transaction manager in the second branch's commit").atMost(WAIT)
                .until(() -> payara.get("crash-state").equals("committing"));
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            List<PreparedTransaction> prepared = admin.listTransactions();
            assertEquals(1, prepared.size(), "HeraldMQ's branch prepared: " + prepared);
        }
        payara.kill();
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            assertEquals(1, admin.listTransactions().size(), "the broker holds the branch for the server");
        }

        long t0 = System.nanoTime();
        payara.restart();
        long booted = System.nanoTime();
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            await("the restarted server's recovery completes the branch").atMost(WAIT)
                    .until(() -> admin.listTransactions().isEmpty());
        }
        System.out.printf("Payara restarted in %d ms; branch completed %d ms after it was ready%n",
                (booted - t0) / 1_000_000, (System.nanoTime() - booted) / 1_000_000);

        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = s.createConsumer(s.createQueue("ra.crash"));
            TextMessage m = (TextMessage) consumer.receive(WAIT.toMillis());
            assertNotNull(m, "the prepared message, committed by the recovery");
            assertEquals("server-crash", m.getText());
            s.commit();
            consumer.close();
            try (QueueBrowser browser = s.createBrowser(s.createQueue("ra.crash"))) {
                assertEquals(List.of(), Collections.list(browser.getEnumeration()), "no duplicate");
            }
        }
    }
}
