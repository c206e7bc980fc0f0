package io.heraldmq.jms.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.lang.reflect.Proxy;

/**
 * An ObjectInputStream that checks every class against a {@link DeserializationFilter} before loading it, and loads
 * classes with the thread context class loader (falling back to the default resolution), so that application classes
 * deployed in a container resolve.
 */
final class FilteringObjectInputStream extends ObjectInputStream {
    /** Thrown while reading when the stream names a class the filter refuses. */
    static final class RefusedClassException extends InvalidClassException {
        private static final long serialVersionUID = 1L;

        RefusedClassException(String className) {
            super(className, "class is not allowed to be deserialized (see system properties "
                    + DeserializationFilter.ALLOW_LIST_PROPERTY + " and " + DeserializationFilter.DENY_LIST_PROPERTY
                    + ")");
        }
    }

    private final DeserializationFilter filter;

    FilteringObjectInputStream(InputStream in, DeserializationFilter filter) throws IOException {
        super(in);
        this.filter = filter;
    }

    private void check(String className) throws RefusedClassException {
        if (!filter.isAllowed(className)) {
            throw new RefusedClassException(className);
        }
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
        String name = desc.getName();
        check(name);
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        if (tccl != null) {
            try {
                return Class.forName(name, false, tccl);
            } catch (ClassNotFoundException e) {
                // fall through to the default resolution (primitive types, the caller's loader)
            }
        }
        return super.resolveClass(desc);
    }

    @Override
    @SuppressWarnings("deprecation")
    protected Class<?> resolveProxyClass(String[] interfaces) throws IOException, ClassNotFoundException {
        for (String i : interfaces) {
            check(i);
        }
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        if (tccl != null) {
            try {
                Class<?>[] classes = new Class<?>[interfaces.length];
                for (int i = 0; i < interfaces.length; i++) {
                    classes[i] = Class.forName(interfaces[i], false, tccl);
                }
                return Proxy.getProxyClass(tccl, classes);
            } catch (ClassNotFoundException | IllegalArgumentException e) {
                // fall through
            }
        }
        return super.resolveProxyClass(interfaces);
    }
}
