package io.heraldmq.server.net;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.protocol.Connect;
import io.heraldmq.protocol.Connected;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ErrorFrame;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.protocol.Produce;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.WireMessage;
import io.heraldmq.server.junit.BrokerExtension;
import io.heraldmq.server.security.PasswordHash;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code security.populate.user.id}: consumers see JMSXUserID = the sender's authenticated user, whatever the sender
 * set, from the JMS client (which stamps it, as CONNECTED asks) and from a raw producer that forges it (the broker
 * rewrites that batch); anonymous senders' messages carry none. And a CONNECT posing as a cluster relay is refused by
 * a broker with users and no cluster secret.
 */
class SecurityFramesIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.withSettings(Map.ofEntries(
            entry("user.alice", PasswordHash.create("alice-pw".toCharArray(), 1_000).encoded()),
            entry("user.alice.roles", "app"),
            entry("security.allow.anonymous", "true"),
            entry("security.anonymous.roles", "app"),
            entry("permission.send.#", "app"),
            entry("permission.consume.#", "app"),
            entry("permission.createDestination.#", "app"),
            entry("security.populate.user.id", "true")));

    @Test
    void theBrokerSetsJmsxUserIdToTheAuthenticatedUser() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        try (Connection alice = cf.createConnection("alice", "alice-pw"); Connection anonymous = cf.createConnection()) {
            alice.start();
            Session s = alice.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("user-id"));
            TextMessage forged = s.createTextMessage("from alice");
            forged.setStringProperty("JMSXUserID", "root");
            s.createProducer(s.createQueue("user-id")).send(forged);
            assertEquals("alice", forged.getStringProperty("JMSXUserID"), "set on send, visible to the producer");
            Message received = consumer.receive(10_000);
            assertEquals("alice", received.getStringProperty("JMSXUserID"));

            Session a = anonymous.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage fromAnonymous = a.createTextMessage("from anonymous");
            fromAnonymous.setStringProperty("JMSXUserID", "alice");
            a.createProducer(a.createQueue("user-id")).send(fromAnonymous);
            received = consumer.receive(10_000);
            assertEquals("from anonymous", ((TextMessage) received).getText());
            assertNull(received.getStringProperty("JMSXUserID"));

            // a producer that ignores CONNECTED's request and forges the property: the broker rewrites its batch
            try (RawClient raw = new RawClient(broker.port())) {
                raw.write(new Connect(Connect.PROTOCOL_VERSION, null, "alice", "alice-pw").encode(1));
                Frame hello = raw.read();
                Connected connected = Connected.decode(hello.body());
                assertTrue(connected.stampUserId());
                assertEquals("alice", connected.userId());
                RecordBatch.Builder b = new RecordBatch.Builder(RecordBatch.ATTR_PERSISTENT, 128);
                WireMessage m = new WireMessage();
                m.bodyType = WireMessage.BODY_TEXT;
                m.properties.put("JMSXUserID", "root");
                m.body = Buffer.buffer("raw");
                b.add(System.currentTimeMillis(), null, m.encode());
                raw.write(new Produce(Produce.FLAG_ACK, DestinationKind.QUEUE, "user-id", -1, -1, b.build())
                        .encode(2));
                assertEquals(FrameType.PRODUCE_ACK, raw.read().type());
            }
            received = consumer.receive(10_000);
            assertEquals("raw", ((TextMessage) received).getText());
            assertEquals("alice", received.getStringProperty("JMSXUserID"));
        }
    }

    @Test
    void aClientPosingAsAClusterRelayIsRefused() throws Exception {
        try (RawClient raw = new RawClient(broker.port())) {
            raw.write(new Connect(Connect.PROTOCOL_VERSION, null, "alice", null, "some-connection").encode(1));
            Frame answer = raw.read();
            assertEquals(FrameType.ERROR, answer.type());
            assertEquals(ErrorCode.AUTHENTICATION_FAILED, ErrorFrame.decode(answer.body()).code());
            assertTrue(raw.closedByPeer());
        }
    }
}
