package io.heraldmq.connect.syslog;

import io.heraldmq.connect.CommonOptions;
import io.heraldmq.connect.Connector;
import io.heraldmq.connect.ConnectorSettings;
import io.heraldmq.connect.Counters;
import io.heraldmq.connect.DestinationTemplate;
import io.heraldmq.connect.LineSplitter;
import io.heraldmq.connect.Option;
import io.heraldmq.connect.publish.OutboundRecord;
import io.heraldmq.connect.publish.Publisher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import jakarta.jms.ConnectionFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code syslog} source: listens on {@code listen} (comma-separated {@code tcp://HOST:PORT},
 * {@code udp://HOST:PORT} and {@code tls://HOST:PORT}; port 0 picks a free one, see {@link #boundAddresses()}),
 * parses RFC 5424 and RFC 3164 ({@link SyslogParser}) and publishes each message ({@link SyslogRecords} lists the
 * properties). TCP takes both RFC 6587 framings, detected per connection ({@link SyslogFramer}); TLS (RFC 5425,
 * server certificate {@code tls.cert} and key {@code tls.key} in PEM) the same over TLS; UDP one message per
 * datagram.
 * <p>
 * Vert.x with a single event loop runs all sockets of one source: parsing is cheap next to the broker's work, and one
 * thread keeps the destination cache unshared. The event loop never calls JMS ({@link Publisher} does, on its own
 * thread); a full window pauses TCP sockets and drops UDP datagrams (counted, logged at most every 10 s).
 * <p>
 * Syslog has no acknowledgements, so at-least-once ends at this process: what it accepted and the broker did not
 * yet acknowledge (at most {@code window} records) is lost if the process is killed; a clean stop waits for it.
 */
public final class SyslogSourceConnector implements Connector {
    private static final System.Logger LOG = System.getLogger(SyslogSourceConnector.class.getName());

    public static final Option<List<URI>> LISTEN = Option.required("listen", SyslogSourceConnector::listenAddresses);
    public static final Option<Body> BODY = Option.optional("body", Body.MESSAGE, Option.oneOf(Body.class));
    /** The server certificate (chain) for {@code tls://} listeners, PEM. */
    public static final Option<String> TLS_CERT = Option.optional("tls.cert", null, Option::text);
    /** Its private key, PEM (PKCS#8, or PKCS#1 RSA). */
    public static final Option<String> TLS_KEY = Option.optional("tls.key", null, Option::text);

    private static final long QUIET_MS = 300;

    public static final List<Option<?>> OPTIONS = concat(CommonOptions.SOURCE, List.of(LISTEN, BODY, TLS_CERT,
            TLS_KEY));

    /** What a message's body holds. */
    public enum Body { MESSAGE, RAW }

    private final String name;
    private final ConnectorSettings config;
    private final ConnectionFactory connectionFactory;
    private final DestinationTemplate destination;
    private final int maxBytes;
    private final Counters counters = new Counters();
    private final List<String> bound = new ArrayList<>();
    private final List<NetServer> tcpServers = new ArrayList<>();
    private final List<DatagramSocket> udpSockets = new ArrayList<>();
    private Vertx vertx;
    private Publisher publisher;
    private SyslogRecords records;
    private long lastDropLogNanos;
    private long dropsSinceLog;
    private boolean stopped;
    private volatile boolean stopping;
    /** When a TCP connection last received bytes or retried a paused record. */
    private volatile long lastInputNanos = System.nanoTime();
    /** TCP connections paused for a full window: they hold input back. */
    private final java.util.concurrent.atomic.AtomicInteger pausedConnections =
            new java.util.concurrent.atomic.AtomicInteger();

    public SyslogSourceConnector(ConnectorSettings config, ConnectionFactory connectionFactory) {
        this.name = config.name();
        this.config = config;
        this.connectionFactory = connectionFactory;
        try {
            this.destination = DestinationTemplate.parse(config.get(CommonOptions.DESTINATION), SyslogRecords.FIELDS);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(config.key(CommonOptions.DESTINATION) + ": " + e.getMessage());
        }
        long max = config.get(CommonOptions.MAX_LINE_BYTES);
        if (max > 16L * 1024 * 1024) {
            throw new IllegalArgumentException(config.key(CommonOptions.MAX_LINE_BYTES) + ": at most 16m for syslog");
        }
        this.maxBytes = (int) max;
        boolean tls = config.get(LISTEN).stream().anyMatch(u -> u.getScheme().equals("tls"));
        if (tls && (config.get(TLS_CERT) == null || config.get(TLS_KEY) == null)) {
            throw new IllegalArgumentException(config.key(LISTEN) + ": tls:// needs " + config.key(TLS_CERT) + " and "
                    + config.key(TLS_KEY));
        }
    }

    static List<URI> listenAddresses(String text) {
        List<URI> out = new ArrayList<>();
        for (String part : text.split(",")) {
            URI u;
            try {
                u = new URI(part.trim());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("not tcp://HOST:PORT or udp://HOST:PORT: " + part.trim());
            }
            if (u.getScheme() == null || !List.of("tcp", "udp", "tls").contains(u.getScheme()) || u.getHost() == null
                    || u.getPort() < 0) {
                throw new IllegalArgumentException("not tcp://, udp:// or tls://HOST:PORT: " + part.trim());
            }
            out.add(u);
        }
        return List.copyOf(out);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Counters counters() {
        return counters;
    }

    /** {@code tcp://}, {@code tls://} and {@code udp://HOST:PORT} actually bound, after {@link #start()}. */
    public synchronized List<String> boundAddresses() {
        return List.copyOf(bound);
    }

    @Override
    public synchronized void start() throws Exception {
        publisher = new Publisher(name, connectionFactory, config.get(CommonOptions.WINDOW),
                CommonOptions.transactedBatch(config), counters);
        counters.lag(publisher::pending);
        records = new SyslogRecords(name, new SyslogParser(Clock.systemDefaultZone(), ZoneId.systemDefault()),
                destination, config.get(CommonOptions.LONG_LINES), config.get(BODY) == Body.RAW, counters);
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        try {
            for (URI u : config.get(LISTEN)) {
                if (u.getScheme().equals("udp")) {
                    listenUdp(u);
                } else {
                    listenTcp(u);
                }
            }
        } catch (Exception e) {
            stop();
            throw e;
        }
    }

    private void listenTcp(URI u) throws Exception {
        NetServerOptions options = new NetServerOptions().setHost(u.getHost()).setPort(u.getPort());
        if (u.getScheme().equals("tls")) {
            // RFC 5425: TLS, the server authenticated by its certificate; clients are not asked for one.
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.get(TLS_CERT))
                    .setKeyPath(config.get(TLS_KEY)));
        }
        NetServer server = vertx.createNetServer(options);
        server.connectHandler(socket -> {
            if (stopping) {
                socket.close();
                return;
            }
            new SyslogTcpConnection(socket, vertx.getOrCreateContext(), maxBytes, records, publisher,
                    new SyslogTcpConnection.Activity() {
                        @Override
                        public void touched() {
                            lastInputNanos = System.nanoTime();
                        }

                        @Override
                        public void paused(boolean paused) {
                            pausedConnections.addAndGet(paused ? 1 : -1);
                        }
                    }).start();
        });
        await(server.listen());
        tcpServers.add(server);
        String a = u.getScheme() + "://" + u.getHost() + ":" + server.actualPort();
        bound.add(a);
        LOG.log(System.Logger.Level.INFO, name + ": syslog listening on " + a);
    }

    private void listenUdp(URI u) throws Exception {
        DatagramSocket socket = vertx.createDatagramSocket(new DatagramSocketOptions()
                .setReceiveBufferSize(4 * 1024 * 1024));
        socket.handler(this::datagram);
        await(socket.listen(u.getPort(), u.getHost()));
        udpSockets.add(socket);
        String a = "udp://" + u.getHost() + ":" + socket.localAddress().port();
        bound.add(a);
        LOG.log(System.Logger.Level.INFO, name + ": syslog listening on " + a);
    }

    private void datagram(DatagramPacket packet) {
        byte[] b = packet.data().getBytes();
        int len = b.length;
        while (len > 0 && (b[len - 1] == '\n' || b[len - 1] == '\r' || b[len - 1] == 0)) {
            len--;
        }
        boolean truncated = len > maxBytes;
        int keep = len;
        if (truncated) {
            keep = maxBytes;
            while (keep > 0 && (b[keep] & 0xC0) == 0x80) {
                keep--;
            }
        }
        String peer = String.valueOf(packet.sender());
        OutboundRecord r = records.toRecord(new LineSplitter.Line(new String(b, 0, keep, StandardCharsets.UTF_8),
                b.length, truncated), peer);
        if (r != null && !publisher.offer(r)) {
            counters.dropped.incrementAndGet();
            dropsSinceLog++;
            long now = System.nanoTime();
            if (now - lastDropLogNanos > TimeUnit.SECONDS.toNanos(10)) {
                LOG.log(System.Logger.Level.WARNING, name + ": publisher window full; dropped " + dropsSinceLog
                        + " UDP syslog message(s) since the last report");
                lastDropLogNanos = now;
                dropsSinceLog = 0;
            }
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /**
     * Stops: refuses new TCP connections and closes the UDP sockets, keeps reading open TCP connections until none
     * is paused and they have been quiet for {@value #QUIET_MS} ms (at most 10 s: what their senders already wrote
     * is taken, not cut off), closes them, and waits up to 30 s for the broker to acknowledge what was accepted.
     */
    @Override
    public synchronized void stop() {
        if (stopped || vertx == null) {
            return;
        }
        stopped = true;
        stopping = true;
        for (DatagramSocket s : udpSockets) {
            s.close();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while ((pausedConnections.get() > 0
                    || System.nanoTime() - lastInputNanos < TimeUnit.MILLISECONDS.toNanos(QUIET_MS))
                    && System.nanoTime() < deadline) {
                Thread.sleep(QUIET_MS / 4); // not an event loop: the caller's thread, stopping the process
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (NetServer s : tcpServers) {
            s.close();
        }
        try {
            if (!publisher.flush(Duration.ofSeconds(30))) {
                LOG.log(System.Logger.Level.WARNING, name + ": " + publisher.pending()
                        + " syslog messages not acknowledged in 30 s; they are lost");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.close();
        try {
            await(vertx.close());
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, name + ": closing Vert.x", e);
        }
        LOG.log(System.Logger.Level.INFO, name + ": stopped; " + counters.format());
    }

    private static List<Option<?>> concat(List<Option<?>> a, List<Option<?>> b) {
        List<Option<?>> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
