package io.heraldmq.server.cli;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import picocli.CommandLine.ITypeConverter;

/**
 * A queue or topic named on the command line as {@code queue://NAME} or {@code topic://NAME}, the form the
 * connectors' files use, so a destination is written the same way everywhere.
 */
record ConsoleDestination(boolean queue, String name) {
    static final String QUEUE = "queue://";
    static final String TOPIC = "topic://";

    Destination create(Session session) throws JMSException {
        return queue ? session.createQueue(name) : session.createTopic(name);
    }

    @Override
    public String toString() {
        return (queue ? QUEUE : TOPIC) + name;
    }

    static final class Converter implements ITypeConverter<ConsoleDestination> {
        @Override
        public ConsoleDestination convert(String value) {
            String v = value.trim();
            boolean queue = v.startsWith(QUEUE);
            if (!queue && !v.startsWith(TOPIC)) {
                throw new IllegalArgumentException("not queue://NAME or topic://NAME: '" + value + "'");
            }
            String name = v.substring(queue ? QUEUE.length() : TOPIC.length());
            if (name.isEmpty()) {
                throw new IllegalArgumentException("no destination name in '" + value + "'");
            }
            return new ConsoleDestination(queue, name);
        }
    }
}
