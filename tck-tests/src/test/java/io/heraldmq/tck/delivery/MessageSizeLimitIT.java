package io.heraldmq.tck.delivery;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An oversized message is refused with a JMSException that states the limit; the connection keeps working. */
class MessageSizeLimitIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.withSettings(Map.of("max.message.bytes", "65536"));

    @Test
    void oversizedMessageIsRefusedWithTheLimit() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("limits"));
            BytesMessage big = s.createBytesMessage();
            big.writeBytes(new byte[70_000]);
            JMSException e = assertThrows(JMSException.class, () -> p.send(big));
            assertTrue(e.getMessage().contains("65536"), e.getMessage());
            BytesMessage small = s.createBytesMessage();
            small.writeBytes(new byte[60_000]);
            p.send(small);
            c.start();
            BytesMessage got = (BytesMessage) s.createConsumer(s.createQueue("limits")).receive(10_000);
            assertEquals(60_000, got.getBodyLength());
        }
    }
}
