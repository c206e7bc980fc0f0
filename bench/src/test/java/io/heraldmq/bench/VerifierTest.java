package io.heraldmq.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerifierTest {

    @Test
    void subscriberAcceptsEveryProducersSequenceInOrder() {
        Verifier v = Verifier.subscriber("s", 2);
        v.record(0, 0);
        v.record(1, 0);
        v.record(0, 1);
        v.record(1, 1);
        assertNull(v.failure());
        assertNull(v.missing(new long[]{2, 2}));
        assertEquals(4, v.received());
    }

    @Test
    void subscriberFailsOnAGap() {
        Verifier v = Verifier.subscriber("s", 1);
        v.record(0, 0);
        v.record(0, 2);
        assertNotNull(v.failure());
        assertTrue(v.failure().contains("lost"), v.failure());
    }

    @Test
    void subscriberFailsOnARepeat() {
        Verifier v = Verifier.subscriber("s", 1);
        v.record(0, 0);
        v.record(0, 1);
        v.record(0, 1);
        assertTrue(v.failure().contains("duplicate"), v.failure());
    }

    @Test
    void subscriberThatStoppedShortReportsWhatIsMissing() {
        Verifier v = Verifier.subscriber("s", 1);
        v.record(0, 0);
        assertNull(v.failure());
        assertNotNull(v.missing(new long[]{2}));
    }

    @Test
    void unknownProducerFails() {
        Verifier v = Verifier.subscriber("s", 1);
        v.record(3, 0);
        assertNotNull(v.failure());
    }

    @Test
    void competingConsumersShareTheWorkExactlyOnce() {
        Verifier.QueueLedger ledger = new Verifier.QueueLedger(1);
        Verifier a = Verifier.competing("a", 1, ledger);
        Verifier b = Verifier.competing("b", 1, ledger);
        a.record(0, 0);
        b.record(0, 1);
        a.record(0, 2);
        b.record(0, 3);
        assertNull(a.failure());
        assertNull(b.failure());
        assertNull(ledger.missing(new long[]{4}));
        assertNotNull(ledger.missing(new long[]{5}));
    }

    @Test
    void competingConsumersCatchADuplicateAcrossConsumers() {
        Verifier.QueueLedger ledger = new Verifier.QueueLedger(1);
        Verifier a = Verifier.competing("a", 1, ledger);
        Verifier b = Verifier.competing("b", 1, ledger);
        a.record(0, 0);
        b.record(0, 0);
        assertTrue(b.failure().contains("twice"), b.failure());
    }

    @Test
    void competingConsumerFailsWhenAProducersOrderGoesBackwards() {
        Verifier.QueueLedger ledger = new Verifier.QueueLedger(1);
        Verifier a = Verifier.competing("a", 1, ledger);
        a.record(0, 5);
        a.record(0, 3);
        assertTrue(a.failure().contains("out of order"), a.failure());
    }
}
