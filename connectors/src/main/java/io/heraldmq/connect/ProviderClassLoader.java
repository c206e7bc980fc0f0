package io.heraldmq.connect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Another JMS provider's jars ({@code classpath}, {@code source.classpath}) in a class loader of their own whose
 * parent shares nothing with the connectors but the JDK and {@code jakarta.jms}: the provider's factory implements
 * the same {@code jakarta.jms.ConnectionFactory} the connectors call, and its dependencies (its Netty, its logging)
 * never meet the ones in {@code heraldmq-connect.jar}, whatever their versions. A directory contributes itself (for
 * a {@code jndi.properties} or loose classes) and every {@code *.jar} in it, as Artemis's {@code lib/client} or an
 * unpacked client distribution hold them.
 */
final class ProviderClassLoader extends URLClassLoader {
    private ProviderClassLoader(String name, URL[] urls) {
        super(name, urls, new JakartaJmsOnly());
    }

    /**
     * @param what for error messages: the full key of the option
     * @throws IllegalArgumentException naming {@code what} if a path does not exist
     */
    static ProviderClassLoader create(String what, List<Path> classpath) {
        List<URL> urls = new ArrayList<>();
        for (Path p : classpath) {
            if (Files.isDirectory(p)) {
                urls.add(url(p));
                try (Stream<Path> files = Files.list(p)) {
                    files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted()
                            .forEach(f -> urls.add(url(f)));
                } catch (IOException e) {
                    throw new UncheckedIOException(what + ": cannot list " + p, e);
                }
            } else if (Files.isRegularFile(p)) {
                urls.add(url(p));
            } else {
                throw new IllegalArgumentException(what + ": no such file or directory: " + p);
            }
        }
        return new ProviderClassLoader(what, urls.toArray(URL[]::new));
    }

    private static URL url(Path p) {
        try {
            return p.toAbsolutePath().toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a usable path: " + p, e);
        }
    }

    /** The parent: the platform's classes, and {@code jakarta.jms} from the connectors' own loader. */
    private static final class JakartaJmsOnly extends ClassLoader {
        private final ClassLoader connectors = ProviderClassLoader.class.getClassLoader();

        JakartaJmsOnly() {
            super("jakarta-jms-only", ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("jakarta.jms.")) {
                return connectors.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }

        @Override
        protected URL findResource(String name) {
            return name.startsWith("jakarta/jms/") ? connectors.getResource(name) : null;
        }
    }
}
