package io.heraldmq.admin;

import io.heraldmq.protocol.ErrorCode;

/**
 * An administrative request failed: the broker refused it ({@link #code()} says why: INVALID_DESTINATION for an
 * unknown destination or subscription, INVALID_ARGUMENT, ILLEGAL_STATE, NOT_AUTHORIZED, ...), or the broker could not
 * be reached or did not answer in time ({@link #code()} is null).
 */
public final class HeraldAdminException extends RuntimeException {
    private final ErrorCode code;

    public HeraldAdminException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The broker's error code, or null when the broker was not reached or did not answer. */
    public ErrorCode code() {
        return code;
    }
}
