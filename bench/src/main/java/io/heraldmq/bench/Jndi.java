package io.heraldmq.bench;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;

import javax.naming.Context;
import javax.naming.NamingException;

/** Looks up the objects named by {@link JndiNames} in the JNDI context the broker's jndi.properties gives. */
public final class Jndi {
    private final Context context;

    public Jndi(Context context) {
        this.context = context;
    }

    public ConnectionFactory factory(String name) throws NamingException {
        return (ConnectionFactory) context.lookup(name);
    }

    public ConnectionFactory subscriberFactory(int index) throws NamingException {
        return factory(JndiNames.SUBSCRIBER_FACTORY_PREFIX + index);
    }

    public Destination destination(String name) throws NamingException {
        return (Destination) context.lookup(name);
    }
}
