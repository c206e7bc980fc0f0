package io.heraldmq.ra;

import jakarta.jms.Session;
import jakarta.resource.spi.InvalidPropertyException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeraldActivationSpecTest {
    private static HeraldActivationSpec queue(String name) {
        HeraldActivationSpec s = new HeraldActivationSpec();
        s.setDestination(name);
        return s;
    }

    private static String invalid(HeraldActivationSpec s) {
        return assertThrows(InvalidPropertyException.class, s::validate).getMessage();
    }

    @Test
    void aQueueNeedsOnlyItsName() throws Exception {
        HeraldActivationSpec s = queue("orders");
        s.validate();
        assertEquals(15, s.effectiveSessions(), "maxSession defaults to 15, as in Artemis");
        assertEquals(Session.AUTO_ACKNOWLEDGE, s.sessionAcknowledgeMode());
        assertEquals(HeraldResourceAdapter.DEFAULT_URL, s.effectiveUrl());
    }

    @Test
    void badPropertiesAreNamed() {
        assertTrue(invalid(new HeraldActivationSpec()).contains("destination"));
        HeraldActivationSpec type = queue("x");
        type.setDestinationType("jakarta.jms.Tpoic");
        assertTrue(invalid(type).contains("destinationType"));
        HeraldActivationSpec ack = queue("x");
        ack.setAcknowledgeMode("Client-acknowledge");
        assertTrue(invalid(ack).contains("acknowledgeMode"));
        HeraldActivationSpec max = queue("x");
        max.setMaxSession(0);
        assertTrue(invalid(max).contains("maxSession"));
    }

    @Test
    void aDurableSubscriptionNeedsANameAndUnsharedAClientId() throws Exception {
        HeraldActivationSpec s = queue("prices");
        s.setDestinationType("jakarta.jms.Topic");
        s.setSubscriptionDurability("Durable");
        assertTrue(invalid(s).contains("subscriptionName"));
        s.setSubscriptionName("pricer");
        assertTrue(invalid(s).contains("clientId"));
        s.setClientId("app");
        s.validate();
        assertEquals(1, s.effectiveSessions(), "one consumer on an unshared subscription");
        s.setShareSubscriptions(true);
        s.setClientId(null);
        s.validate();
        assertEquals(15, s.effectiveSessions(), "a shared subscription takes every session");
    }

    @Test
    void theResourceAdaptersDefaultsApplyUnlessSet() throws Exception {
        HeraldResourceAdapter ra = new HeraldResourceAdapter();
        ra.setConnectionURL("tcp://h1:7440,h2:7440");
        ra.setUserName("app");
        ra.setPassword("pw");
        HeraldActivationSpec s = queue("x");
        s.setResourceAdapter(ra);
        assertEquals("tcp://h1:7440,h2:7440", s.effectiveUrl());
        assertEquals("app", s.effectiveUser());
        s.setConnectionURL("tcp://h3:7440");
        s.setUser("other");
        s.setPassword("pw2");
        assertEquals("tcp://h3:7440", s.effectiveUrl());
        assertEquals("other", s.effectiveUser());
        assertEquals("pw2", s.effectivePassword());
    }
}
