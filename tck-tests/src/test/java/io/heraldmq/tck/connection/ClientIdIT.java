package io.heraldmq.tck.connection;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Jakarta Messaging 3.1, section 6.1.2 Client identifier: set once, right after the connection is created (else
 * IllegalStateException), never when it was configured on the factory, and unique among the broker's connections
 * (else InvalidClientIDException).
 */
class ClientIdIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private HeraldConnectionFactory factory() {
        return new HeraldConnectionFactory(broker.url());
    }

    @Test
    void setRightAfterCreationIsUsedForDurableSubscriptions() throws Exception {
        try (Connection c = factory().createConnection()) {
            assertNull(c.getClientID());
            c.setClientID("client-set-early");
            assertEquals("client-set-early", c.getClientID());
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            // An unshared durable subscription needs the client id: the broker knows it now.
            s.createDurableConsumer(s.createTopic("client-id-topic"), "sub").close();
            s.unsubscribe("sub");
        }
    }

    @Test
    void settingTwiceIsIllegal() throws Exception {
        try (Connection c = factory().createConnection()) {
            c.setClientID("client-twice");
            assertThrows(IllegalStateException.class, () -> c.setClientID("client-twice-2"));
            assertEquals("client-twice", c.getClientID());
        }
    }

    @Test
    void settingAfterAnotherActionIsIllegal() throws Exception {
        try (Connection c = factory().createConnection()) {
            c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThrows(IllegalStateException.class, () -> c.setClientID("client-late"));
        }
        try (Connection c = factory().createConnection()) {
            c.start();
            assertThrows(IllegalStateException.class, () -> c.setClientID("client-late"));
        }
    }

    /**
     * "Before any other action on the connection" is read as Artemis and Classic read it: registering or reading the
     * exception listener, reading the metadata and stop do not use the connection (issue 13: a program written for
     * Artemis sets the exception listener first).
     */
    @Test
    void settingAfterTheExceptionListenerMetadataOrStopIsAllowed() throws Exception {
        try (Connection c = factory().createConnection()) {
            c.setExceptionListener(e -> { });
            c.getExceptionListener();
            c.getMetaData().getJMSVersion();
            c.stop();
            c.setClientID("client-after-listener");
            assertEquals("client-after-listener", c.getClientID());
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createDurableConsumer(s.createTopic("client-id-topic-2"), "sub").close();
            s.unsubscribe("sub");
        }
    }

    @Test
    void settingWhenTheFactoryConfiguredOneIsIllegal() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url() + "?clientID=admin-configured")
                .createConnection()) {
            assertThrows(IllegalStateException.class, () -> c.setClientID("other"));
            assertEquals("admin-configured", c.getClientID());
        }
    }

    @Test
    void nullOrEmptyIsInvalid() throws Exception {
        try (Connection c = factory().createConnection()) {
            assertThrows(InvalidClientIDException.class, () -> c.setClientID(null));
            assertThrows(InvalidClientIDException.class, () -> c.setClientID(""));
            // Still settable: a refused id changes nothing.
            c.setClientID("client-after-invalid");
        }
    }

    @Test
    void anIdInUseByAnotherConnectionIsInvalidUntilThatConnectionCloses() throws Exception {
        Connection holder = new HeraldConnectionFactory(broker.url() + "?clientID=client-shared").createConnection();
        try (Connection c = factory().createConnection()) {
            assertThrows(InvalidClientIDException.class, () -> c.setClientID("client-shared"));
            // The refused connection can still take another id.
            c.setClientID("client-shared-2");
        }
        try (Connection c = factory().createConnection()) {
            c.setClientID("client-set-first");
            assertThrows(InvalidClientIDException.class, () -> new HeraldConnectionFactory(broker.url()
                    + "?clientID=client-set-first").createConnection());
        }
        holder.close();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try (Connection c = factory().createConnection()) {
                assertDoesNotThrow(() -> c.setClientID("client-shared"));
            }
        });
    }
}
