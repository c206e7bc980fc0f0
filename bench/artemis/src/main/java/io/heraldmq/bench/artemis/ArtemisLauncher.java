package io.heraldmq.bench.artemis;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;
import org.apache.activemq.artemis.core.server.JournalType;

import java.io.File;

/**
 * {@code ArtemisLauncher PORT DATA_DIR}: an embedded ActiveMQ Artemis broker as its own process, configured as a
 * careful user would for durable messaging: persistence on, NIO journal, journal sync for transactional and
 * non-transactional work (a PERSISTENT send returns after the disk has it), one acceptor on 127.0.0.1, security
 * off (HeraldMQ accepts every client too), addresses and queues auto-created (Artemis' default). Everything else is
 * Artemis' default. Prints {@value #READY} when it accepts connections and runs until the process is killed.
 */
public final class ArtemisLauncher {
    static final String READY = "BENCH-BROKER-READY";

    private ArtemisLauncher() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        File dir = new File(args[1]);
        Configuration config = new ConfigurationImpl();
        config.setName("bench-artemis");
        config.setPersistenceEnabled(true);
        config.setJournalType(JournalType.NIO);
        config.setJournalSyncTransactional(true);
        config.setJournalSyncNonTransactional(true);
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        config.setJournalDirectory(new File(dir, "journal").getPath());
        config.setBindingsDirectory(new File(dir, "bindings").getPath());
        config.setPagingDirectory(new File(dir, "paging").getPath());
        config.setLargeMessagesDirectory(new File(dir, "large-messages").getPath());
        config.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);

        // The flag is enablePersistence and overrides the configuration's: false would run without the journal.
        ActiveMQServer server = ActiveMQServers.newActiveMQServer(config, true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                System.err.println("Artemis stop failed: " + e);
            }
        }, "artemis-stop"));
        server.start();
        if (!server.waitForActivation(60, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("Artemis did not become active within 60 s");
        }
        System.out.println(READY + " artemis tcp://127.0.0.1:" + port);
        System.out.flush();
        Thread.currentThread().join();
    }
}
