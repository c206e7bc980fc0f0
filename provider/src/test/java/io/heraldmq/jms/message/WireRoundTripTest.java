package io.heraldmq.jms.message;

import io.heraldmq.jms.HeraldQueue;
import io.heraldmq.jms.HeraldTemporaryQueue;
import io.heraldmq.jms.HeraldTemporaryTopic;
import io.heraldmq.jms.HeraldTopic;
import io.heraldmq.protocol.WireMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** toWire → encode → decode → fromWire for every message type: headers, properties and body survive. */
class WireRoundTripTest {

    static void fillHeadersAndProperties(HeraldMessage m) throws JMSException {
        m.setJMSMessageID("ID:abc-1");
        m.setJMSTimestamp(1_700_000_000_000L);
        m.setJMSCorrelationID("corr");
        m.setJMSType("order");
        m.setJMSDestination(new HeraldQueue("orders"));
        m.setJMSReplyTo(new HeraldTemporaryTopic("tmp-topic-1", null));
        m.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        m.setJMSPriority(7);
        m.setJMSExpiration(1_700_000_060_000L);
        m.setJMSDeliveryTime(1_700_000_001_000L);
        m.setOriginConnection("conn-42");
        m.setBooleanProperty("pBool", true);
        m.setByteProperty("pByte", (byte) -3);
        m.setShortProperty("pShort", (short) 1234);
        m.setIntProperty("pInt", -56789);
        m.setLongProperty("pLong", Long.MIN_VALUE);
        m.setFloatProperty("pFloat", 1.25f);
        m.setDoubleProperty("pDouble", Double.MAX_VALUE);
        m.setStringProperty("pString", "välue");
        m.setStringProperty("pNull", null);
        m.setStringProperty("JMSXGroupID", "g1");
        m.setIntProperty("JMSXGroupSeq", 2);
    }

    static HeraldMessage roundTrip(HeraldMessage m, int deliveryCount) throws JMSException {
        return HeraldMessage.fromWire(WireMessage.decode(m.toWire().encode()), 5, 1234L, deliveryCount);
    }

    static void checkHeadersAndProperties(HeraldMessage r) throws JMSException {
        assertEquals("ID:abc-1", r.getJMSMessageID());
        assertEquals(1_700_000_000_000L, r.getJMSTimestamp());
        assertEquals("corr", r.getJMSCorrelationID());
        assertEquals("order", r.getJMSType());
        assertEquals(new HeraldQueue("orders"), r.getJMSDestination());
        assertInstanceOf(TemporaryTopic.class, r.getJMSReplyTo());
        assertEquals("tmp-topic-1", ((Topic) r.getJMSReplyTo()).getTopicName());
        assertEquals(DeliveryMode.NON_PERSISTENT, r.getJMSDeliveryMode());
        assertEquals(7, r.getJMSPriority());
        assertEquals(1_700_000_060_000L, r.getJMSExpiration());
        assertEquals(1_700_000_001_000L, r.getJMSDeliveryTime());
        assertEquals("conn-42", r.originConnection());
        assertEquals(true, r.getObjectProperty("pBool"));
        assertEquals((byte) -3, r.getObjectProperty("pByte"));
        assertEquals((short) 1234, r.getObjectProperty("pShort"));
        assertEquals(-56789, r.getObjectProperty("pInt"));
        assertEquals(Long.MIN_VALUE, r.getObjectProperty("pLong"));
        assertEquals(1.25f, r.getObjectProperty("pFloat"));
        assertEquals(Double.MAX_VALUE, r.getObjectProperty("pDouble"));
        assertEquals("välue", r.getObjectProperty("pString"));
        assertTrue(r.propertyExists("pNull"));
        assertEquals(null, r.getObjectProperty("pNull"));
        assertEquals("g1", r.getStringProperty("JMSXGroupID"));
        assertEquals(2, r.getIntProperty("JMSXGroupSeq"));
        assertEquals(List.of("pBool", "pByte", "pShort", "pInt", "pLong", "pFloat", "pDouble", "pString", "pNull",
                "JMSXGroupID", "JMSXGroupSeq", "JMSXDeliveryCount"), Collections.list(r.getPropertyNames()));
        assertEquals(2, r.getIntProperty("JMSXDeliveryCount"));
        assertTrue(r.getJMSRedelivered());
        assertEquals(5, r.deliveryPartition());
        assertEquals(1234L, r.deliveryOffset());
        assertEquals(2, r.deliveryCount());
        assertTrue(r.isReadOnlyProperties());
        assertTrue(r.isReadOnlyBody());
    }

    @Test
    void plainMessage() throws JMSException {
        HeraldMessage m = new HeraldMessage();
        fillHeadersAndProperties(m);
        HeraldMessage r = roundTrip(m, 2);
        assertEquals(HeraldMessage.class, r.getClass());
        checkHeadersAndProperties(r);
    }

