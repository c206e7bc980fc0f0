package io.heraldmq.jndi;

import io.heraldmq.jms.HeraldQueue;
import io.heraldmq.jms.HeraldTopic;

import javax.naming.Binding;
import javax.naming.CompoundName;
import javax.naming.Context;
import javax.naming.Name;
import javax.naming.NameClassPair;
import javax.naming.NameNotFoundException;
import javax.naming.NameParser;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.NotContextException;
import javax.naming.OperationNotSupportedException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Properties;

/**
 * A flat, read-only JNDI context over a fixed set of bindings, made by {@link HeraldInitialContextFactory}.
 * <p>
 * Names are flat keys: {@code "jms/queue/orders"} finds the binding named exactly that, and a {@link Name} is joined
 * with {@code /} into such a key. {@code dynamicQueues/<name>} and {@code dynamicTopics/<name>} that are not bound
 * return a new queue or topic of that physical name. The empty name returns a new view of this context. Every
 * modification throws {@link OperationNotSupportedException}; {@link #close()} does nothing, so a closed context
 * keeps answering lookups. Safe for concurrent use.
 */
public final class ReadOnlyContext implements Context {
    public static final String DYNAMIC_QUEUES = "dynamicQueues/";
    public static final String DYNAMIC_TOPICS = "dynamicTopics/";

    private static final Properties FLAT_SYNTAX = new Properties();

    static {
        FLAT_SYNTAX.put("jndi.syntax.direction", "flat");
    }

    private static final NameParser PARSER = name -> new CompoundName(name, FLAT_SYNTAX);

    private final Hashtable<Object, Object> environment;
    private final Map<String, Object> bindings;

    ReadOnlyContext(Hashtable<?, ?> environment, Map<String, Object> bindings) {
        this.environment = new Hashtable<>(environment);
        this.bindings = Collections.unmodifiableMap(new LinkedHashMap<>(bindings));
    }

    // ---- lookups ----

    @Override
    public Object lookup(String name) throws NamingException {
        if (name == null || name.isEmpty()) {
            return new ReadOnlyContext(environment, bindings);
        }
        Object bound = bindings.get(name);
        if (bound != null) {
            return bound;
        }
        String physical = dynamicName(name, DYNAMIC_QUEUES);
        if (physical != null) {
            return new HeraldQueue(physical);
        }
        physical = dynamicName(name, DYNAMIC_TOPICS);
        if (physical != null) {
            return new HeraldTopic(physical);
        }
        throw notFound(name);
    }

    private static String dynamicName(String name, String prefix) {
        return name.startsWith(prefix) && name.length() > prefix.length() ? name.substring(prefix.length()) : null;
    }

    @Override
    public Object lookup(Name name) throws NamingException {
        return lookup(flatten(name));
    }

    @Override
    public Object lookupLink(String name) throws NamingException {
        return lookup(name);
    }

    @Override
    public Object lookupLink(Name name) throws NamingException {
        return lookup(name);
    }

    @Override
    public NamingEnumeration<NameClassPair> list(String name) throws NamingException {
        checkRoot(name);
        List<NameClassPair> pairs = new ArrayList<>(bindings.size());
        bindings.forEach((n, o) -> pairs.add(new NameClassPair(n, o.getClass().getName(), true)));
        return new ListEnumeration<>(pairs);
    }

    @Override
    public NamingEnumeration<NameClassPair> list(Name name) throws NamingException {
        return list(flatten(name));
    }

    @Override
    public NamingEnumeration<Binding> listBindings(String name) throws NamingException {
        checkRoot(name);
        List<Binding> list = new ArrayList<>(bindings.size());
        bindings.forEach((n, o) -> list.add(new Binding(n, o.getClass().getName(), o, true)));
        return new ListEnumeration<>(list);
    }

    @Override
    public NamingEnumeration<Binding> listBindings(Name name) throws NamingException {
        return listBindings(flatten(name));
    }

    /** Only the root can be listed: every binding is a leaf. */
    private void checkRoot(String name) throws NamingException {
        if (name != null && !name.isEmpty()) {
            Object o = lookup(name);
            if (!(o instanceof Context)) {
                throw new NotContextException(name + " is bound to a " + o.getClass().getName() + ", not a context");
            }
        }
    }

