package io.heraldmq.tck.security;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import io.heraldmq.server.security.PasswordHash;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Jakarta Messaging 3.1, section 6.1.4 (creating a connection with a user name and password) and the
 * {@code ConnectionFactory.createConnection} contract: with users configured on the broker, wrong or missing
 * credentials fail with JMSSecurityException and the right ones connect. The user {@code j2ee}/{@code j2ee} is the
 * one the official TCK uses.
 */
class AuthenticationIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.withSettings(Map.of(
            // Few iterations: the format and check are what is tested here, not the cost.
            "user.alice", PasswordHash.create("s3cret".toCharArray(), 1_000).encoded(),
            "user.j2ee", PasswordHash.create("j2ee".toCharArray(), 1_000).encoded(),
            // with users configured what no permission grants is refused: alice may use auth-queue
            "user.alice.roles", "app",
            "permission.send.auth-queue", "app",
            "permission.consume.auth-queue", "app",
            "permission.createDestination.auth-queue", "app"));

    private HeraldConnectionFactory factory() {
        return new HeraldConnectionFactory(broker.url());
    }

    @Test
    void theRightPasswordConnectsAndTheConnectionWorks() throws Exception {
        try (Connection c = factory().createConnection("alice", "s3cret")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("auth-queue"));
            c.start();
            s.createProducer(s.createQueue("auth-queue")).send(s.createTextMessage("authenticated"));
            assertEquals("authenticated", ((TextMessage) consumer.receive(10_000)).getText());
        }
        factory().createConnection("j2ee", "j2ee").close();
        factory().createQueueConnection("j2ee", "j2ee").close();
        factory().createTopicConnection("j2ee", "j2ee").close();
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertThrows(JMSSecurityException.class, () -> factory().createConnection("alice", "wrong"));
        assertThrows(JMSSecurityException.class, () -> factory().createConnection("alice", ""));
        assertThrows(JMSSecurityException.class, () -> factory().createConnection("alice", null));
    }

    @Test
    void anUnknownUserIsRefused() {
        assertThrows(JMSSecurityException.class, () -> factory().createConnection("invalid", "invalid"));
        assertThrows(JMSSecurityException.class, () -> factory().createQueueConnection("invalid", "invalid"));
        assertThrows(JMSSecurityException.class, () -> factory().createTopicConnection("invalid", "invalid"));
    }

    @Test
    void noCredentialsAreRefusedWhenUsersAreConfigured() {
        assertThrows(JMSSecurityException.class, () -> factory().createConnection());
    }

    @Test
    void aRefusedClientIdIsNotTakenByAFailedLogin() throws Exception {
        HeraldConnectionFactory withId = new HeraldConnectionFactory(broker.url() + "?clientID=auth-client");
        assertThrows(JMSSecurityException.class, () -> withId.createConnection("alice", "wrong"));
        withId.createConnection("alice", "s3cret").close();
    }
}
