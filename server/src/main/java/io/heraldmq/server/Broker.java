package io.heraldmq.server;

import io.heraldmq.protocol.AdminOperation;
import io.heraldmq.protocol.AdminResult;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.admin.AdminArgs;
import io.heraldmq.server.admin.AdminCommand;
import io.heraldmq.server.admin.CreateTopicCommand;
import io.heraldmq.server.admin.DeadLetterSettingsCommand;
import io.heraldmq.server.admin.DeleteSubscriptionCommand;
import io.heraldmq.server.admin.DeleteTopicCommand;
import io.heraldmq.server.admin.ListSubscriptionsCommand;
import io.heraldmq.server.admin.ListTopicsCommand;
import io.heraldmq.server.admin.SeekSubscriptionCommand;
import io.heraldmq.server.admin.SetSubscriptionRetentionCommand;
import io.heraldmq.server.admin.TxDecideCommand;
import io.heraldmq.server.admin.TxListCommand;
import io.heraldmq.server.cluster.BrokerIdentity;
import io.heraldmq.server.cluster.ClusterMembership;
import io.heraldmq.server.cluster.ClusterNode;
import io.heraldmq.server.cluster.PartitionTable;
import io.heraldmq.server.cluster.ReplicaStates;
import io.heraldmq.server.handler.AckHandler;
import io.heraldmq.server.handler.AdminHandler;
import io.heraldmq.server.handler.ClientIds;
import io.heraldmq.server.handler.CloseHandler;
import io.heraldmq.server.handler.CommitHandler;
import io.heraldmq.server.handler.ConnectHandler;
import io.heraldmq.server.handler.CreateTempHandler;
import io.heraldmq.server.handler.CreditHandler;
import io.heraldmq.server.handler.DeleteTempHandler;
import io.heraldmq.server.handler.ProduceHandler;
import io.heraldmq.server.handler.SetClientIdHandler;
import io.heraldmq.server.handler.SubscribeHandler;
import io.heraldmq.server.handler.UnsubscribeHandler;
import io.heraldmq.server.handler.XaCommitHandler;
import io.heraldmq.server.handler.XaForgetHandler;
import io.heraldmq.server.handler.XaPrepareHandler;
import io.heraldmq.server.handler.XaRecoverHandler;
import io.heraldmq.server.handler.XaRollbackHandler;
import io.heraldmq.server.log.DiskSpaceMonitor;
import io.heraldmq.server.meta.MetaStore;
import io.heraldmq.server.meta.MetaStoreOptions;
import io.heraldmq.server.metrics.BrokerMetrics;
import io.heraldmq.server.metrics.ConnectionMeters;
import io.heraldmq.server.metrics.MeterMBeans;
import io.heraldmq.server.metrics.MonitoringServer;
import io.heraldmq.server.replication.PartitionReplica;
import io.heraldmq.server.net.ClientListener;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.partition.TopicRegistry;
import io.heraldmq.server.replication.ReplicationNode;
import io.heraldmq.server.handler.AutoCreation;
import io.heraldmq.server.security.AuditLog;
import io.heraldmq.server.security.Authenticator;
import io.heraldmq.server.security.Authorizer;
import io.heraldmq.server.subscription.DeadLetters;
import io.heraldmq.server.subscription.SubscriptionRegistry;
import io.heraldmq.server.subscription.TemporaryDestinations;
import io.heraldmq.server.tx.TransactionLog;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running broker: wires the metadata store, the destinations, the subscriptions, the request handlers and the
 * client listener, and takes them down in the reverse order. With {@code cluster.members} configured it then joins
 * the cluster ({@link ClusterNode}: membership, partition table, destination catalog, coordinator); without it, no
 * cluster class (and so no Hazelcast class) is ever loaded.
 */
