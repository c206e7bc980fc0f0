package io.heraldmq.server.xa;

import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.ats.arjuna.common.arjPropertyManager;
import com.arjuna.ats.arjuna.common.recoveryPropertyManager;
import com.arjuna.ats.arjuna.recovery.RecoveryManager;
import com.arjuna.ats.arjuna.recovery.RecoveryModule;
import com.arjuna.ats.internal.jta.recovery.arjunacore.XARecoveryModule;
import com.arjuna.ats.jta.common.jtaPropertyManager;
import com.arjuna.ats.jta.recovery.XAResourceRecoveryHelper;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.jms.HeraldXAConnectionFactory;
import io.heraldmq.server.BrokerProcess;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Narayana (the JTA transaction manager of WildFly and Quarkus, run standalone here) enlists HeraldMQ and an H2
 * database (its XADataSource: real SQL) in one transaction: a message consumed, a row inserted and a message sent
 * commit together or not at all, and a broker killed ({@code kill -9}) after it prepared is completed by Narayana's
 * recovery manager once the broker is back: the row and the message both exist, once.
 */
class XaNarayanaIT {
    private static final long WAIT_MS = 10_000;

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private static TransactionManager tm;
    private static JdbcDataSource db;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void configureNarayana() throws Exception {
        String store = dir.resolve("narayana-store").toString();
        BeanPopulator.getDefaultInstance(ObjectStoreEnvironmentBean.class).setObjectStoreDir(store);
        BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, "communicationStore")
                .setObjectStoreDir(store);
        BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, "stateStore").setObjectStoreDir(store);
        arjPropertyManager.getCoreEnvironmentBean().setNodeIdentifier("heraldmq-it");
        jtaPropertyManager.getJTAEnvironmentBean().setXaRecoveryNodes(List.of("heraldmq-it"));
        recoveryPropertyManager.getRecoveryEnvironmentBean().setRecoveryBackoffPeriod(1);
        recoveryPropertyManager.getRecoveryEnvironmentBean().setRecoveryListener(false);
        tm = com.arjuna.ats.jta.TransactionManager.transactionManager();
        db = new JdbcDataSource();
        db.setURL("jdbc:h2:file:" + dir.resolve("orders-db"));
        try (var c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id VARCHAR(40) PRIMARY KEY, state VARCHAR(40))");
        }
    }

    @AfterAll
    static void stopRecovery() {
        RecoveryManager.manager(RecoveryManager.DIRECT_MANAGEMENT).terminate();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception ignored) {
                // a connection to a killed broker
            }
        }
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void commitWritesTheRowSendsTheMessageAndConsumesTheInput() throws Exception {
        send(broker.url(), "orders.in", "order-1");
        process(broker.url(), "order-1", true);
        assertEquals("shipped", rowState("order-1"));
        assertEquals(List.of("shipped order-1"), drain(broker.url(), "orders.out"));
        assertEquals(List.of(), drain(broker.url(), "orders.in"));
    }

    @Test
    void rollbackLeavesNeitherRowNorMessageAndRedeliversTheInput() throws Exception {
        send(broker.url(), "orders.in", "order-2");
        process(broker.url(), "order-2", false);
        assertEquals(null, rowState("order-2"));
        assertEquals(List.of(), drain(broker.url(), "orders.out"));
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer in = s.createConsumer(s.createQueue("orders.in"));
            c.start();
            Message m = in.receive(WAIT_MS);
            assertEquals("order-2", ((TextMessage) m).getText());
            assertTrue(m.getJMSRedelivered());
        }
    }

    @Test
    void aBrokerKilledAfterPrepareIsCompletedByRecovery() throws Exception {
        Path config = dir.resolve("broker.properties");
        Files.writeString(config, "");
        Path data = dir.resolve("crash-data");
        BrokerProcess first = BrokerProcess.start(config, data, dir.resolve("crash-1.out"));
        processes.add(first.process());
        String url = "tcp://127.0.0.1:" + first.port() + "?reconnectTimeoutMs=0&requestTimeout=10000";
        send(url, "orders.in", "order-3");

        XaWork work = XaWork.open(url, this);
        tm.begin();
        Transaction tx = tm.getTransaction();
        tx.enlistResource(work.session().getXAResource());
        javax.sql.XAConnection sql = db.getXAConnection();
        open.add(sql::close);
        tx.enlistResource(sql.getXAResource());
        // Prepared last: kills the broker once HeraldMQ and H2 have prepared.
        tx.enlistResource(new KillOnPrepare(first.process()));
        work.handle(sql, "order-3");
        try {
            tm.commit();
        } catch (Exception e) {
            // Narayana reports the branch it could not commit (the broker is dead); recovery finishes it
        }
        assertEquals("shipped", rowState("order-3"), "H2 committed its branch");

        BrokerProcess second = BrokerProcess.start(config, data, dir.resolve("crash-2.out"), first.port());
        processes.add(second.process());
        XAConnection recoveryConnection = new HeraldXAConnectionFactory(url).createXAConnection();
        open.add(recoveryConnection);
        XAResource herald = recoveryConnection.createXASession().getXAResource();
        assertEquals(1, herald.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN).length,
                "the broker kept the prepared branch");
        assertEquals(List.of(), drain(url, "orders.out"), "invisible until it commits");

        RecoveryManager manager = RecoveryManager.manager(RecoveryManager.DIRECT_MANAGEMENT);
        XARecoveryModule xaModule = null;
        for (RecoveryModule m : manager.getModules()) {
            if (m instanceof XARecoveryModule x) {
                xaModule = x;
            }
        }
        assertNotNull(xaModule, "Narayana's XA recovery module");
        XAResourceRecoveryHelper helper = new XAResourceRecoveryHelper() {
            @Override
            public boolean initialise(String p) {
                return true;
            }

            @Override
            public XAResource[] getXAResources() {
                return new XAResource[]{herald};
            }
        };
        xaModule.addXAResourceRecoveryHelper(helper);
        try {
            await("Narayana's recovery commits the broker's branch").atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        manager.scan();
                        return herald.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN).length == 0;
                    });
        } finally {
            xaModule.removeXAResourceRecoveryHelper(helper);
        }
        assertEquals(List.of("shipped order-3"), drain(url, "orders.out"), "the message, once");
        assertEquals(List.of(), drain(url, "orders.in"), "the input consumed, not redelivered");
        assertEquals("shipped", rowState("order-3"));
    }

    /** Consumes {@code id} from orders.in, inserts its row and sends orders.out, in one JTA transaction. */
    private void process(String url, String id, boolean commit) throws Exception {
        XaWork work = XaWork.open(url, this);
        javax.sql.XAConnection sql = db.getXAConnection();
        open.add(sql::close);
        tm.begin();
        Transaction tx = tm.getTransaction();
        tx.enlistResource(work.session().getXAResource());
        tx.enlistResource(sql.getXAResource());
        work.handle(sql, id);
        if (commit) {
            tm.commit();
        } else {
            tm.rollback();
        }
        work.connection().close(); // its consumer would otherwise be the one given a redelivered input again
    }

    /** An XA session consuming orders.in and sending to orders.out. */
    private record XaWork(XAConnection connection, XASession session, MessageConsumer in, MessageProducer out) {
        static XaWork open(String url, XaNarayanaIT test) throws Exception {
            XAConnection c = new HeraldXAConnectionFactory(url).createXAConnection();
            test.open.add(c);
            c.start();
            XASession s = c.createXASession();
            MessageProducer out = s.createProducer(s.createQueue("orders.out"));
            out.setDeliveryMode(DeliveryMode.PERSISTENT);
            return new XaWork(c, s, s.createConsumer(s.createQueue("orders.in")), out);
        }

        void handle(javax.sql.XAConnection sql, String id) throws Exception {
            Message m = in.receive(WAIT_MS);
            assertEquals(id, ((TextMessage) m).getText());
            try (PreparedStatement ps = sql.getConnection().prepareStatement("INSERT INTO orders VALUES (?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, "shipped");
                ps.executeUpdate();
            }
            out.send(session.createTextMessage("shipped " + id));
        }
    }

    private static String rowState(String id) throws Exception {
        try (var c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT state FROM orders WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void send(String url, String queue, String text) throws Exception {
        try (Connection c = new HeraldConnectionFactory(url).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue(queue)).send(s.createTextMessage(text));
        }
    }

    private static List<String> drain(String url, String queue) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = new HeraldConnectionFactory(url).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            c.start();
            for (Message m = consumer.receive(500); m != null; m = consumer.receive(500)) {
                out.add(((TextMessage) m).getText());
            }
        }
        return out;
    }

    /** A resource that does nothing but kill the broker process when it is prepared (after the others were). */
    private static final class KillOnPrepare implements XAResource {
        private final Process broker;

        KillOnPrepare(Process broker) {
            this.broker = broker;
        }

        @Override
        public int prepare(Xid xid) throws XAException {
            broker.destroyForcibly();
            try {
                broker.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return XA_OK;
        }

        @Override
        public void commit(Xid xid, boolean onePhase) {
        }

        @Override
        public void end(Xid xid, int flags) {
        }

        @Override
        public void forget(Xid xid) {
        }

        @Override
        public int getTransactionTimeout() {
            return 0;
        }

        @Override
        public boolean isSameRM(XAResource other) {
            return other == this;
        }

        @Override
        public Xid[] recover(int flag) {
            return new Xid[0];
        }

        @Override
        public void rollback(Xid xid) {
        }

        @Override
        public boolean setTransactionTimeout(int seconds) {
            return false;
        }

        @Override
        public void start(Xid xid, int flags) {
        }
    }
}
