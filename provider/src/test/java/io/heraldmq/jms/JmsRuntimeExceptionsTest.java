package io.heraldmq.jms;

import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageNotWriteableRuntimeException;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.ResourceAllocationRuntimeException;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.TransactionRolledBackException;
import jakarta.jms.TransactionRolledBackRuntimeException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each checked exception of the classic API maps to the runtime exception of the same name (JMSRuntimeException). */
class JmsRuntimeExceptionsTest {

    @Test
    void everyCheckedExceptionMapsToItsRuntimeTwin() {
        Map<JMSException, Class<? extends JMSRuntimeException>> table = new LinkedHashMap<>();
        table.put(new IllegalStateException("a", "c1"), IllegalStateRuntimeException.class);
        table.put(new InvalidDestinationException("a", "c1"), InvalidDestinationRuntimeException.class);
        table.put(new InvalidSelectorException("a", "c1"), InvalidSelectorRuntimeException.class);
        table.put(new JMSSecurityException("a", "c1"), JMSSecurityRuntimeException.class);
        table.put(new MessageFormatException("a", "c1"), MessageFormatRuntimeException.class);
        table.put(new MessageNotWriteableException("a", "c1"), MessageNotWriteableRuntimeException.class);
        table.put(new TransactionRolledBackException("a", "c1"), TransactionRolledBackRuntimeException.class);
        table.put(new TransactionInProgressException("a", "c1"), TransactionInProgressRuntimeException.class);
        table.put(new InvalidClientIDException("a", "c1"), InvalidClientIDRuntimeException.class);
        table.put(new ResourceAllocationException("a", "c1"), ResourceAllocationRuntimeException.class);
        table.put(new JMSException("a", "c1"), JMSRuntimeException.class);
        // No runtime twin: the generic one.
        table.put(new MessageEOFException("a", "c1"), JMSRuntimeException.class);
        for (Map.Entry<JMSException, Class<? extends JMSRuntimeException>> e : table.entrySet()) {
            JMSRuntimeException r = JmsRuntimeExceptions.of(e.getKey());
            assertEquals(e.getValue(), r.getClass(), e.getKey().getClass().getSimpleName());
            assertEquals("a", r.getMessage());
            assertEquals("c1", r.getErrorCode());
            assertSame(e.getKey(), r.getCause());
        }
    }

    @Test
    void callAndRunConvert() {
        assertEquals(7, JmsRuntimeExceptions.call(() -> 7));
        assertThrows(InvalidSelectorRuntimeException.class, () -> JmsRuntimeExceptions.call(() -> {
            throw new InvalidSelectorException("bad");
        }));
        assertThrows(IllegalStateRuntimeException.class, () -> JmsRuntimeExceptions.run(() -> {
            throw new IllegalStateException("closed");
        }));
    }
}
