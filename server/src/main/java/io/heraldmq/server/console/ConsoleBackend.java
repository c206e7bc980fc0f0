package io.heraldmq.server.console;

import io.heraldmq.server.security.Authenticator;
import io.heraldmq.server.security.Authorizer;
import io.micrometer.core.instrument.MeterRegistry;

import java.nio.file.Path;
import java.util.function.IntSupplier;

/**
 * What the console needs of a broker that serves clients; handed over once it does (before, pages answer 503).
 *
 * @param adminUrl    where the console's administrative connections go: the broker's own client port, on the
 *                    loopback address when it listens on every address
 * @param connections client connections open now (read, not counted again)
 * @param registry    the broker's meters (the overview reads them, nothing is counted for the console)
 * @param dataDir     the data directory (disk use)
 */
record ConsoleBackend(Authenticator authenticator, Authorizer authorizer, String adminUrl,
                      IntSupplier connections, MeterRegistry registry, Path dataDir) {
}
