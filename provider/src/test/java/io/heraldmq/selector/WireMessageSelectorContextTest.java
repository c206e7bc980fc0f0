package io.heraldmq.selector;

import io.heraldmq.protocol.WireMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WireMessageSelectorContextTest {

    private static WireMessage message() {
        WireMessage m = new WireMessage();
        m.persistent = false;
        m.priority = 7;
        m.messageId = "ID:abc-1";
        m.timestamp = 1_700_000_000_000L;
        m.correlationId = "corr-\u00e9".getBytes(StandardCharsets.UTF_8);
        m.type = "car";
        m.expiration = 5L;
        m.destination = "orders";
        m.properties.put("color", "blue");
        m.properties.put("weight", 3000);
        m.properties.put("flag", true);
        m.properties.put("ratio", 0.5d);
        m.properties.put("big", Long.MAX_VALUE);
        m.properties.put("nothing", null);
        return m;
    }

    @Test
    void headerFields() {
        WireMessageSelectorContext c = new WireMessageSelectorContext(message());
        assertEquals("NON_PERSISTENT", c.value("JMSDeliveryMode"));
        assertEquals(7, c.value("JMSPriority"));
        assertEquals("ID:abc-1", c.value("JMSMessageID"));
        assertEquals(1_700_000_000_000L, c.value("JMSTimestamp"));
        assertEquals("corr-\u00e9", c.value("JMSCorrelationID"));
        assertSame(c.value("JMSCorrelationID"), c.value("JMSCorrelationID"), "decoded once");
        assertEquals("car", c.value("JMSType"));
        WireMessage persistent = new WireMessage();
        assertEquals("PERSISTENT", new WireMessageSelectorContext(persistent).value("JMSDeliveryMode"));
        assertEquals(4, new WireMessageSelectorContext(persistent).value("JMSPriority"));
    }

    @Test
    void nullHeaderFieldsAreNull() {
        WireMessageSelectorContext c = new WireMessageSelectorContext(new WireMessage());
        assertNull(c.value("JMSMessageID"));
        assertNull(c.value("JMSCorrelationID"));
        assertNull(c.value("JMSType"));
    }

    @Test
    void propertiesAndMissingNames() {
        WireMessageSelectorContext c = new WireMessageSelectorContext(message());
        assertEquals("blue", c.value("color"));
        assertEquals(3000, c.value("weight"));
        assertNull(c.value("nothing"));
        assertNull(c.value("absent"));
        assertNull(c.value("jmsType"), "identifiers are case sensitive");
    }

    @Test
    void selectorsOverAWireMessage() throws SelectorParseException {
        WireMessageSelectorContext c = new WireMessageSelectorContext(message());
        assertTrue(Selector.parse("JMSType = 'car' AND color = 'blue' AND weight > 2500").matches(c));
        assertTrue(Selector.parse("JMSDeliveryMode = 'NON_PERSISTENT' AND JMSPriority >= 5").matches(c));
        assertTrue(Selector.parse("JMSCorrelationID LIKE 'corr-_' AND JMSMessageID = 'ID:abc-1'").matches(c));
        assertTrue(Selector.parse("flag AND ratio BETWEEN 0.25 AND 1 AND big = 9223372036854775807").matches(c));
        assertTrue(Selector.parse("nothing IS NULL AND absent IS NULL").matches(c));
        assertTrue(Selector.parse("JMSTimestamp > 1600000000000").matches(c));
        // headers a selector may not reference are NULL even though the message has them
        assertTrue(Selector.parse("JMSDestination IS NULL").matches(c));
        // JMSExpiration is referenced as Artemis and Classic allow
        assertTrue(Selector.parse("JMSExpiration = 5").matches(c));
        assertFalse(Selector.parse("JMSPriority < 5").matches(c));
    }

    @Test
    void afterEncodeAndDecode() throws SelectorParseException {
        WireMessage decoded = WireMessage.decode(message().encode());
        WireMessageSelectorContext c = new WireMessageSelectorContext(decoded);
        assertTrue(Selector.parse("JMSType = 'car' AND weight = 3000 AND flag = TRUE AND JMSPriority = 7").matches(c));
    }

    @Test
    void resetReusesTheContext() throws SelectorParseException {
        Selector s = Selector.parse("JMSCorrelationID = 'b'");
        WireMessage a = new WireMessage();
        a.correlationId = "a".getBytes(StandardCharsets.UTF_8);
        WireMessage b = new WireMessage();
        b.correlationId = "b".getBytes(StandardCharsets.UTF_8);
        WireMessageSelectorContext c = new WireMessageSelectorContext(a);
        assertFalse(s.matches(c));
        assertTrue(s.matches(c.reset(b)));
        assertFalse(s.matches(c.reset(a)));
    }
}
