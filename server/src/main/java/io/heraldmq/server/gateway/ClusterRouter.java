package io.heraldmq.server.gateway;

import io.heraldmq.protocol.Ack;
import io.heraldmq.protocol.Close;
import io.heraldmq.protocol.Commit;
import io.heraldmq.protocol.Credit;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.protocol.Produce;
import io.heraldmq.protocol.SetClientId;
import io.heraldmq.protocol.Subscribe;
import io.heraldmq.server.net.ClientConnection;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends a client's requests for destinations another broker leads to that broker ({@link Upstream}), unchanged,
 * and lets everything else be handled here. Runs on the client connection's event loop, before the request
 * handlers.
 * <ul>
 * <li>PRODUCE and SUBSCRIBE go where their destination's leader is; CREDIT, ACK and consumer CLOSE follow their
 * consumer.</li>
 * <li>COMMIT goes up whole when every batch and every acknowledged consumer belongs to one other broker; a
 * transaction spanning brokers is coordinated here ({@link SpanningCommit}: each leader prepares its part, the
 * decision log decides, each leader applies).</li>
 * <li>SET_CLIENT_ID is handled here and repeated on every upstream; temporary destinations stay here; UNSUBSCRIBE
 * goes to the subscription's topic's leader, ADMIN operations on a destination's state to its leader, and a
 * listing of every subscription is gathered from all leaders ({@link LeaderListing}).</li>
 * </ul>
 */
