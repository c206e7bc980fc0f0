package io.heraldmq.ra.app;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;

/** A container-transacted bean on a queue (maxSession 4: deliveries run concurrently). */
@MessageDriven(activationConfig = {
        // Payara: which deployed resource adapter activates the bean (by default its own JMS adapter)
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "heraldmq-ra"),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = "ra.mdb"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "4")
})
public class QueueMdb implements MessageListener {
    @EJB
    private Received received;

    @Override
    public void onMessage(Message message) {
        try {
            received.record("queue", ((TextMessage) message).getText());
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
