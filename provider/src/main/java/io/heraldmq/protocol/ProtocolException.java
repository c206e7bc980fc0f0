package io.heraldmq.protocol;

/** Input that does not follow the protocol. The connection that sent it is closed; nobody else is affected. */
public final class ProtocolException extends RuntimeException {
    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ProtocolException(String message) {
        this(ErrorCode.PROTOCOL_ERROR, message);
    }

    public ErrorCode code() {
        return code;
    }
}
