package io.heraldmq.server.admin;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ADMIN arguments: defaults, and INVALID_ARGUMENT errors that name the argument (never a closed connection). */
class AdminArgsTest {
    private static AdminArgs args(String... nameValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.put(nameValues[i], nameValues[i + 1]);
        }
        return new AdminArgs(m);
    }

    private static String invalid(Runnable r) {
        ProtocolException e = assertThrows(ProtocolException.class, r::run);
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        return e.getMessage();
    }

    @Test
    void readsValuesAndDefaults() {
        AdminArgs a = args("name", "orders", "partitions", " 3 ", "force", "TRUE", "kind", "Queue");
        assertEquals("orders", a.required("name"));
        assertEquals(3, a.intValue("partitions", 1));
        assertEquals(-1, a.longValue("retention.ms", -1));
        assertTrue(a.flag("force"));
        assertFalse(a.flag("other"));
        assertEquals(DestinationKind.QUEUE, a.kind());
        assertEquals(DestinationKind.TOPIC, args().kind());
        assertNull(args("topic", " ").optional("topic"));
    }

    @Test
    void badValuesAreInvalidArgumentsNamingTheArgument() {
        assertTrue(invalid(() -> args().required("name")).contains("'name'"));
        assertTrue(invalid(() -> args("partitions", "three").intValue("partitions", 1)).contains("'partitions'"));
        assertTrue(invalid(() -> args("partitions", "99999999999").intValue("partitions", 1)).contains("range"));
        assertTrue(invalid(() -> args("force", "yes").flag("force")).contains("'force'"));
        assertTrue(invalid(() -> args("kind", "stream").kind()).contains("topic or queue"));
    }
}
