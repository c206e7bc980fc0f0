package io.heraldmq.samples;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import javax.naming.Context;
import javax.naming.InitialContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Transacted sessions with nothing but {@code jakarta.jms} and JNDI (see jndi.properties): N orders are published in
 * transactions of 100; a processor takes each order and writes its invoice in one transaction, so an order is
 * consumed if and only if its invoice is sent. Every tenth order fails the first time (the processor rolls back);
 * it comes again marked redelivered, before the orders behind it, and succeeds. The run is OK when every order has
 * exactly one invoice, in order, and exactly the failed orders were redelivered.
 * <pre>
 * mvn -q -f samples/pom.xml exec:java -Dexec.mainClass=io.heraldmq.samples.TransactedSample [-Dexec.args=1000]
 * </pre>
 */
public final class TransactedSample {
    private static final long RECEIVE_TIMEOUT_MS = 30_000;

    /** What one run saw. */
    public record Result(int sent, List<String> invoices, int rolledBack, int redelivered) {
        public boolean ok() {
            if (invoices.size() != sent) {
                return false;
            }
            for (int i = 0; i < sent; i++) {
                if (!invoices.get(i).equals("invoice for order-" + i)) {
                    return false;
                }
            }
            return rolledBack == (sent + 9) / 10 && redelivered == rolledBack;
        }
    }

    private TransactedSample() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Result r = run(new InitialContext(), count);
        System.out.printf("orders: %d sent, %d invoices, %d rolled back, %d redelivered%n", r.sent(),
                r.invoices().size(), r.rolledBack(), r.redelivered());
        System.out.println(r.ok() ? "OK" : "FAILED");
        System.exit(r.ok() ? 0 : 1);
    }

    public static Result run(Context jndi, int count) throws Exception {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Queue orders = (Queue) jndi.lookup("samples/tx-orders");
        Queue invoices = (Queue) jndi.lookup("samples/invoices");

        try (Connection connection = factory.createConnection()) {
            connection.start();

            // Publish in transactions: each batch of 100 orders becomes visible at once, at commit.
            Session publishing = connection.createSession(Session.SESSION_TRANSACTED);
            MessageProducer orderProducer = publishing.createProducer(orders);
            for (int i = 0; i < count; i++) {
                orderProducer.send(publishing.createTextMessage("order-" + i));
                if (i % 100 == 99 || i == count - 1) {
                    publishing.commit();
                }
            }

            // Process: consume an order and send its invoice in one transaction.
            Session processing = connection.createSession(Session.SESSION_TRANSACTED);
            MessageConsumer orderConsumer = processing.createConsumer(orders);
            MessageProducer invoiceProducer = processing.createProducer(invoices);
            int processed = 0;
            int rolledBack = 0;
            int redelivered = 0;
            while (processed < count) {
                Message m = orderConsumer.receive(RECEIVE_TIMEOUT_MS);
                if (m == null) {
                    break;
                }
                String order = ((TextMessage) m).getText();
                if (m.getJMSRedelivered()) {
                    redelivered++;
                }
                invoiceProducer.send(processing.createTextMessage("invoice for " + order));
                int n = Integer.parseInt(order.substring("order-".length()));
                if (n % 10 == 0 && !m.getJMSRedelivered()) {
                    // A failure half-way: the invoice is discarded and the order comes back.
                    processing.rollback();
                    rolledBack++;
                    continue;
                }
                processing.commit();
                processed++;
            }

            Session reading = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer invoiceConsumer = reading.createConsumer(invoices);
            List<String> got = new ArrayList<>();
            while (got.size() < count) {
                Message m = invoiceConsumer.receive(RECEIVE_TIMEOUT_MS);
                if (m == null) {
                    break;
                }
                got.add(text(m));
            }
            return new Result(count, got, rolledBack, redelivered);
        }
    }

    private static String text(Message m) {
        try {
            return ((TextMessage) m).getText();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
