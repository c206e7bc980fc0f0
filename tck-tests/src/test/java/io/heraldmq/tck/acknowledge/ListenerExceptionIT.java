package io.heraldmq.tck.acknowledge;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Jakarta Messaging 3.1, section 8.7: a MessageListener that throws a RuntimeException in AUTO_ACKNOWLEDGE or
 * DUPS_OK_ACKNOWLEDGE gets the message "immediately redelivered": before any message behind it, marked redelivered
 * (issue 13: message 2 used to come before message 1 came back, unlike Artemis and Classic).
 */
class ListenerExceptionIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @ParameterizedTest
    @ValueSource(ints = {Session.AUTO_ACKNOWLEDGE, Session.DUPS_OK_ACKNOWLEDGE})
    void theFailedMessageComesAgainBeforeTheNext(int mode) throws Exception {
        HeraldConnectionFactory factory = new HeraldConnectionFactory(broker.url());
        Queue q = new io.heraldmq.jms.HeraldQueue("listener-throws-" + mode);
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(q);
            for (String t : List.of("m1", "m2", "m3")) {
                p.send(s.createTextMessage(t));
            }
        }
        List<String> got = new CopyOnWriteArrayList<>();
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, mode);
            s.createConsumer(q).setMessageListener(m -> {
                try {
                    String text = ((TextMessage) m).getText();
                    got.add(text + (m.getJMSRedelivered() ? " redelivered " : " ")
                            + m.getIntProperty("JMSXDeliveryCount"));
                    if (text.equals("m1") && !m.getJMSRedelivered()) {
                        throw new IllegalStateException("the listener fails on its first m1");
                    }
                } catch (JMSException e) {
                    throw new RuntimeException(e);
                }
            });
            c.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> got.size() >= 4);
        }
        assertEquals(List.of("m1 1", "m1 redelivered 2", "m2 1", "m3 1"), got);
    }
}
