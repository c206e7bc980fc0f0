package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.heraldmq.protocol.FrameCodecTest.decodeOne;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** ADMIN and ADMIN_RESULT: round trips, and the checks on malformed bodies. */
class AdminCodecTest {
    @Test
    void adminRoundTripKeepsOperationAndArgumentsInOrderWithNullValues() {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("name", "orders");
        args.put("partitions", "3");
        args.put("selector", null);
        Frame f = decodeOne(new Admin(AdminOperation.CREATE_TOPIC, args).encode(9));
        assertEquals(FrameType.ADMIN, f.type());
        assertEquals(9, f.correlationId());
        Admin back = Admin.decode(f.body());
        assertEquals(AdminOperation.CREATE_TOPIC, back.operation());
        assertEquals(args, back.arguments());
        assertEquals(List.of("name", "partitions", "selector"), List.copyOf(back.arguments().keySet()));
    }

    @Test
    void anUnknownOperationCodeDecodesWithoutOperationSoTheBrokerCanAnswerIt() {
        Buffer body = Buffer.buffer().appendByte((byte) 99).appendShort((short) 0);
        Admin a = Admin.decode(body);
        assertNull(a.operation());
        assertEquals(99, a.code());
    }

    @Test
    void malformedAdminBodiesAreProtocolErrors() {
        assertThrows(ProtocolException.class, () -> Admin.decode(Buffer.buffer().appendByte((byte) 1)));
        assertThrows(ProtocolException.class, () -> Admin.decode(Buffer.buffer().appendByte((byte) 1)
                .appendShort((short) -1)));
        Buffer noName = Buffer.buffer().appendByte((byte) 1).appendShort((short) 1);
        Wire.writeString(noName, null);
        Wire.writeString(noName, "v");
        assertThrows(ProtocolException.class, () -> Admin.decode(noName));
        Buffer trailing = Buffer.buffer().appendByte((byte) 1).appendShort((short) 0).appendByte((byte) 0);
        assertThrows(ProtocolException.class, () -> Admin.decode(trailing));
    }

    @Test
    void resultRoundTripKeepsColumnsRowsAndNulls() {
        AdminResult r = AdminResult.of("id", "backlog").row("queue:a", 3).row("durable:c:n", null);
        Frame f = decodeOne(r.encode(4));
        assertEquals(FrameType.ADMIN_RESULT, f.type());
        AdminResult back = AdminResult.decode(f.body());
        assertEquals(r, back);
        assertEquals("3", back.get(0, "backlog"));
        assertNull(back.get(1, "backlog"));
        assertEquals(AdminResult.empty(), AdminResult.decode(decodeOne(AdminResult.empty().encode(1)).body()));
    }

    @Test
    void malformedResultBodiesAreProtocolErrors() {
        Buffer lyingCount = Buffer.buffer().appendShort((short) 1);
        Wire.writeString(lyingCount, "id");
        lyingCount.appendInt(1_000_000);
        assertThrows(ProtocolException.class, () -> AdminResult.decode(lyingCount));
        assertThrows(ProtocolException.class, () -> AdminResult.decode(Buffer.buffer().appendShort((short) -2)));
        assertThrows(IllegalArgumentException.class,
                () -> new AdminResult(List.of("a", "b"), List.of(Arrays.asList("only one"))));
    }
}
