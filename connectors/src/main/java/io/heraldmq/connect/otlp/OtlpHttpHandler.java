package io.heraldmq.connect.otlp;

import io.heraldmq.connect.Counters;
import io.heraldmq.connect.publish.Publisher;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;

/**
 * Answers OTLP/HTTP log exports ({@code POST /v1/logs}) on the source's event loop; decompressing, decoding and
 * mapping a request run on a worker thread, so a large request never holds the event loop.
 * <p>
 * <b>Answers.</b> 200 with an {@code ExportLogsServiceResponse} only once the broker acknowledged every record of the
 * request (the last record's callback: the publisher acknowledges in order), so a 200 means the records are safe;
 * records refused by the mapping ({@link OtlpRecords}) are counted in its {@code partial_success}. A request is
 * admitted whole or not at all ({@link Publisher#offerAll}): when the window has no room for it the answer is 429
 * with {@code Retry-After}, OTLP's throttling answer, and nothing of it is published, so the sender's retry of the
 * whole request publishes no duplicates. Malformed protobuf, JSON or gzip is 400, a body over
 * {@code max.request.bytes} (as sent, or inflated) 413, a wrong bearer token 401, another Content-Type or
 * Content-Encoding 415, any other path 404, method 405, a stopping source 503; each with a {@code google.rpc.Status}
 * ({@link OtlpEncoding}) and a log line naming the sender, and none publishes anything.
 * <p>
 * A request waits for the broker as long as it takes; a sender that gives up first and sends again causes
 * duplicates (at-least-once), at most what it had sent.
 * <p>
 * <b>Memory.</b> Bodies being received or decoded hold at most {@value #BUFFERED_REQUESTS} ×
 * {@code max.request.bytes} together (a body is read whole before it is decoded, and counted until then); a request
 * whose next bytes would pass that is answered 429 as well. Once decoded, its records are the window's to bound.
 */
final class OtlpHttpHandler implements Handler<HttpServerRequest> {
    static final String PATH = "/v1/logs";
    private static final System.Logger LOG = System.getLogger(OtlpHttpHandler.class.getName());
    private static final String RETRY_AFTER_SECONDS = "1";
    /** Bodies held at once, in units of {@code max.request.bytes}; past that requests are answered 429. */
    static final int BUFFERED_REQUESTS = 4;

    private final Vertx vertx;
    private final String connectorName;
    /** The expected {@code Authorization} value after {@code Bearer }, UTF-8; null when none is required. */
    private final byte[] token;
    private final int maxRequestBytes;
    private final OtlpRecords records;
    private final Publisher publisher;
    private final Counters counters;
    private final BooleanSupplier stopping;
    /** The most body bytes held at once, over all requests being received or decoded. */
    private final long maxBufferedBytes;
    // Event loop only.
    private long bufferedBytes;
    private long lastThrottleLogNanos;
    private long throttledSinceLog;

    OtlpHttpHandler(Vertx vertx, String connectorName, String token, int maxRequestBytes, OtlpRecords records,
                    Publisher publisher, Counters counters, BooleanSupplier stopping) {
        this.vertx = vertx;
        this.connectorName = connectorName;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.maxRequestBytes = maxRequestBytes;
        this.records = records;
        this.publisher = publisher;
        this.counters = counters;
        this.stopping = stopping;
        this.maxBufferedBytes = BUFFERED_REQUESTS * (long) maxRequestBytes;
    }

    @Override
    public void handle(HttpServerRequest req) {
        Exchange x = new Exchange(req, OtlpEncoding.of(req.getHeader(HttpHeaders.CONTENT_TYPE)));
        // Set before any check: a request refused early still has its body read (and dropped), so the answer is
        // not lost to a reset of a connection with unread bytes, and the connection can serve the next request.
        req.handler(chunk -> received(x, chunk));
        req.endHandler(v -> {
            if (!x.answered && x.body != null) {
                decode(x);
            }
        });
        req.exceptionHandler(e -> {
            release(x);
            LOG.log(System.Logger.Level.DEBUG, connectorName + ": request from " + x.peer + " failed: " + e);
        });
        req.response().closeHandler(v -> release(x));
        try {
            x.gzip = check(req, x.encoding);
        } catch (OtlpHttpException e) {
            refuse(x, e);
            return;
        }
        long length = contentLength(req);
        x.body = Buffer.buffer(length < 0 ? 64 * 1024 : (int) Math.min(length, 64 * 1024));
    }