public final class Broker {
    private final BrokerConfig config;
    private final Vertx vertx;
    private final ExecutorService flushExecutor;
    private final Clock clock;
    private MetaStore meta;
    private TopicRegistry topics;
    private SubscriptionRegistry subscriptions;
    private DeadLetters deadLetters;
    private ClientListener listener;
    private DiskSpaceMonitor disk;
    private TransactionLog txLog;
    private int port = -1;
    private int tlsPort = -1;
    private io.heraldmq.server.net.ConnectionLimits connectionLimits;
    /** This broker's id: stable across restarts when clustered ({@link BrokerIdentity}), else random per start. */
    private String brokerId;
    /** Null on a single node, and until the cluster is joined. */
    private volatile ClusterNode cluster;
    /** Null on a single node. */
    private volatile ReplicationNode replication;
    /** A clustered broker's prepared parts of transactions spanning brokers; null on a single node. */
    private volatile io.heraldmq.server.handler.TxParts txParts;
    private ConnectHandler connect;
    private TemporaryDestinations temporaries;
    private volatile Map<AdminOperation, AdminCommand> clusterCommands;
    private AuditLog audit = AuditLog.OFF;
    private AutoCreation autoCreation;
    /** Null without {@code security.users.file}. */
    private io.heraldmq.server.security.UsersFile usersFile;
    /** The users and roles in force at start: the configuration's, and the users file's. */
    private io.heraldmq.server.security.UsersFile.Contents users;
    private final BrokerMetrics metrics;
    private MonitoringServer monitoring;
    /** The web console on the monitoring port; null without one. */
    private io.heraldmq.server.console.Console console;
    /** The client port's authentication and authorization, which the console's login uses too. */
    private Authenticator consoleAuth;
    private Authorizer consoleAuthz;
    private int httpPort = -1;
    private ConnectionMeters connectionMeters;
    private MeterMBeans mbeans;
    /** What start-up is doing (for /health/ready); null once the broker serves clients. */
    private volatile String starting = "starting";
    private volatile boolean closing;

    /**
     * TLS 1.2 lets a client ask for renegotiation, a handshake's CPU cost at will (testssl.sh: "Secure
     * Client-Initiated Renegotiation, potential DoS"); the JDK refuses it with this property, read once when its TLS
     * classes load: so set before the first handshake (Main sets it first thing; here for embedded brokers), unless
     * the operator set it.
     */
    static void refuseClientRenegotiation() {
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
    }