    private static NameNotFoundException notFound(String name) {
        NameNotFoundException e = new NameNotFoundException("name " + name + " is not bound in this context");
        try {
            e.setRemainingName(PARSER.parse(name));
        } catch (NamingException ignored) {
            // the message already names it
        }
        return e;
    }

    /** Joins the components of a name with '/' into one flat key. */
    private static String flatten(Name name) {
        if (name == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.size(); i++) {
            if (i > 0) {
                b.append('/');
            }
            b.append(name.get(i));
        }
        return b.toString();
    }

    // ---- names and environment ----

    @Override
    public NameParser getNameParser(String name) {
        return PARSER;
    }

    @Override
    public NameParser getNameParser(Name name) {
        return PARSER;
    }

    @Override
    public String composeName(String name, String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return name;
        }
        if (name == null || name.isEmpty()) {
            return prefix;
        }
        return prefix + "/" + name;
    }

    @Override
    public Name composeName(Name name, Name prefix) throws NamingException {
        Name result = (Name) prefix.clone();
        return result.addAll(name);
    }

    @Override
    public Object addToEnvironment(String propName, Object propVal) {
        return environment.put(propName, propVal);
    }

    @Override
    public Object removeFromEnvironment(String propName) {
        return environment.remove(propName);
    }

    /** A copy: changing it changes nothing here. */
    @Override
    public Hashtable<?, ?> getEnvironment() {
        return new Hashtable<>(environment);
    }

    @Override
    public String getNameInNamespace() {
        return "";
    }

    @Override
    public void close() {
        // Nothing to release.
    }

    // ---- modifications: not supported ----

    private static OperationNotSupportedException readOnly(String what) {
        return new OperationNotSupportedException("the HeraldMQ JNDI context is read-only: " + what
                + " is not supported; configure bindings through the environment (jndi.properties)");
    }

    @Override
    public void bind(Name name, Object obj) throws NamingException {
        throw readOnly("bind");
    }

    @Override
    public void bind(String name, Object obj) throws NamingException {
        throw readOnly("bind");
    }

    @Override
    public void rebind(Name name, Object obj) throws NamingException {
        throw readOnly("rebind");
    }

    @Override
    public void rebind(String name, Object obj) throws NamingException {
        throw readOnly("rebind");
    }

    @Override
    public void unbind(Name name) throws NamingException {
        throw readOnly("unbind");
    }

    @Override
    public void unbind(String name) throws NamingException {
        throw readOnly("unbind");
    }

    @Override
    public void rename(Name oldName, Name newName) throws NamingException {
        throw readOnly("rename");
    }

    @Override
    public void rename(String oldName, String newName) throws NamingException {
        throw readOnly("rename");
    }

    @Override
    public void destroySubcontext(Name name) throws NamingException {
        throw readOnly("destroySubcontext");
    }

    @Override
    public void destroySubcontext(String name) throws NamingException {
        throw readOnly("destroySubcontext");
    }

    @Override
    public Context createSubcontext(Name name) throws NamingException {
        throw readOnly("createSubcontext");
    }

    @Override
    public Context createSubcontext(String name) throws NamingException {
        throw readOnly("createSubcontext");
    }

    @Override
    public String toString() {
        return "ReadOnlyContext" + bindings.keySet();
    }

    /** A NamingEnumeration over a snapshot list. */
    private static final class ListEnumeration<T> implements NamingEnumeration<T> {
        private final Iterator<T> it;

        ListEnumeration(List<T> items) {
            this.it = items.iterator();
        }

        @Override
        public T next() {
            return nextElement();
        }

        @Override
        public boolean hasMore() {
            return it.hasNext();
        }

        @Override
        public void close() {
        }

        @Override
        public boolean hasMoreElements() {
            return it.hasNext();
        }

        @Override
        public T nextElement() {
            if (!it.hasNext()) {
                throw new NoSuchElementException();
            }
            return it.next();
        }
    }
}
