package io.heraldmq.jms;

import io.heraldmq.client.BrokerConnection;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ErrorFrame;
import io.heraldmq.protocol.Frame;
import io.vertx.core.Context;
import jakarta.jms.JMSException;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Producer flow control for one-way (NON_PERSISTENT, no CompletionListener) sends, so that a fast producer cannot
 * run away from its consumers: every {@value #MARKER_BYTES} bytes one send asks for a PRODUCE_ACK (a marker), and
 * the producer waits once more than {@value #MAX_MARKERS} markers are unanswered. The broker holds a marker's
 * PRODUCE_ACK while the partition's active consumers are backed up, which paces the producer to them; otherwise
 * markers are answered right after the append and, being pipelined, cost no round trip. About
 * {@code MARKER_BYTES * (MAX_MARKERS + 1)} bytes are thus in transit per producer at most.
 * <p>
 * Used by the one thread that sends on a session. A marker's refusal goes where a one-way send's refusal goes: the
 * connection's ExceptionListener.
 */
final class SendWindow {
    static final int MARKER_BYTES = 64 * 1024;
    static final int MAX_MARKERS = 4;

    private final ArrayDeque<CompletableFuture<Frame>> markers = new ArrayDeque<>();
    private long bytesSinceMarker;

    /** @return whether the send of {@code frameBytes} should be a marker (ask for PRODUCE_ACK) */
    boolean isMarker(int frameBytes) {
        bytesSinceMarker += frameBytes;
        if (bytesSinceMarker < MARKER_BYTES) {
            return false;
        }
        bytesSinceMarker = 0;
        return true;
    }

    /**
     * Records a marker just sent and waits while too many are unanswered. Never waits on an event loop thread (a
     * send from a Vert.x callback), where the answer itself would have to arrive.
     */
    void sent(CompletableFuture<Frame> marker, Consumer<ErrorFrame> onError, long timeoutMs) throws JMSException {
        marker.whenComplete((frame, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                ErrorCode code = BrokerConnection.errorCode(cause);
                if (code != null) {
                    // A lost connection is reported once, by the connection itself.
                    onError.accept(new ErrorFrame(code, cause.getMessage()));
                }
            }
        });
        markers.add(marker);
        if (Context.isOnEventLoopThread()) {
            return;
        }
        while (markers.size() > MAX_MARKERS) {
            CompletableFuture<Frame> oldest = markers.poll();
            try {
                oldest.get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw JmsExceptions.of(e);
            } catch (ExecutionException e) {
                // Reported to the ExceptionListener above, like any failed one-way send.
            } catch (TimeoutException e) {
                throw new JMSException("the broker did not accept more messages within " + timeoutMs + " ms");
            }
        }
        while (!markers.isEmpty() && markers.peek().isDone()) {
            markers.poll();
        }
    }
}