    @Test
    void textMessage() throws JMSException {
        HeraldTextMessage m = new HeraldTextMessage("body ✓");
        fillHeadersAndProperties(m);
        HeraldTextMessage r = assertInstanceOf(HeraldTextMessage.class, roundTrip(m, 2));
        checkHeadersAndProperties(r);
        assertEquals("body ✓", r.getText());
    }

    @Test
    void bytesMessage() throws JMSException {
        HeraldBytesMessage m = HeraldBytesMessageTest.allTypes();
        fillHeadersAndProperties(m);
        HeraldBytesMessage r = assertInstanceOf(HeraldBytesMessage.class, roundTrip(m, 2));
        checkHeadersAndProperties(r);
        HeraldBytesMessageTest.readAllTypes(r);
    }

    @Test
    void mapMessage() throws JMSException {
        HeraldMapMessage m = HeraldMapMessageTest.filled();
        fillHeadersAndProperties(m);
        HeraldMapMessage r = assertInstanceOf(HeraldMapMessage.class, roundTrip(m, 2));
        checkHeadersAndProperties(r);
        HeraldMapMessageTest.checkFilled(r);
    }

    @Test
    void streamMessage() throws JMSException {
        HeraldStreamMessage m = HeraldStreamMessageTest.filled();
        fillHeadersAndProperties(m);
        HeraldStreamMessage r = assertInstanceOf(HeraldStreamMessage.class, roundTrip(m, 2));
        checkHeadersAndProperties(r);
        HeraldStreamMessageTest.checkFilled(r);
    }

    @Test
    void objectMessage() throws JMSException {
        HeraldObjectMessage m = new HeraldObjectMessage(new HeraldObjectMessageTest.Payload("p", 1, 2, 3));
        fillHeadersAndProperties(m);
        HeraldObjectMessage r = assertInstanceOf(HeraldObjectMessage.class, roundTrip(m, 2));
        checkHeadersAndProperties(r);
        assertEquals(new HeraldObjectMessageTest.Payload("p", 1, 2, 3), r.getObject());
    }

    @Test
    void receivedMessageResentUnchanged() throws JMSException {
        HeraldMapMessage m = HeraldMapMessageTest.filled();
        fillHeadersAndProperties(m);
        HeraldMessage once = roundTrip(m, 2);
        HeraldMapMessage twice = (HeraldMapMessage) roundTrip(once, 2); // body never parsed in between
        checkHeadersAndProperties(twice);
        HeraldMapMessageTest.checkFilled(twice);
    }

    @Test
    void destinationsKeepTheirKind() throws JMSException {
        HeraldMessage m = new HeraldMessage();
        m.setJMSDestination(new HeraldTopic("t"));
        m.setJMSReplyTo(new HeraldTemporaryQueue("tq", null));
        HeraldMessage r = roundTrip(m, 1);
        assertEquals(new HeraldTopic("t"), r.getJMSDestination());
        assertInstanceOf(TemporaryQueue.class, r.getJMSReplyTo());
        assertEquals("tq", ((Queue) r.getJMSReplyTo()).getQueueName());
        assertEquals(DeliveryMode.PERSISTENT, r.getJMSDeliveryMode());
        assertEquals(1, r.getIntProperty("JMSXDeliveryCount"));
        assertEquals(false, r.getJMSRedelivered());
    }

    @Test
    void foreignDestinationsAreConvertedByName() throws JMSException {
        HeraldMessage m = new HeraldMessage();
        m.setJMSReplyTo(ForeignMessages.queue("fq"));
        m.setJMSDestination(ForeignMessages.topic("ft"));
        WireMessage w = m.toWire();
        assertEquals(io.heraldmq.protocol.DestinationKind.QUEUE, w.replyToKind);
        assertEquals("fq", w.replyTo);
        assertEquals(io.heraldmq.protocol.DestinationKind.TOPIC, w.destinationKind);
        HeraldMessage r = roundTrip(m, 1);
        assertEquals(new HeraldQueue("fq"), r.getJMSReplyTo());
        assertEquals(new HeraldTopic("ft"), r.getJMSDestination());

        m.setJMSReplyTo(ForeignMessages.temporaryQueue("ftq"));
        assertEquals(io.heraldmq.protocol.DestinationKind.TEMPORARY_QUEUE, m.toWire().replyToKind);
        m.setJMSReplyTo(ForeignMessages.temporaryTopic("ftt"));
        assertEquals(io.heraldmq.protocol.DestinationKind.TEMPORARY_TOPIC, m.toWire().replyToKind);
    }

    @Test
    void correlationIdBytesRoundTrip() throws JMSException {
        HeraldMessage m = new HeraldMessage();
        m.setJMSCorrelationIDAsBytes(new byte[] {(byte) 0xca, (byte) 0xfe});
        HeraldMessage r = roundTrip(m, 1);
        assertArrayEquals(new byte[] {(byte) 0xca, (byte) 0xfe}, r.getJMSCorrelationIDAsBytes());
        assertTrue(r.toWire().correlationIdIsBytes);
    }
}
