package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ADMIN: an administrative request (create or delete a destination, list destinations and subscriptions, move or
 * delete a subscription). Answered with {@link AdminResult}, or ERROR: INVALID_ARGUMENT (unknown operation, missing
 * or malformed argument), INVALID_DESTINATION (unknown destination or subscription), ILLEGAL_STATE (e.g. consumers
 * are attached). The operations and their arguments are listed in {@link AdminOperation}. Body:
 * <pre>
 * byte   operation  {@link AdminOperation} code; an unknown code is answered with INVALID_ARGUMENT
 * int16  count      number of arguments
 * count times:
 *   string name     not null
 *   string value    may be null
 * </pre>
 *
 * @param operation the operation, or null when the code on the wire is unknown
 * @param code      the operation code as received
 */
public record Admin(AdminOperation operation, byte code, Map<String, String> arguments) {
    public Admin {
        arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    }

    public Admin(AdminOperation operation, Map<String, String> arguments) {
        this(operation, operation.code(), arguments);
    }

    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.ADMIN, correlationId, 64);
        b.appendByte(code).appendShort((short) arguments.size());
        for (Map.Entry<String, String> e : arguments.entrySet()) {
            Wire.writeString(b, e.getKey());
            Wire.writeString(b, e.getValue());
        }
        return Frame.finish(b);
    }

    public static Admin decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        byte code = c.readByte();
        short count = c.readShort();
        if (count < 0) {
            throw new ProtocolException("negative ADMIN argument count " + count);
        }
        Map<String, String> arguments = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = c.readString();
            if (name == null) {
                throw new ProtocolException("ADMIN argument without a name");
            }
            arguments.put(name, c.readString());
        }
        c.expectEnd();
        return new Admin(AdminOperation.of(code), code, arguments);
    }
}
