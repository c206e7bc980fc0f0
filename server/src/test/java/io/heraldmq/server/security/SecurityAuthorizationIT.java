package io.heraldmq.server.security;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.admin.HeraldAdminException;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TransactionRolledBackException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-destination authorization with a real broker, real sockets and the JMS client: one test per permission, each
 * refusal a JMSSecurityException (JMSSecurityRuntimeException in the simplified API) naming the user, the
 * permission and the destination, on a connection that stays usable; and the audit line each leaves in
 * {@code audit.file}.
 * <p>
 * Roles: {@code producer} sends to and creates {@code orders.#}; {@code consumer} consumes and creates durable
 * subscriptions on {@code orders.#}; {@code reader} only consumes {@code orders.#}; {@code auditor} only browses;
 * {@code sender} sends anywhere but creates nothing; {@code admin} may do everything.
 */
class SecurityAuthorizationIT {
    private static final Path AUDIT = auditFile();

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.withSettings(Map.ofEntries(
            entry("user.alice", hash("alice-pw")), entry("user.alice.roles", "producer,consumer"),
            entry("user.bob", hash("bob-pw")), entry("user.bob.roles", "auditor"),
            entry("user.carol", hash("carol-pw")), entry("user.carol.roles", "reader"),
            entry("user.dave", hash("dave-pw")), entry("user.dave.roles", "sender"),
            entry("user.eve", hash("eve-pw")),
            entry("user.admin", hash("admin-pw")), entry("user.admin.roles", "admin"),
            entry("permission.send.orders.#", "producer,admin"),
            entry("permission.send.#", "sender,admin"),
            entry("permission.createDestination.orders.#", "producer,admin"),
            entry("permission.createDestination.#", "admin"),
            entry("permission.consume.orders.#", "consumer,reader,admin"),
            entry("permission.browse.orders.#", "auditor,admin"),
            entry("permission.createDurable.orders.#", "consumer,admin"),
            entry("permission.deleteDurable.#", "admin"),
            entry("permission.deleteDestination.#", "admin"),
            entry("permission.manage.#", "admin"),
            entry("audit.file", AUDIT.toString())));

    private static Path auditFile() {
        try {
            return Files.createTempDirectory("heraldmq-audit").resolve("audit.log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hash(String password) {
        return PasswordHash.create(password.toCharArray(), 1_000).encoded();
    }

    private static Connection connect(String user) throws JMSException {
        Connection c = new HeraldConnectionFactory(broker.url()).createConnection(user, user + "-pw");
        c.start();
        return c;
    }

    private static Connection connect(String user, String clientId) throws JMSException {
        Connection c = new HeraldConnectionFactory(broker.url() + "?clientID=" + clientId)
                .createConnection(user, user + "-pw");
        c.start();
        return c;
    }

    /** The refusal names user, permission and destination, and the audit file has its DENIED line. */
    private static void assertRefused(Exception e, String user, String permission, String destination)
            throws IOException {
        String m = e.getMessage();
        assertTrue(m.contains("user '" + user + "'") && m.contains("'" + permission + "'")
                && m.contains("'" + destination + "'"), m);
        assertAudited("DENIED user=" + user + " permission=" + permission + " destination=");
    }

    private static void assertAudited(String fragment) throws IOException {
        List<String> lines = Files.readAllLines(AUDIT);
        assertTrue(lines.stream().anyMatch(l -> l.contains(fragment)), () -> "no audit line with '" + fragment
                + "' in " + lines);
    }

    private static void send(Session s, jakarta.jms.Destination d, String text) throws JMSException {
        s.createProducer(d).send(s.createTextMessage(text));
    }

    @Test
    void send() throws Exception {
        try (Connection c = connect("alice")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            send(s, s.createQueue("orders.send"), "ok");
            JMSSecurityException e = assertThrows(JMSSecurityException.class,
                    () -> send(s, s.createQueue("prices.send"), "refused"));
            assertRefused(e, "alice", "send", "prices.send");
            // the connection stays: the next allowed send goes through
            send(s, s.createQueue("orders.send"), "still connected");
            MessageConsumer consumer = s.createConsumer(s.createQueue("orders.send"));
            assertEquals("ok", ((TextMessage) consumer.receive(10_000)).getText());
            assertEquals("still connected", ((TextMessage) consumer.receive(10_000)).getText());
        }
        try (JMSContext context = new HeraldConnectionFactory(broker.url()).createContext("alice", "alice-pw")) {
            Queue prices = context.createQueue("prices.send");
            JMSSecurityRuntimeException e = assertThrows(JMSSecurityRuntimeException.class,
                    () -> context.createProducer().send(prices, "refused"));
            assertTrue(e.getMessage().contains("'send'"), e.getMessage());
        }
    }

    @Test
    void sendInATransactionIsRefusedAtCommitWithNothingApplied() throws Exception {
        try (Connection c = connect("alice")) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            send(s, s.createQueue("orders.tx"), "allowed");
            send(s, s.createQueue("prices.tx"), "refused");
            TransactionRolledBackException e = assertThrows(TransactionRolledBackException.class, s::commit);
            assertInstanceOf(JMSSecurityException.class, e.getCause());
            assertTrue(e.getMessage().contains("'send' permission on queue 'prices.tx'"), e.getMessage());
            send(s, s.createQueue("orders.tx"), "second");
            s.commit();
            MessageConsumer consumer = s.createConsumer(s.createQueue("orders.tx"));
            assertEquals("second", ((TextMessage) consumer.receive(10_000)).getText(), "the refused commit applied"
                    + " nothing");
            s.commit();
        }
    }

    @Test
    void consume() throws Exception {
        try (Connection c = connect("bob")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            JMSSecurityException e = assertThrows(JMSSecurityException.class,
                    () -> s.createConsumer(s.createQueue("orders.consume")));
            assertRefused(e, "bob", "consume", "orders.consume");
        }
        try (Connection c = connect("alice")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            send(s, s.createTopic("orders.consume"), "creates the topic, which carol may not");
        }
        try (Connection c = connect("carol")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertNotNull(s.createConsumer(s.createTopic("orders.consume")));
            JMSSecurityException e = assertThrows(JMSSecurityException.class,
                    () -> s.createConsumer(s.createTopic("prices.consume")));
            assertRefused(e, "carol", "consume", "prices.consume");
        }
        try (JMSContext context = new HeraldConnectionFactory(broker.url()).createContext("bob", "bob-pw")) {
            assertThrows(JMSSecurityRuntimeException.class,
                    () -> context.createConsumer(context.createQueue("orders.consume")));
        }
    }

    @Test
    void browse() throws Exception {
        try (Connection c = connect("alice")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            send(s, s.createQueue("orders.browse"), "to browse");
            JMSSecurityException e = assertThrows(JMSSecurityException.class,
                    () -> s.createBrowser(s.createQueue("orders.browse")).getEnumeration());
            assertRefused(e, "alice", "browse", "orders.browse");
        }
        try (Connection c = connect("bob")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var browsing = s.createBrowser(s.createQueue("orders.browse")).getEnumeration();
            assertEquals("to browse", ((TextMessage) browsing.nextElement()).getText());
        }
    }

    @Test
    void createDurableAndDeleteDurable() throws Exception {
        try (Connection c = connect("carol", "carol-app")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = s.createTopic("orders.durable");
            JMSSecurityException e = assertThrows(JMSSecurityException.class,
                    () -> s.createDurableSubscriber(topic, "audit"));
            assertRefused(e, "carol", "createDurable", "orders.durable");
        }
        try (Connection c = connect("alice", "alice-app")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = s.createTopic("orders.durable");
            s.createDurableSubscriber(topic, "audit").close();
            // subscribing again to an existing one needs no createDurable, only consume
            s.createDurableSubscriber(topic, "audit").close();
            JMSSecurityException e = assertThrows(JMSSecurityException.class, () -> s.unsubscribe("audit"));
            assertRefused(e, "alice", "deleteDurable", "orders.durable");
        }
        try (Connection c = connect("admin", "alice-app")) {
            c.createSession(false, Session.AUTO_ACKNOWLEDGE).unsubscribe("audit");
        }
    }

    @Test
    void createDestination() throws Exception {
        try (Connection c = connect("dave")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            JMSSecurityException e = assertThrows(JMSSecurityException.class,
                    () -> send(s, s.createQueue("fresh.created"), "refused"));
            assertRefused(e, "dave", "createDestination", "fresh.created");
        }
        try (Connection c = connect("admin")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            send(s, s.createQueue("fresh.created"), "created by admin");
        }
        assertAudited("CREATED user=admin destination=queue://fresh.created");
        try (Connection c = connect("dave")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            send(s, s.createQueue("fresh.created"), "an existing destination needs only send");
        }
    }

    @Test
    void deleteDestinationAndManage() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url(), "admin", "admin-pw")) {
            admin.createQueue("orders.deleted", 1, -1, -1);
        }
        try (HeraldAdmin alice = HeraldAdmin.connect(broker.url(), "alice", "alice-pw")) {
            HeraldAdminException delete = assertThrows(HeraldAdminException.class,
                    () -> alice.deleteQueue("orders.deleted", true));
            assertEquals(ErrorCode.NOT_AUTHORIZED, delete.code());
            assertRefused(delete, "alice", "deleteDestination", "orders.deleted");
            HeraldAdminException list = assertThrows(HeraldAdminException.class, alice::listTopics);
            assertEquals(ErrorCode.NOT_AUTHORIZED, list.code());
            assertTrue(list.getMessage().contains("user 'alice' has no 'manage' permission on the whole broker"),
                    list.getMessage());
            HeraldAdminException settings = assertThrows(HeraldAdminException.class,
                    () -> alice.redeliverySettings(true, "orders.deleted"));
            assertRefused(settings, "alice", "manage", "orders.deleted");
        }
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url(), "admin", "admin-pw")) {
            assertTrue(admin.listTopics().stream().anyMatch(t -> t.name().equals("orders.deleted")));
            admin.deleteQueue("orders.deleted", true);
        }
        assertAudited("ADMIN user=admin operation=CREATE_TOPIC arg.kind=queue arg.name=orders.deleted");
        assertAudited("CREATED user=admin destination=queue://orders.deleted");
        assertAudited("ADMIN user=admin operation=DELETE_TOPIC arg.force=true arg.kind=queue arg.name=orders.deleted"
                + " outcome=ok");
        assertAudited("DELETED user=admin destination=queue://orders.deleted");
    }

    @Test
    void temporaryDestinationsNeedNoPermission() throws Exception {
        try (Connection alice = connect("alice"); Connection bob = connect("bob")) {
            Session s = alice.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = s.createTemporaryQueue();
            MessageConsumer consumer = s.createConsumer(replies);
            Session other = bob.createSession(false, Session.AUTO_ACKNOWLEDGE);
            send(other, replies, "reply from bob");
            assertEquals("reply from bob", ((TextMessage) consumer.receive(10_000)).getText());
        }
    }

    @Test
    void aUserWithoutRolesMayDoNothingAndAuthenticationIsAudited() throws Exception {
        try (Connection c = connect("eve")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThrows(JMSSecurityException.class, () -> send(s, s.createQueue("orders.eve"), "x"));
            assertThrows(JMSSecurityException.class, () -> s.createConsumer(s.createQueue("orders.eve")));
        }
        assertAudited("AUTH_OK user=eve remote=127.0.0.1:");
        assertThrows(JMSSecurityException.class,
                () -> new HeraldConnectionFactory(broker.url()).createConnection("eve", "wrong"));
        assertAudited("AUTH_FAILED user=eve remote=127.0.0.1:");
    }
}
