package io.heraldmq.server.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * This broker's membership in the cluster: an embedded Hazelcast member that joins the configured members over
 * TCP/IP and advertises the broker's id and addresses as member attributes.
 * <p>
 * The member list is what Hazelcast believes: a member that stops heartbeating is dropped after
 * {@value #MAX_NO_HEARTBEAT_SECONDS} s, and during a network partition each side sees only itself (and has its own
 * oldest member, hence its own {@link Coordinator}). Nothing here is a safety guarantee; the replication layer fences
 * leaders with epochs.
 * <p>
 * Threads: Hazelcast is started and stopped on a worker; its membership events arrive on Hazelcast threads, update
 * the cached list and reach listeners on the Vert.x context they registered with. {@link #members()} reads the cache
 * and never calls Hazelcast.
 */
public final class ClusterMembership {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);
    static final int HEARTBEAT_SECONDS = 1;
    static final int MAX_NO_HEARTBEAT_SECONDS = 5;
    /** Hazelcast's partitions (not HeraldMQ's): see {@link #config}. */
    static final int HAZELCAST_PARTITIONS = 31;
    static final String ATTR_ID = "brokerId";
    static final String ATTR_CLIENT = "clientAddress";
    static final String ATTR_REPLICATION = "replicationAddress";
    /** The maps of the cluster package; two backups, so the table outlives two members lost at once. */
    static final String MAPS = "heraldmq.*";

    private record Registration(Context context, Consumer<List<BrokerInfo>> listener) {
    }

    private final Vertx vertx;
    private final String localId;
    /** How many members {@code cluster.members} lists: a majority of them is a quorum. */
    private final int configuredMembers;
    private final List<Registration> listeners = new CopyOnWriteArrayList<>();
    private volatile List<BrokerInfo> members = List.of();
    private volatile HazelcastInstance hazelcast;

    private ClusterMembership(Vertx vertx, String localId, int configuredMembers) {
        this.vertx = vertx;
        this.localId = localId;
        this.configuredMembers = configuredMembers;
    }

    /**
     * Starts the Hazelcast member on a worker and joins the cluster (or forms it, when no other member answers).
     *
     * @param replicationPort the advertised replication port (0 when not fixed)
     */
    public static Future<ClusterMembership> start(Vertx vertx, ClusterSettings settings, String brokerId,
                                                  String clientHost, int clientPort, String replicationHost,
                                                  int replicationPort) {
        ClusterMembership m = new ClusterMembership(vertx, brokerId, settings.members().size());
        Config config = config(settings, brokerId, clientHost + ":" + clientPort,
                replicationHost + ":" + replicationPort, m.new Listener());
        return vertx.executeBlocking(() -> {
            m.hazelcast = Hazelcast.newHazelcastInstance(config);
            m.update(m.hazelcast.getCluster().getMembers());
            LOG.info("broker {} joined cluster {}: {}", brokerId, settings.name(), m.members);
            return m;
        }, false);
    }

    static Config config(ClusterSettings settings, String brokerId, String clientAddress, String replicationAddress,
                         InitialMembershipListener listener) {
        Config c = new Config();
        c.setClusterName(settings.hazelcastClusterName());
        if (settings.secret() != null) {
            // Hazelcast prefixes each log line with the cluster name, which is then the key to the membership.
            c.setProperty("hazelcast.logging.details.enabled", "false");
        }
        c.setInstanceName("heraldmq-" + brokerId);
        // Through SLF4J to the broker's Logback, where BrokerLogging drops Hazelcast's "Cluster name:" line (with a
        // secret the name is what admits a member, ClusterSettings#hazelcastClusterName).
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(HEARTBEAT_SECONDS));
        c.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(MAX_NO_HEARTBEAT_SECONDS));
        c.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        c.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        // Hazelcast's 271 partitions are for data grids: ours hold a few maps of metadata. A member joining or leaving
        // starts a migration of most of them, and map operations on a migrating partition wait for it; a broker lost
        // while the partitions were still moving to a restarted one held the coordinator's reads, so the new
        // leaders, for 3 to 4 s (ClusterChaosIT). With 31 a migration is over in a fraction of that. Every member of
        // a cluster must use the same count.
        c.setProperty("hazelcast.partition.count", String.valueOf(HAZELCAST_PARTITIONS));
        c.setProperty("hazelcast.wait.seconds.before.join", "1");
        c.setProperty("hazelcast.max.wait.seconds.before.join", "5");
        // Bind and advertise cluster.host only: brokers on one machine differ by port alone.
        c.setProperty("hazelcast.local.localAddress", settings.host());
        c.setProperty("hazelcast.socket.bind.any", "false");
        NetworkConfig network = c.getNetworkConfig();
        // Reuse: a broker restarted at once after a crash must get its member port back despite TIME_WAIT.
        network.setPort(settings.port()).setPortAutoIncrement(false).setReuseAddress(true);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2).setMembers(settings.members());
        c.getMemberAttributeConfig().setAttribute(ATTR_ID, brokerId);
        c.getMemberAttributeConfig().setAttribute(ATTR_CLIENT, clientAddress);
        c.getMemberAttributeConfig().setAttribute(ATTR_REPLICATION, replicationAddress);
        c.addMapConfig(new MapConfig(MAPS).setBackupCount(2));
        // Registered before the join, so no membership change is missed.
        c.addListenerConfig(new ListenerConfig(listener));
        return c;
    }

    /** This broker's id. */
    public String localId() {
        return localId;
    }

    /** The live brokers as this member sees them, oldest first; the first one is the coordinator. */
    public List<BrokerInfo> members() {
        return members;
    }

    /** Whether this broker is the oldest member, so its {@link Coordinator} is the active one. */
    public boolean isCoordinator() {
        List<BrokerInfo> m = members;
        return !m.isEmpty() && m.get(0).id().equals(localId);
    }

    /**
     * Whether this member sees more than half of the members {@code cluster.members} lists. Only a side of a network
     * partition with a quorum may change the partition table: a minority that proposed leaders too would promise the
     * epochs the majority gives to other brokers (the same epoch to two leaders), and its replicas would not follow
     * the majority's leaders after the heal. Members beyond the list (joined through a listed one) count as seen but
     * not as configured, so list every broker.
     */
    public boolean hasQuorum() {
        return members.size() * 2 > configuredMembers;
    }

    /** How many members {@code cluster.members} lists. */
    public int configuredMembers() {
        return configuredMembers;
    }

    /** Calls {@code listener} on {@code ctx} with the new member list after every change, in order. */
    public void onMembersChanged(Context ctx, Consumer<List<BrokerInfo>> listener) {
        listeners.add(new Registration(ctx, listener));
    }

    /** The embedded member, for the cluster's maps; call it on a worker, never on an event loop. */
    public HazelcastInstance hazelcast() {
        return hazelcast;
    }

    /** Vert.x, whose workers run the Hazelcast calls of the cluster classes. */
    Vertx vertx() {
        return vertx;
    }

    /** Leaves the cluster (the others see this member go at once, not after a heartbeat timeout). */
    public Future<Void> close() {
        HazelcastInstance h = hazelcast;
        listeners.clear();
        if (h == null) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            h.shutdown();
            return null;
        }, false);
    }

    /**
     * Recomputes the list from Hazelcast's current member set (the event's own set until started, since events of
     * different members might be handled out of order) and tells the listeners.
     */
    private synchronized void update(Collection<Member> eventMembers) {
        HazelcastInstance h = hazelcast;
        Collection<Member> current = h != null && h.getLifecycleService().isRunning()
                ? h.getCluster().getMembers() : eventMembers;
        List<BrokerInfo> out = new ArrayList<>(current.size());
        for (Member member : current) {
            out.add(info(member, out.isEmpty()));
        }
        List<BrokerInfo> list = List.copyOf(out);
        members = list;
        for (Registration r : listeners) {
            r.context().runOnContext(v -> r.listener().accept(list));
        }
    }

    private static BrokerInfo info(Member member, boolean oldest) {
        String id = member.getAttribute(ATTR_ID);
        String[] client = hostPort(member.getAttribute(ATTR_CLIENT));
        String[] replication = hostPort(member.getAttribute(ATTR_REPLICATION));
        return new BrokerInfo(id == null ? member.getUuid().toString() : id, client[0], Integer.parseInt(client[1]),
                replication[0], Integer.parseInt(replication[1]), oldest);
    }

    private static String[] hostPort(String address) {
        if (address == null) {
            return new String[]{"", "0"};
        }
        int colon = address.lastIndexOf(':');
        return new String[]{address.substring(0, colon), address.substring(colon + 1)};
    }

    /** Hazelcast's membership events, on its event threads; the set they carry is ordered oldest first. */
    private final class Listener implements InitialMembershipListener {
        @Override
        public void init(InitialMembershipEvent event) {
            update(event.getMembers());
        }

        @Override
        public void memberAdded(MembershipEvent event) {
            LOG.info("member joined: {}", event.getMember().getAttribute(ATTR_ID));
            update(event.getMembers());
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
            LOG.info("member left: {}", event.getMember().getAttribute(ATTR_ID));
            update(event.getMembers());
        }
    }
}
