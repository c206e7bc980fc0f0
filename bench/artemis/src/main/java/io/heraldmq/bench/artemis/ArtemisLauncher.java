package io.heraldmq.bench.artemis;

import org.apache.activemq.artemis.core.config.ClusterConnectionConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.ha.ReplicaPolicyConfiguration;
import org.apache.activemq.artemis.core.config.ha.ReplicatedPolicyConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;
import org.apache.activemq.artemis.core.server.JournalType;

import java.io.File;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ArtemisLauncher PORT DATA_DIR}: an embedded ActiveMQ Artemis broker as its own process, configured as a
 * careful user would for durable messaging: persistence on, NIO journal, journal sync for transactional and
 * non-transactional work (a PERSISTENT send returns after the disk has it), one acceptor on 127.0.0.1, security
 * off (HeraldMQ accepts every client too), addresses and queues auto-created (Artemis' default). Everything else is
 * Artemis' default. Prints {@value #READY} when it accepts connections and runs until the process is killed.
 * <p>
 * {@code ArtemisLauncher PORT DATA_DIR primary|backup PEER_PORT}: one of a replicated pair, as Artemis documents
 * its shared-nothing high availability: the primary replicates its journal to the backup over a cluster connection
 * (static connector to the peer, a cluster user and password) and answers a durable send once the backup has
 * received it (the backup does not sync it to its own disk first); the backup takes over when the primary dies.
 * The primary is ready when active, the backup once its copy is in sync.
 * <p>
 * {@code ArtemisLauncher PORT DATA_DIR tls KEY_STORE PASSWORD}: alone, with a TLS acceptor only (a PKCS12 key store),
 * as Artemis documents {@code sslEnabled}.
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
        String role = args.length > 2 ? args[2] : "alone";
        if (role.equals("tls")) {
            config.addAcceptorConfiguration("tls", "tcp://127.0.0.1:" + port + "?sslEnabled=true;keyStoreType=PKCS12"
                    + ";keyStorePath=" + args[3] + ";keyStorePassword=" + args[4]);
        } else {
            config.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        }
        if (role.equals("primary") || role.equals("backup")) {
            int peerPort = Integer.parseInt(args[3]);
            config.addConnectorConfiguration("self", "tcp://127.0.0.1:" + port);
            config.addConnectorConfiguration("peer", "tcp://127.0.0.1:" + peerPort);
            config.addClusterConfiguration(new ClusterConnectionConfiguration().setName("bench-pair")
                    .setConnectorName("self").setStaticConnectors(List.of("peer")));
            config.setClusterUser("bench-cluster");
            config.setClusterPassword("bench-cluster-secret");
            config.setHAPolicyConfiguration(role.equals("primary")
                    ? new ReplicatedPolicyConfiguration().setClusterName("bench-pair")
                    : new ReplicaPolicyConfiguration().setClusterName("bench-pair").setAllowFailBack(false));
        }

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
        if (role.equals("backup")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!server.isReplicaSync()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Artemis backup did not get in sync within 120 s");
                }
                Thread.sleep(100);
            }
        } else if (!server.waitForActivation(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Artemis did not become active within 60 s");
        }
        System.out.println(READY + " artemis " + role + " tcp://127.0.0.1:" + port);
        System.out.flush();
        Thread.currentThread().join();
    }
}
