package io.heraldmq.bench.classic;

import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;

import java.io.File;

/**
 * {@code ClassicLauncher PORT DATA_DIR}: an embedded ActiveMQ Classic broker as its own process, configured as a
 * careful user would for durable messaging: KahaDB with a disk sync of the journal on every write
 * ({@code journalDiskSyncStrategy=always}, i.e. {@code enableJournalDiskSyncs=true}), one OpenWire transport on
 * 127.0.0.1, no JMX. Everything else is Classic's default (memory limits, producer flow control, advisories).
 * Prints {@value #READY} when it accepts connections and runs until the process is killed.
 */
public final class ClassicLauncher {
    static final String READY = "BENCH-BROKER-READY";

    private ClassicLauncher() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        File dir = new File(args[1]);
        KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
        kahaDb.setDirectory(new File(dir, "kahadb"));
        kahaDb.setJournalDiskSyncStrategy("always");

        BrokerService broker = new BrokerService();
        broker.setBrokerName("bench-classic");
        broker.setUseJmx(false);
        broker.setPersistent(true);
        broker.setDataDirectoryFile(dir);
        broker.setTmpDataDirectory(new File(dir, "tmp"));
        broker.setPersistenceAdapter(kahaDb);
        broker.setUseShutdownHook(true);
        broker.addConnector("tcp://127.0.0.1:" + port);
        broker.start();
        broker.waitUntilStarted();
        System.out.println(READY + " classic tcp://127.0.0.1:" + port);
        System.out.flush();
        broker.waitUntilStopped();
    }
}
