package io.heraldmq.samples;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import javax.naming.Context;
import javax.naming.InitialContext;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Publish/subscribe and point-to-point with nothing but {@code jakarta.jms} and JNDI (see jndi.properties): publishes
 * N messages to a topic with two subscribers and N to a queue with two competing consumers, then checks that every
 * subscriber got every topic message in order and that the queue consumers together got each queue message once.
 * <pre>
 * mvn -q -f samples/pom.xml exec:java -Dexec.mainClass=io.heraldmq.samples.PubSubSample [-Dexec.args=10000]
 * </pre>
 */
public final class PubSubSample {
    /** What one run saw. */
    public record Result(int sent, List<List<String>> topicReceived, int[] queueReceivedPerConsumer,
                         int queueDistinct, int queueDuplicates) {
        public boolean ok() {
            for (List<String> got : topicReceived) {
                if (got.size() != sent) {
                    return false;
                }
                for (int i = 0; i < sent; i++) {
                    if (!got.get(i).equals("price-" + i)) {
                        return false;
                    }
                }
            }
            return queueDistinct == sent && queueDuplicates == 0;
        }
    }

    private PubSubSample() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Result r = run(new InitialContext(), count);
        System.out.printf("topic: %d sent, subscribers received %d and %d, in order: %s%n", r.sent(),
                r.topicReceived().get(0).size(), r.topicReceived().get(1).size(), r.ok());
        System.out.printf("queue: %d sent, consumers received %d + %d, distinct %d, duplicates %d%n", r.sent(),
                r.queueReceivedPerConsumer()[0], r.queueReceivedPerConsumer()[1], r.queueDistinct(),
                r.queueDuplicates());
        System.out.println(r.ok() ? "OK" : "FAILED");
        System.exit(r.ok() ? 0 : 1);
    }

    public static Result run(Context jndi, int count) throws Exception {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Topic topic = (Topic) jndi.lookup("samples/prices");
        Queue queue = (Queue) jndi.lookup("samples/orders");

        try (Connection connection = factory.createConnection()) {
            // Two topic subscribers: one pulls with receive(), one is pushed to by a listener.
            List<List<String>> topicReceived = List.of(Collections.synchronizedList(new ArrayList<>()),
                    Collections.synchronizedList(new ArrayList<>()));
            Session pullSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer pulling = pullSession.createConsumer(topic);
            CountDownLatch topicDone = new CountDownLatch(1);
            Session pushSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            pushSession.createConsumer(topic).setMessageListener(m -> {
                topicReceived.get(1).add(text(m));
                if (topicReceived.get(1).size() == count) {
                    topicDone.countDown();
                }
            });

            // Two competing queue consumers, each on its own session (and so its own thread).
            BitSet seen = new BitSet(count);
            int[] perConsumer = new int[2];
            int[] duplicates = new int[1];
            CountDownLatch queueDone = new CountDownLatch(count);
            for (int i = 0; i < 2; i++) {
                int consumer = i;
                Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                s.createConsumer(queue).setMessageListener(m -> {
                    int n = Integer.parseInt(text(m).substring("order-".length()));
                    synchronized (seen) {
                        perConsumer[consumer]++;
                        if (seen.get(n)) {
                            duplicates[0]++;
                        } else {
                            seen.set(n);
                            queueDone.countDown();
                        }
                    }
                });
            }
            connection.start();

            Session producerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer topicProducer = producerSession.createProducer(topic);
            topicProducer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            MessageProducer queueProducer = producerSession.createProducer(queue);
            queueProducer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < count; i++) {
                topicProducer.send(producerSession.createTextMessage("price-" + i));
                queueProducer.send(producerSession.createTextMessage("order-" + i));
            }

            for (int i = 0; i < count; i++) {
                TextMessage m = (TextMessage) pulling.receive(30_000);
                if (m == null) {
                    break;
                }
                topicReceived.get(0).add(m.getText());
            }
            topicDone.await(30, TimeUnit.SECONDS);
            queueDone.await(30, TimeUnit.SECONDS);
            int distinct;
            synchronized (seen) {
                distinct = seen.cardinality();
            }
            return new Result(count, topicReceived, perConsumer.clone(), distinct, duplicates[0]);
        }
    }

    private static String text(jakarta.jms.Message m) {
        try {
            return ((TextMessage) m).getText();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