public final class ClusterRouter {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRouter.class);
    /** How long a relay whose leader was lost waits for the table to name another one. */
    static final long NEW_LEADER_WAIT_MS = 20_000;
    /** How long requests for a new destination wait for the table to name its leader. */
    static final long LEADER_WAIT_MS = 10_000;

    private final Vertx vertx;
    /** The topic of a durable subscription, by subscription id, as this broker knows it (or null). */
    private final java.util.function.Function<String, String> subscriptionTopics;
    /** Creates a destination used for the first time (auto-creation), as the local handlers would. */
    private final io.heraldmq.server.handler.AutoCreation create;
    /** {@code cluster.secret}, presented by every relay connection with its client's user name; or null. */
    private final String relaySecret;
    private final LeaderDirectory leaders;
    private final java.util.function.BiFunction<String, String, String> durableTopics;
    private final NetClient net;
    private final Map<ClientConnection, Routes> routes = new ConcurrentHashMap<>();
    /** Gather LIST_TOPICS and LIST_SUBSCRIPTIONS from the leaders; empty until {@link #answerAdminWith}. */
    private volatile List<LeaderListing> listings = List.of();
    /** Relays DELETE_TOPIC and waits for the local deletion; null until {@link #answerAdminWith}. */
    private volatile DeletionRelay deletions;
    /** Whether this broker has a destination; a relayed consumer's destination gone here was deleted. */
    private volatile java.util.function.BiPredicate<DestinationKind, String> existsHere = (kind, name) -> true;

    /** One client connection's upstreams and where its consumers live. Its event loop only. */
    private static final class Routes {
        final Map<String, Upstream> upstreams = new HashMap<>();
        final Map<Integer, Upstream> consumers = new HashMap<>();
        /** The topic of every durable subscription this connection subscribed to, by subscription name. */
        final Map<String, String> durableTopics = new HashMap<>();
        /** The SUBSCRIBE frame of every relayed consumer, to subscribe it again after a leader change. */
        final Map<Integer, Buffer> subscribes = new HashMap<>();
        /**
         * How many times each consumer was moved to a new leader (CONSUMER_MOVED); absent = never. An ACK or COMMIT
         * naming a delivery of an earlier move is not passed on.
         */
        final Map<Integer, Integer> moves = new HashMap<>();
        /**
         * Each relayed consumer's first credit (its prefetch): in its SUBSCRIBE, or its first CREDIT when it was made
         * on a stopped connection. A consumer subscribed again at a new leader gets it again.
         */
        final Map<Integer, Integer> firstCredits = new HashMap<>();
        /** While set and not complete, requests wait behind it in arrival order. */
        Future<Void> barrier;
        /** This broker's own correlation ids on this connection's upstreams: negative, counting down. */
        final java.util.concurrent.atomic.AtomicInteger ownIds = new java.util.concurrent.atomic.AtomicInteger(-1);
    }

    /** Where a relayed COMMIT whose leader was lost learns its outcome. */
    private final io.heraldmq.server.txlog.DecisionLogClient decisions;
    /** Relays go over the replication link (cluster TLS), upgraded, rather than to the leaders' client ports. */
    private final boolean overReplication;

    /**
     * @param durableTopics the topic of a client id's durable subscription of a name, as this broker knows it (the
     *                      definitions are replicated), or null
     * @param relaySecret   {@code cluster.secret}, or null
     * @param relayTls      with cluster TLS, the options of relays to the leaders' replication ports (built on a
     *                      worker: they may have read CRL files); null: relays go in plain text to client ports
     */
    public ClusterRouter(Vertx vertx, LeaderDirectory leaders,
                         java.util.function.BiFunction<String, String, String> durableTopics,
                         io.heraldmq.server.handler.AutoCreation create,
                         java.util.function.Function<String, String> subscriptionTopics, String relaySecret,
                         io.heraldmq.server.txlog.DecisionLogClient decisions,
                         NetClientOptions relayTls) {
        this.decisions = decisions;
        this.durableTopics = durableTopics;
        this.create = create;
        this.relaySecret = relaySecret;
        this.subscriptionTopics = subscriptionTopics;
        this.vertx = vertx;
        this.leaders = leaders;
        // With cluster TLS, relays go to the leaders' replication ports, as brokers: the directory has those
        // addresses then (ReplicationNode).
        this.overReplication = relayTls != null;
        this.net = vertx.createNetClient((overReplication ? new NetClientOptions(relayTls) : new NetClientOptions())
                .setTcpNoDelay(true).setConnectTimeout(5_000));
    }

    /** Coordinates transactions spanning brokers; until set, they are refused. */
    private volatile SpanningCommit spanning;

    /**
     * Turns on transactions whose destinations are led by different brokers, coordinated here with this broker's
     * own part prepared by {@code parts}.
     */
    public void coordinateWith(io.heraldmq.server.handler.TxParts parts) {
        this.spanning = new SpanningCommit(leaders.localId(), decisions, parts);
        this.xa = new XaCoordinator(vertx, leaders, decisions, spanning);
    }

    /** XA on this clustered broker; until set, the local handlers refuse it. */
    private volatile XaCoordinator xa;

    /** For certificate reloads ({@link io.heraldmq.server.net.TlsReloader}). */
    public Future<Boolean> updateSSLOptions(io.vertx.core.net.SSLOptions options) {
        return net.updateSSLOptions(options, true);
    }

    /**
     * Answers a client's LIST_TOPICS and LIST_SUBSCRIPTIONS of every destination with each leader's part
     * ({@link LeaderListing}; {@code topics} and {@code subscriptions} are this broker's commands, which give its own
     * part), and passes a relayed DELETE_TOPIC's answer down once this broker has dropped the destination too
     * ({@link DeletionRelay}; {@code existsHere}: whether this broker has a destination).
     */
    public void answerAdminWith(io.heraldmq.server.admin.AdminCommand topics,
                                io.heraldmq.server.admin.AdminCommand subscriptions,
                                java.util.function.BiPredicate<DestinationKind, String> existsHere) {
        listings = List.of(
                new LeaderListing(leaders, io.heraldmq.protocol.AdminOperation.LIST_TOPICS, topics, "name", "kind"),
                new LeaderListing(leaders, io.heraldmq.protocol.AdminOperation.LIST_SUBSCRIPTIONS, subscriptions,
                        "id"));
        deletions = new DeletionRelay(vertx, existsHere);
        this.existsHere = existsHere;
    }

    /**
     * @return whether the router took the frame: relayed it, or queued it behind a destination whose leader is not
     * known yet (else the local handler takes it now)
     */
    public boolean route(ClientConnection connection, Frame frame) {
        Routes r = routes.get(connection);
        if (r != null && r.barrier != null) {
            if (!r.barrier.isComplete()) {
                r.barrier = r.barrier.eventually(() -> dispatch(connection, frame));
                return true;
            }
            r.barrier = null;
        }
        List<Target> unknown = unknownLeaders(frame);
        if (!unknown.isEmpty()) {
            // Until the table names the new destinations' leaders, this connection's requests wait in order.
            Future<Void> known = leadersKnown(connection, unknown);
            if (known == null) {
                return false;
            }
            routes(connection).barrier = known.eventually(() -> handleHeld(connection, frame));
            return true;
        }
        return routeNow(connection, frame);
    }

    /**
     * Completes once the table names a live leader for each of {@code unknown}, or after {@link #LEADER_WAIT_MS}. A
     * destination used for the first time is created here first (defined in the cluster's catalog, so that the
     * coordinator assigns it); one that cannot be created is left to the local handler's error. Null when the user
     * may not create one of them: the local handler refuses it now, with the audit line. Event loop.
     */
    private Future<Void> leadersKnown(ClientConnection connection, List<Target> unknown) {
        List<Future<Object>> known = new ArrayList<>();
        for (Target t : unknown) {
            if (!create.mayGet(connection, t.kind(), t.name())) {
                return null;
            }
            boolean queue = t.kind().isQueue();
            known.add(create.get(connection, t.kind(), t.name())
                    .transform(created -> created.failed() ? Future.succeededFuture()
                            : leaders.leaderWhenKnown(vertx, queue, t.name(), LEADER_WAIT_MS))
                    .map(x -> (Object) x).recover(e -> Future.succeededFuture()));
        }
        return Future.join(known).mapEmpty();
    }

    /**
     * A request that waited behind earlier ones, whose turn came. If its own destination's leader is not known yet
     * either, it waits for it here, still before everything behind it: routed at once, it would be handled by this
     * broker (which does not lead the destination and forwards the send) while the requests behind it, once the
     * leader is known, go up the relay and overtake it. So a queue got m94 before m1 from one producer whose first
     * send went to a topic: the queue's first sends waited behind the topic's leader only (issue 14). Runs on the
     * connection's event loop; completes once the request is handled (never stays incomplete: the barrier waits).
     */
    private Future<Void> dispatch(ClientConnection connection, Frame frame) {
        Promise<Void> handled = Promise.promise();
        connection.context().runOnContext(v -> {
            Future<Void> known = null;
            try {
                if (!connection.isClosed()) {
                    List<Target> unknown = unknownLeaders(frame);
                    known = unknown.isEmpty() ? null : leadersKnown(connection, unknown);
                }
            } catch (RuntimeException e) {
                known = null; // a malformed frame: handled now, its handling closes the connection
            }
            (known == null ? handleHeld(connection, frame) : known.eventually(() -> handleHeld(connection, frame)))
                    .onComplete(handled);
        });
        return handled.future();
    }

    /**
     * Routes or handles a held-back request, on the connection's event loop, once no leader is waited for. The
     * barrier completes only with the returned future, once the frame is handled: completing it when the task was
     * merely queued let a request that came meanwhile see the barrier done and go first (a queue got one producer's
     * later batch before its first message, through a relay).
     */
    private Future<Void> handleHeld(ClientConnection connection, Frame frame) {
        Promise<Void> handled = Promise.promise();
        connection.context().runOnContext(v -> {
            try {
                if (!connection.isClosed() && !routeNow(connection, frame)) {
                    connection.handleLocally(frame);
                }
            } catch (io.heraldmq.protocol.ProtocolException e) {
                connection.fail(e);
            } finally {
                handled.complete();
            }
        });
        return handled.future();
    }

    /**
     * The destinations of a PRODUCE, SUBSCRIBE or COMMIT (its sends) that are clustered and have no known leader yet.
     * A COMMIT waits for them as a PRODUCE does: handled here, it would find partitions this broker does not lead.
     */
    private List<Target> unknownLeaders(Frame frame) {
        List<Target> out = new ArrayList<>(1);
        for (Target t : targets(frame)) {
            if (!t.kind().isTemporary() && leaders.liveLeaderOf(t.kind().isQueue(), t.name()) == null
                    && !out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /** The destination a PRODUCE or SUBSCRIBE names. */
    private record Target(DestinationKind kind, String name) {
    }

    /** The destinations a PRODUCE, SUBSCRIBE or COMMIT sends to or consumes from by name; none for other frames. */
    private static List<Target> targets(Frame f) {
        if (f.type() == FrameType.PRODUCE) {
            Produce p = Produce.decode(f.body());
            return List.of(new Target(p.kind(), p.destination()));
        }
        if (f.type() == FrameType.SUBSCRIBE) {
            Subscribe s = Subscribe.decode(f.body());
            return List.of(new Target(s.kind(), s.destination()));
        }
        if (f.type() == FrameType.COMMIT || f.type() == FrameType.XA_PREPARE) {
            List<Target> out = new ArrayList<>();
            Commit work = f.type() == FrameType.COMMIT ? Commit.decode(f.body())
                    : io.heraldmq.protocol.XaPrepare.decode(f.body()).work();
            for (Commit.Send send : work.sends()) {
                out.add(new Target(send.kind(), send.destination()));
            }
            return out;
        }
        return List.of();
    }

    private boolean routeNow(ClientConnection connection, Frame frame) {
        switch (frame.type()) {
            case PRODUCE -> {
                Produce p = Produce.decode(frame.body());
                return relay(connection, upstreamFor(connection, p.kind(), p.destination()), frame);
            }
            case SUBSCRIBE -> {
                Subscribe s = Subscribe.decode(frame.body());
                Upstream up = upstreamFor(connection, s.kind(), s.destination());
                if (s.subscriptionName() != null && !s.kind().isQueue() && (s.flags() & Subscribe.FLAG_DURABLE) != 0) {
                    routes(connection).durableTopics.put(s.subscriptionName(), s.destination());
                }
                if (up != null) {
                    Routes r = routes(connection);
                    r.consumers.put(s.consumerId(), up);
                    r.subscribes.put(s.consumerId(), raw(frame));
                    if (s.initialCredit() > 0) {
                        r.firstCredits.putIfAbsent(s.consumerId(), s.initialCredit());
                    }
                }
                return relay(connection, up, frame);
            }
            case CREDIT -> {
                Credit credit = Credit.decode(frame.body());
                Upstream up = consumerRoute(connection, credit.consumerId());
                if (up != null) {
                    routes(connection).firstCredits.putIfAbsent(credit.consumerId(), credit.messages());
                }
                return relay(connection, up, frame);
            }
            case ACK -> {
                Ack ack = Ack.decode(frame.body());
                if (frame.correlationId() != 0 && staleMove(connection, ack.consumerId(), ack.move())) {
                    // A transaction's (or CLIENT_ACKNOWLEDGE's) settlement of messages of the old leader: the new
                    // leader gives them out again, maybe to this very consumer, and settling them now would settle
                    // the new copies the client is about to take. A one-way ACK (AUTO_ACKNOWLEDGE) goes on: the
                    // application had those messages once, and settling their new copies saves redelivering them.
                    connection.replyError(frame.correlationId(), ErrorCode.TRANSACTION_ROLLED_BACK, MOVED);
                    return true;
                }
                return relay(connection, consumerRoute(connection, ack.consumerId()), frame);
            }
            case CLOSE -> {
                Close c = Close.decode(frame.body());
                if (c.what() != Close.CONSUMER) {
                    return false;
                }
                Routes r = routes.get(connection);
                Upstream up = r == null ? null : r.consumers.remove(c.id());
                if (r != null) {
                    r.subscribes.remove(c.id());
                    r.moves.remove(c.id());
                    r.firstCredits.remove(c.id());
                }
                return relay(connection, up, frame);
            }
            case COMMIT -> {
                return routeCommit(connection, frame);
            }
            case XA_PREPARE, XA_COMMIT, XA_ROLLBACK, XA_RECOVER, XA_FORGET -> {
                return routeXa(connection, frame);
            }
            case UNSUBSCRIBE -> {
                // to the leader of the subscription's topic: the definition is deleted there and replicated
                String name = io.heraldmq.protocol.Unsubscribe.decode(frame.body()).subscriptionName();
                Routes r = routes.get(connection);
                String topic = r == null ? null : r.durableTopics.get(name);
                if (topic == null) {
                    topic = durableTopics.apply(connection.clientId(), name);
                }
                return topic != null && relay(connection, upstreamFor(connection, DestinationKind.TOPIC, topic),
                        frame);
            }
            case SET_CLIENT_ID -> {
                Routes r = routes.get(connection);
                if (r != null) {
                    String id = SetClientId.decode(frame.body()).clientId();
                    r.upstreams.values().forEach(u -> u.clientIdSet(id));
                }
                return false;
            }
            case ADMIN -> {
                io.heraldmq.protocol.Admin admin = io.heraldmq.protocol.Admin.decode(frame.body());
                for (LeaderListing listing : listings) {
                    if (listing.isFullListing(admin)) {
                        return listing.answer(connection, frame.correlationId(), admin,
                                (kind, name) -> upstreamFor(connection, kind, name));
                    }
                }
                Target t = adminTarget(admin);
                DeletionRelay deleting = deletions;
                if (t != null && deleting != null
                        && admin.operation() == io.heraldmq.protocol.AdminOperation.DELETE_TOPIC) {
                    Upstream up = upstreamFor(connection, t.kind(), t.name());
                    if (up != null) {
                        deleting.relay(connection, frame.correlationId(), admin, up, t.kind(), t.name());
                        return true;
                    }
                }
                return t != null && relay(connection, upstreamFor(connection, t.kind(), t.name()), frame);
            }
            default -> {
                return false;
            }
        }
    }

    /**
     * The destination an administrative operation acts on, when its state lives with the destination's leader
     * (consumers, open subscriptions, positions being moved): deleting a destination, moving, deleting or changing a
     * subscription, listing one destination's subscriptions; and its dead-letter settings, which the leader applies
     * to its open subscriptions before it answers (a change made elsewhere reaches it through the cluster's map a
     * moment later, and a message given back meanwhile went by the old limit). Null for the others, which any broker
     * answers from its own copy (listing destinations, cluster operations).
     */
    private Target adminTarget(io.heraldmq.protocol.Admin admin) {
        if (admin.operation() == null) {
            return null;
        }
        Map<String, String> args = admin.arguments();
        return switch (admin.operation()) {
            case DELETE_TOPIC, DEAD_LETTER_SETTINGS -> args.get("name") == null ? null
                    : new Target("queue".equals(args.get("kind"))
                    ? DestinationKind.QUEUE : DestinationKind.TOPIC, args.get("name"));
            case SET_SUBSCRIPTION_RETENTION -> args.get("topic") == null ? null
                    : new Target(DestinationKind.TOPIC, args.get("topic"));
            case LIST_SUBSCRIPTIONS -> {
                String name = args.get("topic");
                if (name == null) {
                    yield null;
                }
                yield new Target(leaders.leaderOf(false, name) != null ? DestinationKind.TOPIC
                        : DestinationKind.QUEUE, name);
            }
            case SEEK_SUBSCRIPTION, DELETE_SUBSCRIPTION -> {
                String id = args.get("id");
                if (id == null) {
                    yield null;
                }
                if (id.startsWith(QUEUE_SUBSCRIPTION_PREFIX)) {
                    yield new Target(DestinationKind.QUEUE, id.substring(QUEUE_SUBSCRIPTION_PREFIX.length()));
                }
                String topic = subscriptionTopics.apply(id);
                yield topic == null ? null : new Target(DestinationKind.TOPIC, topic);
            }
            default -> null;
        };
    }

    /** How a queue's subscription id starts (see {@code SubscriptionRegistry.queueId}). */
    private static final String QUEUE_SUBSCRIPTION_PREFIX = "queue:";

    private boolean routeCommit(ClientConnection connection, Frame frame) {
        Commit commit = Commit.decode(frame.body());
        Parts parts = split(connection, commit);
        if (parts == null) {
            connection.replyError(frame.correlationId(), ErrorCode.TRANSACTION_ROLLED_BACK, MOVED);
            return true;
        }
        if (parts.leaders().size() <= 1) {
            // one leader: relayed whole (or handled here, when it is this broker)
            return relay(connection, parts.leaders().isEmpty() ? null : parts.leaders().iterator().next(), frame);
        }
        if (spanning == null) {
            return refuseSpanning(connection, frame);
        }
        spanning.commit(connection, frame.correlationId(), commit, parts.local(), parts.remote());
        return true;
    }

    /** A transaction's parts by leader: this broker's (or null) and each upstream's, in the commit's order. */
    private record Parts(java.util.Set<Upstream> leaders, Commit local, Map<Upstream, Commit> remote) {
    }

    /** Splits {@code commit} by leader; null when it names a delivery of an earlier move (refused). */
    private Parts split(ClientConnection connection, Commit commit) {
        for (Commit.Consumed c : commit.consumed()) {
            if (staleMove(connection, c.consumerId(), c.move())) {
                return null;
            }
        }
        Map<Upstream, List<Commit.Send>> sends = new java.util.LinkedHashMap<>();
        Map<Upstream, List<Commit.Consumed>> consumed = new java.util.LinkedHashMap<>();
        for (Commit.Send s : commit.sends()) {
            sends.computeIfAbsent(upstreamFor(connection, s.kind(), s.destination()), u -> new ArrayList<>()).add(s);
        }
        for (Commit.Consumed c : commit.consumed()) {
            consumed.computeIfAbsent(consumerRoute(connection, c.consumerId()), u -> new ArrayList<>()).add(c);
        }
        java.util.Set<Upstream> leadersOf = new java.util.LinkedHashSet<>(sends.keySet());
        leadersOf.addAll(consumed.keySet());
        Commit localPart = null;
        Map<Upstream, Commit> remote = new java.util.LinkedHashMap<>();
        for (Upstream up : leadersOf) {
            Commit part = new Commit(commit.producerId(), commit.sequence(), sends.getOrDefault(up, List.of()),
                    consumed.getOrDefault(up, List.of()));
            if (up == null) {
                localPart = part;
            } else {
                remote.put(up, part);
            }
        }
        return new Parts(leadersOf, localPart, remote);
    }

    /**
     * XA on a clustered broker ({@link XaCoordinator}): prepare, two-phase commit, rollback and recover through the
     * decision log; a one-phase commit is a COMMIT; forget knows no branch (no heuristic outcomes in a cluster).
     */
    private boolean routeXa(ClientConnection connection, Frame frame) {
        XaCoordinator c = xa;
        if (c == null || connection.isRelay()) {
            return false; // refused by the local handler
        }
        int correlationId = frame.correlationId();
        switch (frame.type()) {
            case XA_PREPARE -> {
                io.heraldmq.protocol.XaPrepare prepare = io.heraldmq.protocol.XaPrepare.decode(frame.body());
                Parts parts = split(connection, prepare.work());
                if (parts == null) {
                    connection.replyError(correlationId, ErrorCode.TRANSACTION_ROLLED_BACK, MOVED);
                    return true;
                }
                Commit local = parts.local();
                if (local == null && parts.remote().isEmpty()) {
                    local = prepare.work(); // nothing in it: prepared here, recorded all the same
                }
                c.prepare(connection, correlationId, prepare.xid(), prepare.work(), local, parts.remote());
                return true;
            }
            case XA_COMMIT -> {
                io.heraldmq.protocol.XaCommit commit = io.heraldmq.protocol.XaCommit.decode(frame.body());
                if (!commit.onePhase()) {
                    c.finish(connection, correlationId, commit.xid(), true);
                    return true;
                }
                // one phase: a plain commit of the work it carries
                Frame asCommit = frame(commit.work().encode(correlationId));
                if (!route(connection, asCommit)) {
                    connection.handleLocally(asCommit);
                }
                return true;
            }
            case XA_ROLLBACK -> {
                c.finish(connection, correlationId, io.heraldmq.protocol.XaRollback.decode(frame.body()).xid(), false);
                return true;
            }
            case XA_RECOVER -> {
                c.recover(connection, correlationId);
                return true;
            }
            case XA_FORGET -> {
                connection.replyError(correlationId, ErrorCode.XA_UNKNOWN_XID, "a clustered broker keeps no"
                        + " heuristically completed XA branches");
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private static boolean refuseSpanning(ClientConnection connection, Frame frame) {
        connection.replyError(frame.correlationId(), ErrorCode.TRANSACTION_ROLLED_BACK, "this transaction uses"
                + " destinations led by different brokers; such transactions are not supported yet");
        return true;
    }

    /** The client says "the transaction was rolled back: " before it. */
    private static final String MOVED = "a destination it consumed from got a new leader while it was open; the"
            + " messages it received come again";

    /**
     * Whether a client's ACK or COMMIT names a delivery of a consumer from before this broker last moved it. Moves
     * are counted by the broker the client is connected to: a leader ignores them on the relays that pass them on.
     */
    private boolean staleMove(ClientConnection connection, int consumerId, int move) {
        if (connection.isRelay()) {
            return false;
        }
        Routes r = routes.get(connection);
        return move != (r == null ? 0 : r.moves.getOrDefault(consumerId, 0));
    }

    private Upstream consumerRoute(ClientConnection connection, int consumerId) {
        Routes r = routes.get(connection);
        return r == null ? null : r.consumers.get(consumerId);
    }

    /** The upstream to the destination's leader, made on first use; null when this broker serves it. */
    private Upstream upstreamFor(ClientConnection connection, DestinationKind kind, String destination) {
        String leader = kind.isTemporary() ? ownerOfTemporary(destination)
                : leaders.leaderOf(kind.isQueue(), destination);
        if (leader == null || leader.equals(leaders.localId())) {
            return null;
        }
        SocketAddress address = leaders.clientAddressOf(leader);
        if (address == null) {
            return null;
        }
        Routes r = routes(connection);
        return r.upstreams.computeIfAbsent(leader, id -> new Upstream(net, id, address, connection, relaySecret,
                r.ownIds,
                lost -> connection.context().runOnContext(v -> reroute(connection, lost)), overReplication));
    }

    /**
     * The broker a temporary destination lives on: the one its connection is connected to. Its name is
     * {@code temp-<connection id>-<n>} and a connection id is {@code <broker id>-<n>}, so the broker id is what is
     * left without the prefix and the last two parts. Null when the name is not of that form.
     */
    static String ownerOfTemporary(String name) {
        if (!name.startsWith("temp-")) {
            return null;
        }
        int last = name.lastIndexOf('-');
        int beforeLast = last < 0 ? -1 : name.lastIndexOf('-', last - 1);
        return beforeLast <= 5 ? null : name.substring(5, beforeLast);
    }

    private Routes routes(ClientConnection connection) {
        return routes.computeIfAbsent(connection, c -> new Routes());
    }

    private static boolean relay(ClientConnection connection, Upstream up, Frame frame) {
        if (up == null) {
            return false;
        }
        up.send(raw(frame));
        return true;
    }

    private static Buffer raw(Frame frame) {
        return raw(frame.type(), frame.correlationId(), frame.body());
    }

    private static Buffer raw(FrameType type, int correlationId, Buffer body) {
        return Frame.finish(Frame.start(type, correlationId, body.length()).appendBuffer(body));
    }

    private static Frame frame(Buffer raw) {
        return new Frame(FrameType.of(raw.getByte(4)), raw.getInt(5), raw.slice(Frame.HEADER_BYTES, raw.length()));
    }

    // ------------------------------------------------------------------ leader changes

    /**
     * An upstream was lost: its leader died, or stopped leading and closed the relay's connection. The client does
     * not notice: once the table names other leaders for the destinations involved, the consumers that lived up
     * there subscribe again where they are led now (the new leader resumes at the replicated position and marks
     * what the old one may have delivered as redelivered), and the requests that got no answer go there again:
     * sends (the partition leader recognises a retried idempotent batch), subscriptions. A commit in flight is in
     * doubt and answered so; acknowledgements in flight are answered OK (what they named comes back redelivered).
     * Requests arriving meanwhile wait behind this, in order. Event loop of the client's connection.
     */
    private void reroute(ClientConnection connection, Upstream dead) {
        Routes r = routes.get(connection);
        if (r == null || connection.isClosed()) {
            return;
        }
        r.upstreams.remove(dead.brokerId(), dead);
        List<Integer> moved = new ArrayList<>();
        r.consumers.forEach((id, up) -> {
            if (up == dead) {
                moved.add(id);
            }
        });
        moved.forEach(r.consumers::remove);
        List<Buffer> unanswered = dead.unanswered();
        // The client is told before anything of the new leader reaches it: what it holds of these consumers is void,
        // and from now on it names the new move in its ACKs and COMMITs. A consumer whose SUBSCRIBE was not answered
        // yet has received nothing.
        java.util.Set<Integer> subscribing = subscribing(unanswered);
        for (int id : moved) {
            if (!subscribing.contains(id)) {
                int move = r.moves.merge(id, 1, Integer::sum);
                connection.send(new io.heraldmq.protocol.ConsumerMoved(id, move).encode());
            }
        }
        java.util.Set<String> destinations = new java.util.HashSet<>();
        for (int id : moved) {
            destinations.add(destinationKey(frame(r.subscribes.get(id))));
        }
        for (Buffer b : unanswered) {
            String key = destinationKey(frame(b));
            if (key != null) {
                destinations.add(key);
            }
        }
        destinations.remove(null);
        LOG.info("relay of {} to {} lost; {} consumer(s) and {} request(s) move to the new leader(s) of {}",
                connection.connectionId(), dead.brokerId(), moved.size(), unanswered.size(), destinations);
        Future<Void> ready = awaitNewLeaders(destinations, dead.brokerId(), System.currentTimeMillis());
        Future<Void> before = r.barrier == null ? Future.succeededFuture() : r.barrier;
        r.barrier = before.eventually(() -> ready).eventually(() -> {
            Promise<Void> done = Promise.promise();
            connection.context().runOnContext(v -> {
                replay(connection, r, moved, unanswered);
                done.complete();
            });
            return done.future();
        });
    }

    /** The consumers whose SUBSCRIBE is among {@code unanswered}. */
    private static java.util.Set<Integer> subscribing(List<Buffer> unanswered) {
        java.util.Set<Integer> out = new java.util.HashSet<>();
        for (Buffer b : unanswered) {
            if (b.getByte(4) == FrameType.SUBSCRIBE.code()) {
                out.add(Subscribe.decode(frame(b).body()).consumerId());
            }
        }
        return out;
    }

    private void replay(ClientConnection connection, Routes r, List<Integer> moved, List<Buffer> unanswered) {
        if (connection.isClosed()) {
            return;
        }
        java.util.Set<Integer> resubscribedByClient = subscribing(unanswered);
        for (int id : moved) {
            Buffer subscribe = r.subscribes.get(id);
            if (subscribe == null || resubscribedByClient.contains(id)) {
                continue;
            }
            // Subscribed again with an id of this broker's own: the client already had its answer. With the first
            // credit the consumer had: the client dropped its buffer (CONSUMER_MOVED) and credits only what it takes
            // from now on. Credit in the same frame, since a SUBSCRIBE this broker handles itself (it leads now) may
            // still be opening when a CREDIT behind it is handled.
            Subscribe s = Subscribe.decode(frame(subscribe).body());
            if (!s.kind().isTemporary() && !existsHere.test(s.kind(), s.destination())) {
                // Its destination was deleted (with force, while it consumed): it ends here as on a single node,
                // where the consumer stays open and gets nothing; its CLOSE is answered here.
                r.subscribes.remove(id);
                r.moves.remove(id);
                r.firstCredits.remove(id);
                continue;
            }
            if (leaders.liveLeaderOf(s.kind().isQueue(), s.destination()) == null) {
                // No live leader yet after the wait: handled here, the SUBSCRIBE would be refused (NOT_LEADER) with
                // an id of this broker's own, unseen by the client, and the consumer would be dead without anyone
                // knowing. Closing the connection makes the client fail over and subscribe again itself.
                LOG.warn("no live leader for {} {} after {} ms; closing {} so that its client subscribes again",
                        s.kind(), s.destination(), NEW_LEADER_WAIT_MS, connection.connectionId());
                connection.close();
                return;
            }
            int ownId = r.ownIds.decrementAndGet();
            Buffer again = new Subscribe(s.consumerId(), s.kind(), s.destination(), s.subscriptionName(), s.flags(),
                    s.selector(), r.firstCredits.getOrDefault(id, 0)).encode(ownId);
            dispatchNow(connection, frame(again));
        }
        for (Buffer b : unanswered) {
            Frame f = frame(b);
            switch (f.type()) {
                case PRODUCE, SUBSCRIBE -> dispatchNow(connection, f);
                case COMMIT -> answerLostCommit(connection, f);
                default -> connection.send(io.heraldmq.protocol.Ok.encode(f.correlationId()));
            }
        }
    }

    /**
     * A COMMIT relayed to a leader that was lost before it answered: the decision log tells whether it committed
     * (an undecided one is rolled back for good by asking), so the client gets OK or TRANSACTION_ROLLED_BACK rather
     * than "in doubt".
     */
    private void answerLostCommit(ClientConnection connection, Frame f) {
        io.heraldmq.protocol.Commit commit = io.heraldmq.protocol.Commit.decode(f.body());
        io.heraldmq.server.handler.TxOutcomeHandler.answer(connection, f.correlationId(), decisions,
                new io.heraldmq.server.txlog.TxId(commit.producerId(), commit.sequence()), "the outcome of this commit"
                        + " is unknown: the broker leading its destinations was lost while it committed");
    }

    /** Routes (or handles here) a request now, ignoring the barrier: it is the barrier's own work. */
    private void dispatchNow(ClientConnection connection, Frame frame) {
        try {
            if (!routeNow(connection, frame)) {
                connection.handleLocally(frame);
            }
        } catch (io.heraldmq.protocol.ProtocolException e) {
            connection.fail(e);
        }
    }

    /** Completes once none of {@code destinations} is led by {@code dead} any more, or after a few seconds. */
    private Future<Void> awaitNewLeaders(java.util.Set<String> destinations, String dead, long since) {
        boolean moved = destinations.stream().allMatch(d -> {
            String leader = leaders.liveLeaderOf(d.startsWith("q:"), d.substring(2));
            return leader != null && !leader.equals(dead) || deleted(d);
        });
        if (moved || System.currentTimeMillis() - since > NEW_LEADER_WAIT_MS) {
            return Future.succeededFuture();
        }
        Promise<Void> p = Promise.promise();
        vertx.setTimer(50, t -> awaitNewLeaders(destinations, dead, since).onComplete(p));
        return p.future();
    }

    /** Whether the destination {@code q:name} / {@code t:name} is gone here: deleted (its leader let it go). */
    private boolean deleted(String key) {
        return !existsHere.test(key.startsWith("q:") ? DestinationKind.QUEUE : DestinationKind.TOPIC, key.substring(2));
    }

    /** {@code q:name} / {@code t:name} of a PRODUCE or SUBSCRIBE; null for anything else. */
    private static String destinationKey(Frame f) {
        if (f.type() != FrameType.PRODUCE && f.type() != FrameType.SUBSCRIBE) {
            return null;
        }
        Target t = targets(f).get(0);
        return (t.kind().isQueue() ? "q:" : "t:") + t.name();
    }

    /** The client's connection is gone: so are its upstreams. */
    public void connectionClosed(ClientConnection connection) {
        Routes r = routes.remove(connection);
        if (r != null) {
            r.upstreams.values().forEach(Upstream::close);
        }
    }

    public void close() {
        net.close();
    }

}
