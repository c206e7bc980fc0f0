package io.heraldmq.server.cli;

import io.heraldmq.jms.HeraldConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;

import java.util.function.Consumer;

/** The JMS connection of {@code produce} and {@code consume}, made from the same options as the admin commands'. */
final class JmsConnections {
    private JmsConnections() {
    }

    static Connection open(AdminOptions options) throws CommandFailure {
        return open(options, f -> { });
    }

    /** @param tune adjusts the factory (prefetch, client id) before the connection is made */
    static Connection open(AdminOptions options, Consumer<HeraldConnectionFactory> tune) throws CommandFailure {
        HeraldConnectionFactory factory;
        try {
            factory = new HeraldConnectionFactory(options.url);
        } catch (IllegalArgumentException e) {
            // as the admin commands: a URL that names no broker is a broker that cannot be reached
            throw new CommandFailure(AdminCall.UNREACHABLE, CommandFailure.describe(e));
        }
        tune.accept(factory);
        try {
            return factory.createConnection(options.user, options.password);
        } catch (JMSException e) {
            throw CommandFailure.connecting(options.url, e);
        }
    }
}
