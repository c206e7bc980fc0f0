package io.heraldmq.connect;

import jakarta.jms.ConnectionFactory;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A provider's jars share jakarta.jms with the connectors and nothing else. */
class ProviderClassLoaderTest {
    @Test
    void onlyJakartaJmsIsShared() throws Exception {
        try (ProviderClassLoader loader = ProviderClassLoader.create("connector.x.classpath",
                EmbeddedArtemis.clientJars())) {
            assertSame(ConnectionFactory.class, loader.loadClass("jakarta.jms.ConnectionFactory"));
            Class<?> artemis = loader.loadClass("org.apache.activemq.artemis.jms.client.ActiveMQJMSConnectionFactory");
            assertTrue(ConnectionFactory.class.isAssignableFrom(artemis));
            assertSame(loader, artemis.getClassLoader());
            // Its own Netty, whatever version the connectors' Vert.x has.
            assertNotSame(io.netty.buffer.ByteBuf.class, loader.loadClass("io.netty.buffer.ByteBuf"));
            assertThrows(ClassNotFoundException.class,
                    () -> loader.loadClass("io.heraldmq.jms.HeraldConnectionFactory"));
        }
        String e = assertThrows(IllegalArgumentException.class, () -> ProviderClassLoader.create(
                "connector.x.classpath", List.of(java.nio.file.Path.of("/no/such.jar")))).getMessage();
        assertTrue(e.contains("connector.x.classpath: no such file or directory"), e);
    }
}
