package io.heraldmq.connect.otlp;

import io.heraldmq.connect.CommonOptions;
import io.heraldmq.connect.Connector;
import io.heraldmq.connect.ConnectorSettings;
import io.heraldmq.connect.Counters;
import io.heraldmq.connect.DestinationTemplate;
import io.heraldmq.connect.Option;
import io.heraldmq.connect.publish.Publisher;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import jakarta.jms.ConnectionFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code otlp} source: an OTLP/HTTP logs receiver ({@code POST /v1/logs}, binary protobuf or JSON, optionally
 * gzip) on {@code listen} ({@code tcp://HOST:PORT}, or {@code tls://HOST:PORT} with {@code tls.cert} and
 * {@code tls.key} in PEM; port 0 picks a free one, see {@link #boundAddress()}), with an optional bearer
 * {@code token}. Each log record becomes one message ({@link OtlpRecords}); {@link OtlpHttpHandler} says what each
 * request is answered.
 * <p>
 * One Vert.x event loop takes the requests and two worker threads decode them; the event loop never calls JMS
 * ({@link Publisher} does, on its own thread). At-least-once: a request is answered 200 only after the broker
 * acknowledged all of its records, so a sender that saw no 200 (429, an error, the connector killed) sends again,
 * and nothing answered 200 is lost. The memory bound is the window (plus one request larger than it) and 4 ×
 * {@code max.request.bytes} of bodies being read and decoded.
 * <p>
 * Counters: {@code records_in} counts the log records of admitted requests (a request answered 429 and sent again
 * counts once), {@code dropped} the records the mapping refused; {@code lag} is the publisher's pending records.
 */
public final class OtlpSourceConnector implements Connector {
    private static final System.Logger LOG = System.getLogger(OtlpSourceConnector.class.getName());

    public static final Option<URI> LISTEN = Option.required("listen", OtlpSourceConnector::listenAddress);
    /** The bearer token senders must present ({@code Authorization: Bearer TOKEN}); none by default. */
    public static final Option<String> TOKEN = Option.optional("token", null, Option::text);
    /** The largest request body, as sent and after gzip; larger ones are answered 413. */
    public static final Option<Long> MAX_REQUEST_BYTES = Option.optional("max.request.bytes", 16L * 1024 * 1024,
            Option::bytes);
    /** The server certificate (chain) for {@code tls://}, PEM. */
    public static final Option<String> TLS_CERT = Option.optional("tls.cert", null, Option::text);
    /** Its private key, PEM (PKCS#8, or PKCS#1 RSA). */
    public static final Option<String> TLS_KEY = Option.optional("tls.key", null, Option::text);

    public static final List<Option<?>> OPTIONS = concat(CommonOptions.SOURCE, List.of(LISTEN, TOKEN,
            MAX_REQUEST_BYTES, TLS_CERT, TLS_KEY));

    private final String name;
    private final ConnectorSettings config;
    private final ConnectionFactory connectionFactory;
    private final DestinationTemplate destination;
    private final int maxLineBytes;
    private final int maxRequestBytes;
    private final Counters counters = new Counters();
    private Vertx vertx;
    private HttpServer server;
    private Publisher publisher;
    private String bound;
    private boolean stopped;
    private volatile boolean stopping;

    public OtlpSourceConnector(ConnectorSettings config, ConnectionFactory connectionFactory) {
        this.name = config.name();
        this.config = config;
        this.connectionFactory = connectionFactory;
        try {
            this.destination = DestinationTemplate.parse(config.get(CommonOptions.DESTINATION), OtlpRecords.FIELDS);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(config.key(CommonOptions.DESTINATION) + ": " + e.getMessage());
        }
        long maxLine = config.get(CommonOptions.MAX_LINE_BYTES);
        if (maxLine > 16L * 1024 * 1024) {
            throw new IllegalArgumentException(config.key(CommonOptions.MAX_LINE_BYTES) + ": at most 16m for otlp");
        }
        this.maxLineBytes = (int) maxLine;
        long maxRequest = config.get(MAX_REQUEST_BYTES);
        if (maxRequest > 256L * 1024 * 1024) {
            throw new IllegalArgumentException(config.key(MAX_REQUEST_BYTES) + ": at most 256m");
        }
        this.maxRequestBytes = (int) maxRequest;
        if (config.get(LISTEN).getScheme().equals("tls") && (config.get(TLS_CERT) == null
                || config.get(TLS_KEY) == null)) {
            throw new IllegalArgumentException(config.key(LISTEN) + ": tls:// needs " + config.key(TLS_CERT) + " and "
                    + config.key(TLS_KEY));
        }
    }

    static URI listenAddress(String text) {
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not tcp://HOST:PORT or tls://HOST:PORT: " + text);
        }
        if (u.getScheme() == null || !List.of("tcp", "tls").contains(u.getScheme()) || u.getHost() == null
                || u.getPort() < 0) {
            throw new IllegalArgumentException("not tcp://HOST:PORT or tls://HOST:PORT: " + text);
        }
        return u;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Counters counters() {
        return counters;
    }

    /** Where the source listens, e.g. {@code tcp://127.0.0.1:4318} (the actual port when 0 was asked for). */
    public String boundAddress() {
        return bound;
    }

    @Override
    public synchronized void start() throws Exception {
        publisher = new Publisher(name, connectionFactory, config.get(CommonOptions.WINDOW),
                CommonOptions.transactedBatch(config), counters);
        counters.lag(publisher::pending);
        OtlpRecords records = new OtlpRecords(name, destination, maxLineBytes,
                config.get(CommonOptions.LONG_LINES) == CommonOptions.LongLines.REFUSE);
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(1));
        URI u = config.get(LISTEN);
        HttpServerOptions options = new HttpServerOptions().setHost(u.getHost()).setPort(u.getPort())
                .setHandle100ContinueAutomatically(true)
                .setDecompressionSupported(false); // gzip is inflated by the handler, with a bound
        if (u.getScheme().equals("tls")) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.get(TLS_CERT))
                    .setKeyPath(config.get(TLS_KEY)));
        }
        server = vertx.createHttpServer(options).requestHandler(new OtlpHttpHandler(vertx, name,
                config.get(TOKEN), maxRequestBytes, records, publisher, counters, () -> stopping));
        try {
            await(server.listen());
        } catch (Exception e) {
            stop();
            throw e;
        }
        bound = u.getScheme() + "://" + u.getHost() + ":" + server.actualPort();
        LOG.log(System.Logger.Level.INFO, name + ": OTLP/HTTP logs receiver listening on " + bound
                + OtlpHttpHandler.PATH);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /**
     * Stops: new requests are answered 503, requests admitted are answered as the broker acknowledges them (up to
     * 30 s), then the server and its connections close.
     */
    @Override
    public synchronized void stop() {
        if (stopped || vertx == null) {
            return;
        }
        stopped = true;
        stopping = true;
        try {
            if (!publisher.flush(Duration.ofSeconds(30))) {
                LOG.log(System.Logger.Level.WARNING, name + ": " + publisher.pending()
                        + " log records not acknowledged in 30 s; their senders got no 200 and may send them again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            // the last acknowledgements' answers were queued on the event loop; let them go out before the close
            Promise<Void> answered = Promise.promise();
            vertx.runOnContext(v -> answered.complete());
            await(answered.future());
            if (server != null) {
                await(server.close());
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, name + ": closing the HTTP server", e);
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
