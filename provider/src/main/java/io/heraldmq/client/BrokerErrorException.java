package io.heraldmq.client;

import io.heraldmq.protocol.ErrorCode;

/** The broker answered a request with an ERROR frame. The JMS layer turns it into the matching JMSException. */
public final class BrokerErrorException extends Exception {
    private final ErrorCode code;

    public BrokerErrorException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
