package io.heraldmq.ra.app;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;

/** A container-transacted bean on a durable topic subscription. */
@MessageDriven(activationConfig = {
        // Payara: which deployed resource adapter activates the bean (by default its own JMS adapter)
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "heraldmq-ra"),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Topic"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = "ra.topic"),
        @ActivationConfigProperty(propertyName = "subscriptionDurability", propertyValue = "Durable"),
        @ActivationConfigProperty(propertyName = "subscriptionName", propertyValue = "ra-topic-sub"),
        @ActivationConfigProperty(propertyName = "clientId", propertyValue = "ra-it-topic")
})
public class TopicMdb implements MessageListener {
    @EJB
    private Received received;

    @Override
    public void onMessage(Message message) {
        try {
            received.record("topic", ((TextMessage) message).getText());
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
