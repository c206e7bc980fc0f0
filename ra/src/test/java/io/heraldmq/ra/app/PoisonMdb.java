package io.heraldmq.ra.app;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;

/** Throws on every message, after recording the attempt: the container rolls back, the broker redelivers. */
@MessageDriven(activationConfig = {
        // Payara: which deployed resource adapter activates the bean (by default its own JMS adapter)
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "heraldmq-ra"),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = "ra.poison"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "1")
})
public class PoisonMdb implements MessageListener {
    @EJB
    private Received received;

    @Override
    public void onMessage(Message message) {
        try {
            received.record("poison", ((TextMessage) message).getText() + "#"
                    + message.getIntProperty("JMSXDeliveryCount"));
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("poison message, as the test wants");
    }
}
