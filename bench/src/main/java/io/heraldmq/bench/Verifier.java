package io.heraldmq.bench;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One consumer's listener: reads every message's body, checks the producer id and sequence properties
 * ({@value #PRODUCER}, {@value #SEQUENCE}) and counts. A topic subscriber must see every producer's sequence as
 * 0, 1, 2, ... with no gap or repeat; a queue consumer must see each producer's sequence increasing, and the shared
 * {@link QueueLedger} catches a message delivered twice across consumers. The first violation is kept and fails
 * the scenario. The listener runs on its session's thread; counters are read by the scenario's thread.
 */
public final class Verifier implements MessageListener {
    public static final String PRODUCER = "benchProducer";
    public static final String SEQUENCE = "benchSequence";

    private final String name;
    private final long[] next;
    private final QueueLedger ledger;
    private final AtomicLong received = new AtomicLong();
    private volatile String failure;
    private byte[] body = new byte[0];

    /** A topic subscriber: exactly 0..n-1 of each producer, in order. */
    public static Verifier subscriber(String name, int producers) {
        return new Verifier(name, producers, null);
    }

    /** A competing queue consumer: increasing per producer, each message once across all consumers. */
    public static Verifier competing(String name, int producers, QueueLedger ledger) {
        return new Verifier(name, producers, ledger);
    }

    private Verifier(String name, int producers, QueueLedger ledger) {
        this.name = name;
        this.next = new long[producers];
        this.ledger = ledger;
    }

    @Override
    public void onMessage(Message message) {
        try {
            if (message instanceof BytesMessage bytes) {
                int length = (int) bytes.getBodyLength();
                if (body.length < length) {
                    body = new byte[length];
                }
                bytes.readBytes(body, length);
            }
            record(message.getIntProperty(PRODUCER), message.getLongProperty(SEQUENCE));
        } catch (JMSException | RuntimeException e) {
            fail(name + ": cannot read a message: " + e);
            received.incrementAndGet();
        }
    }

    /** Checks one delivery and counts it (the count last: the scenario's thread reads the rest after it). */
    void record(int producer, long sequence) {
        check(producer, sequence);
        received.incrementAndGet();
    }

    private void check(int producer, long sequence) {
        if (producer < 0 || producer >= next.length) {
            fail(name + ": message from unknown producer " + producer);
            return;
        }
        if (ledger == null) {
            if (sequence != next[producer]) {
                fail(name + ": producer " + producer + " expected sequence " + next[producer] + ", got " + sequence
                        + (sequence < next[producer] ? " (duplicate or out of order)" : " (lost messages)"));
            }
            next[producer] = sequence + 1;
        } else {
            if (sequence < next[producer]) {
                fail(name + ": producer " + producer + " sequence " + sequence + " after " + (next[producer] - 1)
                        + " (out of order or duplicate)");
            }
            next[producer] = sequence + 1;
            if (!ledger.record(producer, sequence)) {
                fail(name + ": producer " + producer + " sequence " + sequence + " delivered twice");
            }
        }
    }

    private void fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
    }

    public long received() {
        return received.get();
    }

    public String failure() {
        return failure;
    }

    /** After the drain: a subscriber must have reached the end of every producer's sequence. */
    public String missing(long[] sent) {
        if (ledger != null) {
            return null;
        }
        for (int p = 0; p < sent.length; p++) {
            if (next[p] != sent[p]) {
                return name + ": producer " + p + " sent " + sent[p] + ", received up to " + next[p];
            }
        }
        return null;
    }

    /** Which sequences of each producer the competing consumers of one queue have seen. */
    public static final class QueueLedger {
        private final BitSet[] seen;

        public QueueLedger(int producers) {
            seen = new BitSet[producers];
            for (int i = 0; i < producers; i++) {
                seen[i] = new BitSet();
            }
        }

        synchronized boolean record(int producer, long sequence) {
            int index = Math.toIntExact(sequence);
            if (seen[producer].get(index)) {
                return false;
            }
            seen[producer].set(index);
            return true;
        }

        /** Null when every producer's 0..sent-1 arrived exactly once, else what is missing. */
        public synchronized String missing(long[] sent) {
            for (int p = 0; p < sent.length; p++) {
                int firstGap = seen[p].nextClearBit(0);
                if (firstGap != sent[p] || seen[p].cardinality() != sent[p]) {
                    return "queue: producer " + p + " sent " + sent[p] + ", first missing sequence " + firstGap
                            + ", received " + seen[p].cardinality();
                }
            }
            return null;
        }
    }
}