    private void received(Exchange x, Buffer chunk) {
        if (x.answered) {
            return;
        }
        if (x.held + chunk.length() > maxRequestBytes) {
            refuse(x, tooLarge());
            return;
        }
        if (bufferedBytes + chunk.length() > maxBufferedBytes) {
            throttled(x, "bodies of " + bufferedBytes + " bytes are being received and decoded already");
            return;
        }
        x.held += chunk.length();
        bufferedBytes += chunk.length();
        x.body.appendBuffer(chunk);
    }

    /** Forgets the request's body in the count of bytes held (idempotent). */
    private void release(Exchange x) {
        bufferedBytes -= x.held;
        x.held = 0;
        x.body = null;
    }

    /** Checks what the headers say; returns whether the body is gzip. */
    private boolean check(HttpServerRequest req, OtlpEncoding encoding) throws OtlpHttpException {
        if (stopping.getAsBoolean()) {
            throw new OtlpHttpException(503, "the source is stopping");
        }
        if (!PATH.equals(req.path())) {
            throw new OtlpHttpException(404, "no such path " + req.path() + "; OTLP logs go to " + PATH);
        }
        if (req.method() != HttpMethod.POST) {
            throw new OtlpHttpException(405, "method " + req.method() + " not allowed; OTLP exports are POSTed");
        }
        if (token != null && !authorized(req.getHeader(HttpHeaders.AUTHORIZATION))) {
            throw new OtlpHttpException(401, "missing or wrong bearer token");
        }
        if (encoding == null) {
            throw new OtlpHttpException(415, "Content-Type " + req.getHeader(HttpHeaders.CONTENT_TYPE)
                    + " not supported; application/x-protobuf or application/json");
        }
        String contentEncoding = req.getHeader(HttpHeaders.CONTENT_ENCODING);
        boolean gzip = contentEncoding != null && contentEncoding.trim().equalsIgnoreCase("gzip");
        if (contentEncoding != null && !gzip && !contentEncoding.trim().equalsIgnoreCase("identity")) {
            throw new OtlpHttpException(415, "Content-Encoding " + contentEncoding + " not supported; gzip or none");
        }
        if (contentLength(req) > maxRequestBytes) {
            throw tooLarge();
        }
        return gzip;
    }

