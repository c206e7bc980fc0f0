package io.heraldmq.server.cluster;

/**
 * A live broker as its Hazelcast member attributes describe it.
 *
 * @param id              its {@link BrokerIdentity broker id}: the same across restarts with the same data directory
 * @param clientHost      where clients reach it
 * @param clientPort      its client port
 * @param replicationHost where other brokers fetch partition data from it
 * @param replicationPort its replication port as configured ({@code replication.port}; 0 when not fixed)
 * @param coordinator     whether it is the oldest member, the one whose {@link Coordinator} assigns partitions
 */
public record BrokerInfo(String id, String clientHost, int clientPort, String replicationHost, int replicationPort,
                         boolean coordinator) {
    /** {@code host:port} of its client listener. */
    public String clientAddress() {
        return clientHost + ":" + clientPort;
    }
}
