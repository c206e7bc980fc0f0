package io.heraldmq.connect.otlp;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The two encodings of OTLP/HTTP, chosen by the request's {@code Content-Type} and used for its response too (the
 * specification asks for the same Content-Type back).
 * <p>
 * An error response's body is a {@code google.rpc.Status} in that encoding, as OTLP/HTTP specifies, written here
 * directly since its two fields are all that is used: {@code code} (field 1, int32: the gRPC code for the HTTP
 * status) and {@code message} (field 2, string); in JSON {@code {"code":3,"message":"..."}}.
 */
enum OtlpEncoding {
    PROTOBUF("application/x-protobuf"),
    JSON("application/json");

    private final String contentType;

    OtlpEncoding(String contentType) {
        this.contentType = contentType;
    }

    /** The encoding a Content-Type header names (parameters such as {@code charset} ignored), or null. */
    static OtlpEncoding of(String contentTypeHeader) {
        if (contentTypeHeader == null) {
            return null;
        }
        int semicolon = contentTypeHeader.indexOf(';');
        String type = (semicolon < 0 ? contentTypeHeader : contentTypeHeader.substring(0, semicolon)).trim()
                .toLowerCase(Locale.ROOT);
        for (OtlpEncoding e : values()) {
            if (e.contentType.equals(type)) {
                return e;
            }
        }
        return null;
    }

    String contentType() {
        return contentType;
    }

    /** The request in {@code body}; throws (400) naming what is wrong with it. */
    ExportLogsServiceRequest decode(byte[] body) throws OtlpHttpException {
        try {
            return this == PROTOBUF ? ExportLogsServiceRequest.parseFrom(body)
                    : OtlpJson.parse(new String(body, StandardCharsets.UTF_8));
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpHttpException(400, "not an OTLP logs export request in " + contentType + ": "
                    + e.getMessage());
        }
    }

    byte[] encode(ExportLogsServiceResponse response) {
        return this == PROTOBUF ? response.toByteArray()
                : OtlpJson.print(response).getBytes(StandardCharsets.UTF_8);
    }

    /** A {@code google.rpc.Status} for an HTTP error status. */
    byte[] status(int httpStatus, String message) {
        int code = grpcCode(httpStatus);
        if (this == JSON) {
            StringBuilder b = new StringBuilder("{\"code\":").append(code).append(",\"message\":");
            AnyValues.appendJsonString(b, message);
            return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.length() + 16);
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeInt32(1, code);
            out.writeString(2, message);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from a byte array
        }
        return bytes.toByteArray();
    }

    /** The gRPC status code OTLP/gRPC would answer with for this HTTP status. */
    private static int grpcCode(int httpStatus) {
        return switch (httpStatus) {
            case 401 -> 16; // UNAUTHENTICATED
            case 404 -> 5; // NOT_FOUND
            case 405 -> 12; // UNIMPLEMENTED
            case 429 -> 8; // RESOURCE_EXHAUSTED
            case 503 -> 14; // UNAVAILABLE
            default -> httpStatus >= 500 ? 13 : 3; // INTERNAL, INVALID_ARGUMENT
        };
    }
}