    /** The Content-Length, or -1 when there is none (chunked) or it is not a number. */
    private static long contentLength(HttpServerRequest req) {
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // constant time, so the answer's timing tells nothing about how much of a guess was right
        return MessageDigest.isEqual(token, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    private OtlpHttpException tooLarge() {
        return new OtlpHttpException(413, "request body larger than max.request.bytes (" + maxRequestBytes + ")");
    }

    private void decode(Exchange x) {
        Context context = vertx.getOrCreateContext();
        Buffer body = x.body;
        vertx.<OtlpRecords.Mapped>executeBlocking(() -> {
            byte[] bytes = body.getBytes();
            bytes = x.gzip ? inflate(bytes, maxRequestBytes) : bytes;
            return records.map(x.encoding.decode(bytes), x.peer,
                    () -> context.runOnContext(v -> acknowledged(x)));
        }, false).onComplete(ar -> {
            release(x); // decoded: the records are the window's to bound now
            if (ar.failed()) {
                if (ar.cause() instanceof OtlpHttpException e) {
                    refuse(x, e);
                } else {
                    LOG.log(System.Logger.Level.ERROR, connectorName + ": failed on a request from " + x.peer,
                            ar.cause());
                    refuse(x, new OtlpHttpException(500, "internal error: " + ar.cause()));
                }
                return;
            }
            admit(x, ar.result());
        });
    }

    /** Hands the request's records to the publisher, all or none. On the event loop. */
    private void admit(Exchange x, OtlpRecords.Mapped m) {
        x.mapped = m;
        if (stopping.getAsBoolean()) {
            refuse(x, new OtlpHttpException(503, "the source is stopping"));
            return;
        }
        if (!m.records().isEmpty()) {
            boolean taken;
            try {
                taken = publisher.offerAll(m.records());
            } catch (IllegalStateException e) {
                refuse(x, new OtlpHttpException(503, "the source is stopping"));
                return;
            }
            if (!taken) {
                throttled(x, "the window is full (" + publisher.pending() + " records waiting for the broker)");
                return;
            }
        }
        counters.recordsIn.addAndGet(m.records().size() + m.refused());
        counters.dropped.addAndGet(m.refused());
        if (m.refused() > 0) {
            LOG.log(System.Logger.Level.WARNING, connectorName + ": refused " + m.refused() + " of "
                    + (m.records().size() + m.refused()) + " log records from " + x.peer + ", the first for "
                    + m.refusal());
        }
        if (m.cut() > 0) {
            LOG.log(System.Logger.Level.WARNING, connectorName + ": cut " + m.cut() + " log record bodies from "
                    + x.peer + " at max.line.bytes");
        }
        if (m.records().isEmpty()) {
            acknowledged(x);
        }
    }

    private void throttled(Exchange x, String why) {
        String message = why + "; retry later";
        throttledSinceLog++;
        long now = System.nanoTime();
        if (now - lastThrottleLogNanos > TimeUnit.SECONDS.toNanos(10)) {
            LOG.log(System.Logger.Level.WARNING, connectorName + ": answered " + throttledSinceLog
                    + " request(s) with 429 since the last report: " + message);
            lastThrottleLogNanos = now;
            throttledSinceLog = 0;
        }
        respond(x, 429, x.encoding.status(429, message), RETRY_AFTER_SECONDS);
    }

    private void acknowledged(Exchange x) {
        ExportLogsServiceResponse.Builder r = ExportLogsServiceResponse.newBuilder();
        if (x.mapped.refused() > 0) {
            r.setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(x.mapped.refused())
                    .setErrorMessage(x.mapped.refused() + " log record(s) refused, the first for "
                            + x.mapped.refusal()));
        }
        respond(x, 200, x.encoding.encode(r.build()), null);
    }

    private void refuse(Exchange x, OtlpHttpException e) {
        if (e.status() != 429) {
            LOG.log(System.Logger.Level.WARNING, connectorName + ": answered " + e.status() + " to "
                    + x.req.method() + " " + x.req.uri() + " from " + x.peer + ": " + e.getMessage());
        }
        byte[] body = x.encoding == null ? e.getMessage().getBytes(StandardCharsets.UTF_8)
                : x.encoding.status(e.status(), e.getMessage());
        respond(x, e.status(), body, e.status() == 503 ? RETRY_AFTER_SECONDS : null);
    }

    private void respond(Exchange x, int status, byte[] body, String retryAfter) {
        x.answered = true;
        release(x);
        HttpServerResponse resp = x.req.response();
        if (resp.ended() || resp.closed()) {
            return; // the sender is gone; what it sent is published all the same
        }
        resp.setStatusCode(status);
        resp.putHeader(HttpHeaders.CONTENT_TYPE, x.encoding == null ? "text/plain; charset=utf-8"
                : x.encoding.contentType());
        if (status == 401) {
            resp.putHeader("WWW-Authenticate", "Bearer");
        } else if (status == 405) {
            resp.putHeader(HttpHeaders.ALLOW, "POST");
        }
        if (retryAfter != null) {
            resp.putHeader(HttpHeaders.RETRY_AFTER, retryAfter);
        }
        resp.end(Buffer.buffer(body));
    }

    /** The gzip body inflated, at most {@code max} bytes (413 past that: a small body may inflate to gigabytes). */
    static byte[] inflate(byte[] gz, int max) throws OtlpHttpException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), 16 * 1024)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(max, gz.length * 4L));
            byte[] buf = new byte[16 * 1024];
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                if (out.size() + n > max) {
                    throw new OtlpHttpException(413, "request body inflates to more than max.request.bytes ("
                            + max + ")");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new OtlpHttpException(400, "Content-Encoding gzip but the body is not gzip: " + e.getMessage());
        }
    }

    /** One request under way. Event loop only, but for the body handed to the worker once read. */
    private static final class Exchange {
        final HttpServerRequest req;
        final OtlpEncoding encoding;
        final String peer;
        boolean gzip;
        Buffer body;
        /** Body bytes counted in {@link #bufferedBytes}. */
        int held;
        OtlpRecords.Mapped mapped;
        boolean answered;

        Exchange(HttpServerRequest req, OtlpEncoding encoding) {
            this.req = req;
            this.encoding = encoding;
            this.peer = String.valueOf(req.remoteAddress());
        }
    }
}
