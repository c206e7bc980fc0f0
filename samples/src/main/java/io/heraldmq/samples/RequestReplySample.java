package io.heraldmq.samples;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import javax.naming.Context;
import javax.naming.InitialContext;

/**
 * Request/reply with nothing but {@code jakarta.jms} and JNDI (see jndi.properties): a responder on one connection
 * answers every request on a queue to the request's JMSReplyTo; a requester on another connection asks with the
 * standard {@link QueueRequestor}, which waits for each answer on a temporary queue of its own.
 * <pre>
 * mvn -q -f samples/pom.xml exec:java -Dexec.mainClass=io.heraldmq.samples.RequestReplySample [-Dexec.args=100]
 * </pre>
 */
public final class RequestReplySample {
    /** What one run saw: requests sent, and how many got the right answer. */
    public record Result(int sent, int answeredCorrectly) {
        public boolean ok() {
            return answeredCorrectly == sent;
        }
    }

    private RequestReplySample() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Result r = run(new InitialContext(), count);
        System.out.printf("%d requests, %d answered correctly%n", r.sent(), r.answeredCorrectly());
        System.out.println(r.ok() ? "OK" : "FAILED");
        System.exit(r.ok() ? 0 : 1);
    }

    public static Result run(Context jndi, int count) throws Exception {
        QueueConnectionFactory factory = (QueueConnectionFactory) jndi.lookup("ConnectionFactory");
        Queue requests = (Queue) jndi.lookup("samples/requests");

        try (QueueConnection responderConnection = factory.createQueueConnection();
             QueueConnection requesterConnection = factory.createQueueConnection()) {
            // The responder: a listener that answers each request where the request says.
            QueueSession responder = responderConnection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer replies = responder.createProducer(null);
            responder.createReceiver(requests).setMessageListener(request -> {
                try {
                    TextMessage reply = responder.createTextMessage("answer to " + ((TextMessage) request).getText());
                    reply.setJMSCorrelationID(request.getJMSMessageID());
                    replies.send(request.getJMSReplyTo(), reply);
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            responderConnection.start();

            // The requester: QueueRequestor creates a temporary queue and sends each request with JMSReplyTo set.
            QueueSession session = requesterConnection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            requesterConnection.start();
            QueueRequestor requestor = new QueueRequestor(session, requests);
            int correct = 0;
            for (int i = 0; i < count; i++) {
                TextMessage request = session.createTextMessage("question " + i);
                Message answer = requestor.request(request);
                if (answer instanceof TextMessage t && t.getText().equals("answer to question " + i)
                        && request.getJMSMessageID().equals(answer.getJMSCorrelationID())) {
                    correct++;
                }
            }
            // Closes the session and deletes the temporary queue.
            requestor.close();
            return new Result(count, correct);
        }
    }
}
