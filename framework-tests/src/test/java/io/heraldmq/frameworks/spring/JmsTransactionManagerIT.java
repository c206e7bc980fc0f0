package io.heraldmq.frameworks.spring;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jms.connection.JmsTransactionManager;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spring's {@link JmsTransactionManager} with a {@link TransactionTemplate}: every {@link JmsTemplate} call inside
 * one transaction uses the same transacted HeraldMQ session, so sends appear only on commit and a rolled back receive
 * puts the message back, flagged redelivered.
 */
class JmsTransactionManagerIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private final ConnectionFactory cf = new HeraldConnectionFactory(broker.url());
    private final TransactionTemplate tx = new TransactionTemplate(new JmsTransactionManager(cf));

    private JmsTemplate template(long receiveTimeout) {
        JmsTemplate t = new JmsTemplate(cf);
        t.setSessionTransacted(true);
        t.setReceiveTimeout(receiveTimeout);
        return t;
    }

    @Test
    void sendsInARolledBackTransactionNeverArriveAndSendsInACommittedOneAllDo() {
        JmsTemplate t = template(10_000);
        assertThrows(IllegalStateException.class, () -> tx.executeWithoutResult(status -> {
            t.convertAndSend("jtm.sends", "lost 1");
            t.convertAndSend("jtm.sends", "lost 2");
            throw new IllegalStateException("roll back");
        }));
        tx.executeWithoutResult(status -> {
            t.convertAndSend("jtm.sends", "kept 1");
            t.convertAndSend("jtm.sends", "kept 2");
        });
        assertEquals("kept 1", tx.execute(status -> t.receiveAndConvert("jtm.sends")));
        assertEquals("kept 2", tx.execute(status -> t.receiveAndConvert("jtm.sends")));
        JmsTemplate quick = template(300);
        assertNull(tx.execute(status -> quick.receive("jtm.sends")));
    }

    @Test
    void aReceiveInARolledBackTransactionComesBackRedelivered() throws Exception {
        JmsTemplate t = template(10_000);
        tx.executeWithoutResult(status -> t.convertAndSend("jtm.receive", "once"));

        tx.executeWithoutResult(status -> {
            Message m = t.receive("jtm.receive");
            assertInstanceOf(TextMessage.class, m);
            status.setRollbackOnly();
        });
        Message again = tx.execute(status -> t.receive("jtm.receive"));
        assertInstanceOf(TextMessage.class, again);
        assertEquals("once", ((TextMessage) again).getText());
        assertTrue(again.getJMSRedelivered(), "JMSRedelivered after a rolled back receive");
        assertEquals(2, again.getIntProperty("JMSXDeliveryCount"));
        JmsTemplate quick = template(300);
        assertNull(tx.execute(status -> quick.receive("jtm.receive")), "the committed receive consumed it");
    }

    @Test
    void consumeAndProduceInOneTransactionMoveAMessageAtomically() throws Exception {
        JmsTemplate t = template(10_000);
        tx.executeWithoutResult(status -> t.convertAndSend("jtm.from", "payload"));

        assertThrows(IllegalStateException.class, () -> tx.executeWithoutResult(status -> {
            Object body = t.receiveAndConvert("jtm.from");
            t.convertAndSend("jtm.to", body);
            throw new IllegalStateException("roll back the move");
        }));
        tx.executeWithoutResult(status -> t.convertAndSend("jtm.to", t.receiveAndConvert("jtm.from")));

        assertEquals("payload", tx.execute(status -> t.receiveAndConvert("jtm.to")));
        JmsTemplate quick = template(300);
        assertNull(tx.execute(status -> quick.receive("jtm.to")), "the rolled back move sent nothing");
        assertNull(tx.execute(status -> quick.receive("jtm.from")), "the committed move consumed the source");
    }
}
