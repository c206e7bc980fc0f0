package io.heraldmq.tck.destination;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicRequestor;
import jakarta.jms.TopicSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jakarta Messaging 3.1, section 4.5 (temporary destinations) and 6.2.2: a temporary queue or topic is unique to the
 * connection that created it, only that connection may consume from it, any connection may send to it (it is meant
 * for JMSReplyTo), delete() fails while a consumer is open, and it is gone once deleted or once its connection
 * closes.
 */
class TemporaryDestinationIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private Connection connect() throws JMSException {
        return new HeraldConnectionFactory(broker.url()).createConnection();
    }

    @Test
    void anotherConnectionRepliesToATemporaryQueueNamedInJmsReplyTo() throws Exception {
        try (Connection requester = connect(); Connection responder = connect()) {
            Session rs = requester.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = rs.createTemporaryQueue();
            MessageConsumer replyConsumer = rs.createConsumer(replies);
            requester.start();

            Message request = rs.createTextMessage("ping");
            request.setJMSReplyTo(replies);
            Session ss = responder.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer requests = ss.createConsumer(ss.createQueue("temp-requests"));
            responder.start();
            rs.createProducer(rs.createQueue("temp-requests")).send(request);

            Message got = requests.receive(10_000);
            assertTrue(got.getJMSReplyTo() instanceof TemporaryQueue, String.valueOf(got.getJMSReplyTo()));
            ss.createProducer(got.getJMSReplyTo()).send(ss.createTextMessage("pong"));
            assertEquals("pong", ((TextMessage) replyConsumer.receive(10_000)).getText());
        }
    }

    @Test
    void eachTemporaryDestinationIsUnique() throws Exception {
        try (Connection a = connect(); Connection b = connect()) {
            Session sa = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session sb = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue q1 = sa.createTemporaryQueue();
            TemporaryQueue q2 = sa.createTemporaryQueue();
            TemporaryQueue q3 = sb.createTemporaryQueue();
            assertNotEquals(q1.getQueueName(), q2.getQueueName());
            assertNotEquals(q1.getQueueName(), q3.getQueueName());
            assertNotEquals(q2.getQueueName(), q3.getQueueName());
        }
    }

    @Test
    void onlyTheCreatingConnectionMayConsume() throws Exception {
        try (Connection owner = connect(); Connection other = connect()) {
            Session os = owner.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue queue = os.createTemporaryQueue();
            TemporaryTopic topic = os.createTemporaryTopic();
            Session xs = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThrows(InvalidDestinationException.class, () -> xs.createConsumer(queue));
            assertThrows(InvalidDestinationException.class, () -> xs.createConsumer(topic));
            // Another session of the owning connection may: the scope is the connection.
            Session os2 = owner.createSession(false, Session.AUTO_ACKNOWLEDGE);
            os2.createConsumer(queue).close();
            os2.createConsumer(topic).close();
        }
    }

    @Test
    void temporaryTopicFansOutToTheOwnersSubscribers() throws Exception {
        try (Connection owner = connect(); Connection publisher = connect()) {
            Session os = owner.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryTopic topic = os.createTemporaryTopic();
            MessageConsumer first = os.createConsumer(topic);
            MessageConsumer second = os.createConsumer(topic);
            owner.start();
            Session ps = publisher.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = ps.createProducer(topic);
            for (int i = 0; i < 5; i++) {
                p.send(ps.createTextMessage("t" + i));
            }
            for (int i = 0; i < 5; i++) {
                assertEquals("t" + i, ((TextMessage) first.receive(10_000)).getText());
                assertEquals("t" + i, ((TextMessage) second.receive(10_000)).getText());
            }
        }
    }

    @Test
    void deleteFailsWhileAConsumerIsOpenAndThenTheDestinationIsGone() throws Exception {
        try (Connection owner = connect(); Connection other = connect()) {
            Session os = owner.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue queue = os.createTemporaryQueue();
            MessageConsumer consumer = os.createConsumer(queue);
            assertThrows(JMSException.class, queue::delete);
            consumer.close();
            queue.delete();

            Session xs = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = xs.createProducer(queue);
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            assertThrows(InvalidDestinationException.class, () -> p.send(xs.createTextMessage("too late")));
            assertThrows(InvalidDestinationException.class, () -> os.createConsumer(queue));

            TemporaryTopic topic = os.createTemporaryTopic();
            MessageConsumer topicConsumer = os.createConsumer(topic);
            assertThrows(JMSException.class, topic::delete);
            topicConsumer.close();
            topic.delete();
            assertThrows(InvalidDestinationException.class,
                    () -> xs.createProducer(topic).send(xs.createTextMessage("too late")));
        }
    }

    @Test
    void closingTheConnectionDeletesItsTemporaryDestinationsAndTheirFiles() throws Exception {
        Connection owner = connect();
        Session os = owner.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TemporaryQueue queue = os.createTemporaryQueue();
        TemporaryTopic topic = os.createTemporaryTopic();
        try (Connection other = connect()) {
            Session xs = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            xs.createProducer(queue).send(xs.createTextMessage("while it lives"));
            owner.close();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThrows(InvalidDestinationException.class,
                        () -> xs.createProducer(queue).send(xs.createTextMessage("after close")));
                assertThrows(InvalidDestinationException.class,
                        () -> xs.createProducer(topic).send(xs.createTextMessage("after close")));
                assertEquals(0, filesUnder(broker.dataDir().resolve("temp")));
            });
        }
    }

    @Test
    void topicRequestorGetsTheReply() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        try (TopicConnection requester = cf.createTopicConnection(); Connection responder = connect()) {
            Session ss = responder.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic service = ss.createTopic("temp-topic-service");
            MessageConsumer requests = ss.createConsumer(service);
            requests.setMessageListener(m -> {
                try {
                    ss.createProducer(m.getJMSReplyTo()).send(ss.createTextMessage(
                            "re: " + ((TextMessage) m).getText()));
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            responder.start();
            TopicSession ts = requester.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
            requester.start();
            TopicRequestor requestor = new TopicRequestor(ts, ts.createTopic("temp-topic-service"));
            // request() waits without a timeout: bound it, so a lost reply fails the test instead of hanging it.
            Message reply = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> requestor.request(ts.createTextMessage("hello")));
            assertEquals("re: hello", ((TextMessage) reply).getText());
            requestor.close();
        }
    }

    private static long filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