    private Broker(BrokerConfig config, Clock clock) {
        if (config.tls().enabled() || config.cluster() != null && config.cluster().tls().enabled()) {
            refuseClientRenegotiation();
        }
        this.config = config;
        this.clock = clock;
        this.metrics = new BrokerMetrics(config.monitoring(), config.port());
        // One event loop per core, not Vert.x's two: partitions and connections spread over fewer threads, so more
        // hand-offs between them stay on one thread (benchmark of issue 7, docs/performance.md).
        this.vertx = Vertx.vertx(metrics.apply(new VertxOptions().setPreferNativeTransport(false)
                .setEventLoopPoolSize(Runtime.getRuntime().availableProcessors())));
        // after Vert.x has configured the registry (its meter filters come before any meter)
        metrics.bind();
        metrics.gauge("ready", "1 once the broker serves clients (as /health/ready), else 0", this,
                b -> b.notReady() == null ? 1 : 0);
        AtomicInteger n = new AtomicInteger();
        // fsync blocks for its whole duration: it gets threads of its own, never an event loop or the shared pool.
        this.flushExecutor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "heraldmq-flush-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts a broker; the future completes when it accepts connections. */
    public static Future<Broker> start(BrokerConfig config) {
        return start(config, Clock.systemUTC());
    }

    /**
     * Starts a broker whose retention checks take the time from {@code clock}: tests move a test clock instead of
     * waiting days.
     */
    public static Future<Broker> start(BrokerConfig config, Clock clock) {
        Broker b = new Broker(config, clock);
        // A promise with no context: a failed start closes Vert.x, and a future tied to one of its event loops could
        // then never report the failure.
        Promise<Broker> started = Promise.promise();
        b.startUp().onComplete(ar -> {
            if (ar.succeeded()) {
                b.consoleReady();
                started.complete(b);
            } else {
                b.close().onComplete(closed -> started.fail(ar.cause()));
            }
        });
        return started.future();
    }

    private Future<Void> startUp() {
        Map<FrameType, RequestHandler> handlers = new EnumMap<>(FrameType.class);
        return vertx.executeBlocking(() -> {
            java.nio.file.Files.createDirectories(config.dataDir());
            // A zero-configuration broker (no users, no audit file) keeps its log free of audit lines.
            boolean secured = !config.users().isEmpty() || config.security().usersFile() != null;
            audit = secured || config.security().auditFile() != null ? AuditLog.open(config.security())
                    : AuditLog.OFF;
            if (config.security().usersFile() != null) {
                usersFile = new io.heraldmq.server.security.UsersFile(config.security().usersFile(), config.users(),
                        config.security().roles());
                users = usersFile.read();
            } else {
                users = new io.heraldmq.server.security.UsersFile.Contents(config.users(), config.security().roles());
            }
            brokerId = config.cluster() == null ? UUID.randomUUID().toString().substring(0, 8)
                    : BrokerIdentity.load(config.dataDir(), config.cluster().brokerId());
            io.heraldmq.server.logging.BrokerLogging.brokerId(brokerId);
            // on a worker: registering an MBean per meter is slow while the JVM is cold
            if (metrics.enabled() && config.monitoring().jmxEnabled()) {
                mbeans = MeterMBeans.expose(metrics.registry(), brokerId);
            }
            return null;
        }).compose(v -> startMonitoring()).compose(v -> {
            disk = new DiskSpaceMonitor(vertx, config.dataDir(), config.diskMinFreeBytes());
            return disk.start();
        }).compose(v -> {
            starting = "loading the metadata store";
            return MetaStore.open(vertx, config.dataDir(), MetaStoreOptions.defaults());
        }).compose(m -> {
            meta = m;
            if (metrics.enabled()) {
                meta.observeCommits(nanos -> metrics.metaCommitLatency().record(nanos,
                        java.util.concurrent.TimeUnit.NANOSECONDS));
            }
            // Partitions ask the subscription registry for closed subscriptions' holds only at retention checks,
            // which begin once the partitions run; the registry exists before topics.load() opens any.
            topics = new TopicRegistry(vertx, config, meta, flushExecutor, clock,
                    (kind, name, partition) -> subscriptions.closedHolds(kind, name, partition), metrics);
            autoCreation = new AutoCreation(topics, audit);
            deadLetters = new DeadLetters(topics, meta, config.redelivery());
            subscriptions = new SubscriptionRegistry(meta, deadLetters, config.subscriptionRetentionMs());
            // The handlers are filled in once everything is loaded; a clustered broker binds its port before that
            // and holds connections until then.
            connectionLimits = new io.heraldmq.server.net.ConnectionLimits(config.limits());
            listener = new ClientListener(vertx, handlers, config.maxFrameBytes(), config.limits(), connectionLimits,
                    closed -> {
                connect.disconnected(closed);
                temporaries.connectionClosed(closed.connectionId());
                if (replication != null) {
                    replication.router().connectionClosed(closed);
                }
                io.heraldmq.server.handler.TxParts parts = txParts;
                if (parts != null) {
                    parts.connectionClosed(closed);
                }
            });
            if (metrics.enabled()) {
                connectionMeters = new ConnectionMeters(vertx, metrics.registry(), listener::connections);
            }
            if (config.cluster() == null) {
                return Future.succeededFuture();
            }
            starting = "joining the cluster";
            return joinCluster();
        }).compose(v -> {
            starting = "recovering the logs";
            // Definitions and stored positions first: a retention check must not run before it knows them. Then
            // transactions a crash left half applied are finished, and the positions they settled are read again
            // (until then the holds are lower, which only keeps more).
            return subscriptions.load().compose(x -> topics.load())
                    .compose(x -> TransactionLog.open(vertx, config.dataDir(), TransactionLog.DEFAULT_ROLL_BYTES,
                            topics, meta, subscriptions))
                    .compose(t -> {
                        txLog = t;
                        return subscriptions.loadPositions();
                    });
        }).compose(v -> {
            ClientIds clientIds = new ClientIds();
            temporaries = new TemporaryDestinations(topics, subscriptions);
            Authenticator authenticator = new Authenticator(users.users(), config.allowAnonymous(),
                    usersFile != null);
            Authorizer authorizer = new Authorizer(users.users().keySet(), config.security(), audit);
            authorizer.roles(users.roles());
            if (usersFile != null) {
                usersFile.watch(vertx, changed -> {
                    authenticator.users(changed.users());
                    authorizer.roles(changed.roles());
                });
            }
            connect = new ConnectHandler(brokerId, config.maxMessageBytes(), clientIds, authenticator, authorizer,
                    config.cluster() == null ? null : config.cluster().secret(), config.security().populateUserId(),
                    connectionLimits, new io.heraldmq.server.security.LoginBackoff(
                            io.heraldmq.server.net.LimitSettings.AUTH_BACKOFF_FIRST_MS,
                            config.limits().authBackoffMaxMs()));
            handlers.put(FrameType.CONNECT, connect);
            consoleAuth = authenticator;
            consoleAuthz = authorizer;
            handlers.put(FrameType.PRODUCE, new ProduceHandler(autoCreation, config.maxMessageBytes(), disk,
                    metrics.enabled() ? metrics.produceLatency() : null));
            handlers.put(FrameType.SUBSCRIBE, new SubscribeHandler(autoCreation, subscriptions, temporaries));
            handlers.put(FrameType.CREDIT, new CreditHandler());
            handlers.put(FrameType.ACK, new AckHandler());
            CommitHandler commits = new CommitHandler(autoCreation, config.maxMessageBytes(), disk, txLog,
                    replication == null ? null : replication.transactions().client(), brokerId);
            boolean clustered = config.cluster() != null;
            handlers.put(FrameType.COMMIT, commits);
            if (replication != null) {
                txParts = new io.heraldmq.server.handler.TxParts(vertx, commits,
                        replication.transactions().client(), brokerId);
                handlers.put(FrameType.TX_PREPARE, new io.heraldmq.server.handler.TxPrepareHandler(txParts));
                handlers.put(FrameType.TX_FINISH, new io.heraldmq.server.handler.TxFinishHandler(txParts));
                replication.router().coordinateWith(txParts);
                io.heraldmq.server.handler.XaPartFinisher xaFinisher = new io.heraldmq.server.handler.XaPartFinisher(
                        txParts, key -> replication.replicas().find(key));
                replication.transactions().finishXaPartsWith(xaFinisher::finish);
            }
            handlers.put(FrameType.TX_OUTCOME, new io.heraldmq.server.handler.TxOutcomeHandler(
                    replication == null ? null : replication.transactions().client()));
            handlers.put(FrameType.XA_PREPARE, new XaPrepareHandler(commits, txLog.xa(), clustered));
            handlers.put(FrameType.XA_COMMIT, new XaCommitHandler(commits, txLog.xa(), clustered));
            handlers.put(FrameType.XA_ROLLBACK, new XaRollbackHandler(txLog.xa(), clustered));
            handlers.put(FrameType.XA_RECOVER, new XaRecoverHandler(txLog.xa()));
            handlers.put(FrameType.XA_FORGET, new XaForgetHandler(txLog.xa()));
            handlers.put(FrameType.CLOSE, new CloseHandler(clientIds));
            handlers.put(FrameType.SET_CLIENT_ID, new SetClientIdHandler(clientIds));
            handlers.put(FrameType.CREATE_TEMP, new CreateTempHandler(temporaries));
            handlers.put(FrameType.OPEN_PRODUCER, new io.heraldmq.server.handler.OpenProducerHandler());
            handlers.put(FrameType.CLOSE_PRODUCER, new io.heraldmq.server.handler.CloseProducerHandler());
            handlers.put(FrameType.OPEN_SESSION, new io.heraldmq.server.handler.OpenSessionHandler());
            handlers.put(FrameType.CLOSE_SESSION, new io.heraldmq.server.handler.CloseSessionHandler());
            handlers.put(FrameType.DELETE_TEMP, new DeleteTempHandler(temporaries));
            handlers.put(FrameType.UNSUBSCRIBE, new UnsubscribeHandler(subscriptions));
            Map<AdminOperation, AdminCommand> commands = adminCommands();
            if (replication != null) {
                replication.router().answerAdminWith(commands.get(AdminOperation.LIST_TOPICS),
                        commands.get(AdminOperation.LIST_SUBSCRIPTIONS),
                        (kind, name) -> topics.find(kind, name) != null || topics.isDeleting(kind, name));
            }
            handlers.put(FrameType.ADMIN, new AdminHandler(commands, audit, id -> {
                io.heraldmq.server.meta.SubscriptionRecord r = subscriptions.definition(id);
                return r == null ? null : r.topic();
            }));
            if (config.cluster() == null) {
                return listenClients().map(x -> {
                    starting = null;
                    return null;
                });
            }
            return cluster.serve(topics, subscriptions, deadLetters)
                    .compose(x -> io.heraldmq.server.txlog.ClusterTransactions.createTopic(topics))
                    .compose(x -> io.heraldmq.server.cluster.ClusterClientIds.start(cluster.membership()))
                    .compose(ids -> io.heraldmq.server.cluster.ClusterDurableNames.start(cluster.membership())
                            .map(names -> {
                                subscriptions.checkNamesInCluster(names);
                                return ids;
                            }))
                    .map(ids -> {
                        clientIds.claimInCluster(ids);
                        clusterCommands = cluster.adminCommands();
                        listener.ready();
                        starting = null;
                        return null;
                    });
        });
    }

    /**
     * Binds the client and replication ports (both are advertised), joins the cluster and makes every destination
     * opened from then on replicated; client connections wait until the broker is ready.
     */
    private Future<Void> joinCluster() {
        String host = config.host();
        String clientHost = host.equals("0.0.0.0") || host.equals("::") ? config.cluster().host() : host;
        listener.holdUntilReady();
        return listenClients().compose(p -> {
            return ReplicationNode.bind(vertx, brokerId, config.cluster().host(), config.cluster().replicationPort(),
                    config.cluster().tls());
        }).compose(r -> {
            replication = r;
            r.acceptRelays(listener::accept);
            // advertised for cluster status; relays use it only without cluster TLS, which needs the plain port
            return ClusterNode.join(vertx, config.cluster(), brokerId, clientHost, port >= 0 ? port : tlsPort,
                    r.port());
        }).compose(node -> {
            cluster = node;
            return replication.start(node.membership(), node.partitionTable(), node.replicaStates(), topics,
                    subscriptions, this::leadershipLost, autoCreation, config.cluster().secret());
        }).map(v -> {
            io.heraldmq.server.metrics.ClusterMeters.register(metrics, replication.replicas());
            topics.replicateWith(replication.replicas()::attach);
            listener.routeWith(replication.router()::route);
            return null;
        });
    }

    /** Opens the plain client port (unless {@code plain.enabled = false}) and the TLS one (if {@code tls.port}). */
    private Future<Void> listenClients() {
        Future<Void> plain = !config.tls().plainEnabled() ? Future.succeededFuture()
                : listener.listen(config.host(), config.port()).map(p -> {
                    port = p;
                    return null;
                });
        return plain.compose(v -> !config.tls().enabled() ? Future.succeededFuture()
                : listener.listenTls(config.host(), config.tls()).map(p -> {
                    tlsPort = p;
                    return null;
                }));
    }

    /**
     * The HTTP monitoring port (unless {@code http.port = -1}) and the MBeans (unless {@code jmx.enabled = false}),
     * before anything is recovered, so that {@code /health/ready} answers 503 while the broker starts.
     */
    private Future<Void> startMonitoring() {
        int wanted = config.monitoring().effectiveHttpPort(config.port());
        if (wanted == io.heraldmq.server.metrics.MonitoringSettings.DISABLED) {
            return Future.succeededFuture();
        }
        monitoring = new MonitoringServer(vertx, metrics, this::notReady, () -> {
            ConnectionMeters c = connectionMeters;
            if (c != null) {
                c.refresh();
            }
        });
        if (config.monitoring().consoleEnabled()) {
            console = new io.heraldmq.server.console.Console(vertx);
        }
        return monitoring.listen(config.monitoring().httpHost(), wanted, router -> {
            if (console != null) {
                console.mount(router);
            }
        }).map(p -> {
            httpPort = p;
            return null;
        });
    }

    /**
     * Null when the broker serves clients; else why not: still starting (logs and metadata being recovered, the
     * cluster being joined), stopping, or, clustered, a local replica neither leading nor following (an election
     * under way). Any thread; reads volatile state only.
     */
    public String notReady() {
        if (closing) {
            return "stopping";
        }
        String phase = starting;
        if (phase != null) {
            return phase;
        }
        ReplicationNode r = replication;
        if (r != null) {
            for (PartitionReplica p : r.replicas().all()) {
                PartitionReplica.Role role = p.role();
                if (role != PartitionReplica.Role.LEADER && role != PartitionReplica.Role.FOLLOWER) {
                    return "partition " + p.key() + " has no leader here yet (" + role + ")";
                }
            }
        }
        return null;
    }

    /**
     * The console administers through this broker's own client port, as the CLI does: the plain one (on the
     * loopback address when it listens on every address), else the TLS one trusting this broker's certificate.
     */
    private void consoleReady() {
        if (console == null) {
            return;
        }
        String adminUrl = io.heraldmq.server.console.AdminUrl.of(config.host(), port, tlsPort, config.tls());
        console.ready(consoleAuth, consoleAuthz, adminUrl, this::connectionCount, metrics.registry(),
                config.dataDir());
    }

    /** The monitoring port taken (for {@code http.port = 0}), or -1 without one. */
    public int httpPort() {
        return httpPort;
    }

    /** {@code http://HOST:PORT} of the monitoring port, or null without one. */
    public String httpUrl() {
        return httpPort < 0 ? null : "http://" + config.monitoring().httpHost() + ":" + httpPort;
    }

    /** This broker's meters. */
    public BrokerMetrics metrics() {
        return metrics;
    }

    /**
     * This broker stopped leading a partition of {@code topic}: its subscriptions here close, and so do the
     * connections consuming it (clients and other brokers' relays subscribe again where it is led now).
     */
    private void leadershipLost(io.heraldmq.server.partition.Topic topic) {
        subscriptions.closeOpen(topic);
        listener.closeConsumersOf(topic);
    }

    private Map<AdminOperation, AdminCommand> adminCommands() {
        Map<AdminOperation, AdminCommand> commands = new EnumMap<>(AdminOperation.class);
        commands.put(AdminOperation.CREATE_TOPIC, new CreateTopicCommand(topics, config.defaultPartitions()));
        commands.put(AdminOperation.DELETE_TOPIC, new DeleteTopicCommand(topics, subscriptions, deadLetters));
        java.util.function.BiPredicate<io.heraldmq.protocol.DestinationKind, String> ledElsewhere = (kind, name) -> {
            ReplicationNode r = replication;
            String leader = r == null ? null : r.leaders().liveLeaderOf(kind.isQueue(), name);
            return leader != null && !leader.equals(r.leaders().localId());
        };
        commands.put(AdminOperation.LIST_TOPICS, new ListTopicsCommand(topics, config.retentionMs(),
                config.retentionBytes(), ledElsewhere));
        commands.put(AdminOperation.LIST_SUBSCRIPTIONS, new ListSubscriptionsCommand(topics, subscriptions, meta,
                ledElsewhere));
        commands.put(AdminOperation.SEEK_SUBSCRIPTION, new SeekSubscriptionCommand(topics, subscriptions));
        commands.put(AdminOperation.DELETE_SUBSCRIPTION, new DeleteSubscriptionCommand(subscriptions));
        commands.put(AdminOperation.DEAD_LETTER_SETTINGS, new DeadLetterSettingsCommand(topics, deadLetters));
        commands.put(AdminOperation.SET_SUBSCRIPTION_RETENTION,
                new SetSubscriptionRetentionCommand(topics, subscriptions));
        commands.put(AdminOperation.TX_LIST, new TxListCommand(txLog.xa()));
        commands.put(AdminOperation.TX_COMMIT, new TxDecideCommand(txLog.xa(), true));
        commands.put(AdminOperation.TX_ROLLBACK, new TxDecideCommand(txLog.xa(), false));
        for (AdminOperation op : List.of(AdminOperation.CLUSTER_STATUS, AdminOperation.CLUSTER_DRAIN,
                AdminOperation.CLUSTER_REBALANCE)) {
            commands.put(op, args -> clusterCommand(op, args));
        }
        return commands;
    }

    /**
     * A CLUSTER_ operation: the cluster's command once joined. The handlers are built before the cluster is joined
     * (the client port must be known first), hence the indirection.
     */
    private Future<AdminResult> clusterCommand(AdminOperation op, AdminArgs args) {
        if (config.cluster() == null) {
            return Future.failedFuture(new ProtocolException(ErrorCode.ILLEGAL_STATE, "not clustered: this broker"
                    + " runs as a single node (no cluster.members in its configuration)"));
        }
        Map<AdminOperation, AdminCommand> commands = clusterCommands;
        if (commands == null) {
            return Future.failedFuture(new ProtocolException(ErrorCode.ILLEGAL_STATE, "this broker has not joined"
                    + " its cluster yet"));
        }
        return commands.get(op).run(args);
    }

    /** The plain client port; -1 with {@code plain.enabled = false}. */
    public int port() {
        return port;
    }

    /** The TLS client port; -1 without {@code tls.port}. */
    public int tlsPort() {
        return tlsPort;
    }

    /** The plain port's URL, or the TLS port's ({@code ssl://}) when the plain port is closed. */
    public String url() {
        return port >= 0 ? "tcp://" + config.host() + ":" + port : "ssl://" + config.host() + ":" + tlsPort;
    }

    /** Client connections open now, plain and TLS. */
    public int connectionCount() {
        return listener.connectionCount();
    }

    public BrokerConfig config() {
        return config;
    }

    /** This broker's id; with clustering, its identity as a replica (kept in {@code <data.dir>/broker-id}). */
    public String brokerId() {
        return brokerId;
    }

    /** The cluster membership; null on a single node. */
    public ClusterMembership membership() {
        ClusterNode c = cluster;
        return c == null ? null : c.membership();
    }

    /** The cluster's partition table, for the replication layer; null on a single node. */
    public PartitionTable partitionTable() {
        ClusterNode c = cluster;
        return c == null ? null : c.partitionTable();
    }

    /** Where brokers publish their replicas' positions; null on a single node. */
    public ReplicaStates replicaStates() {
        ClusterNode c = cluster;
        return c == null ? null : c.replicaStates();
    }

    /** The XA branches this broker holds. */
    public io.heraldmq.server.tx.XaTransactions transactions() {
        return txLog.xa();
    }

    /** Redelivery and dead-letter settings by destination, for administration. */
    public DeadLetters deadLetters() {
        return deadLetters;
    }

    /** Stops accepting, closes connections, flushes and closes every log and the metadata store. */
    public Future<Void> close() {
        // A promise with no context: its listeners run on whichever thread completes it, since no Vert.x thread is
        // left once Vert.x itself has closed.
        Promise<Void> closed = Promise.promise();
        closing = true;
        if (connectionMeters != null) {
            connectionMeters.close();
        }
        if (disk != null) {
            disk.close();
        }
        if (usersFile != null) {
            usersFile.close(vertx);
        }
        // The cluster first: the others see this broker leave at once, and no catalog event arrives while the
        // destinations close.
        ClusterNode c = cluster;
        Future<Void> left = c == null ? Future.succeededFuture() : c.close();
        Future<Void> f = left.transform(v -> listener == null ? Future.succeededFuture() : listener.close())
                .transform(v -> replication == null ? Future.succeededFuture() : replication.close());
        f.transform(v -> subscriptions == null ? Future.succeededFuture() : subscriptions.close())
                .transform(v -> txLog == null ? Future.succeededFuture() : txLog.close())
                .transform(v -> topics == null ? Future.succeededFuture() : topics.close())
                .transform(v -> meta == null ? Future.succeededFuture() : meta.close())
                .transform(v -> console == null ? Future.succeededFuture() : console.close())
                .transform(v -> monitoring == null ? Future.succeededFuture() : monitoring.close())
                .onComplete(ar -> {
                    audit.close();
                    if (mbeans != null) {
                        mbeans.close();
                    }
                    metrics.close();
                    flushExecutor.shutdown();
                    // Called from an event loop, vertx.close() would complete on that loop after it stopped.
                    new Thread(() -> vertx.close().onComplete(v -> closed.complete()), "heraldmq-close").start();
                });
        return closed.future();
    }
}
