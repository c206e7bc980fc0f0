package io.heraldmq.server.net;

import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.FrameType;
import io.vertx.core.buffer.Buffer;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A blocking socket speaking raw frames, for tests that must send what a well-behaved client never would. */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void write(Buffer bytes) throws IOException {
        out.write(bytes.getBytes());
        out.flush();
    }

    /** Reads the next frame, blocking up to the socket timeout. */
    Frame read() throws IOException {
        int length = in.readInt();
        byte type = in.readByte();
        int correlationId = in.readInt();
        byte[] body = new byte[length - 5];
        in.readFully(body);
        return new Frame(FrameType.of(type), correlationId, Buffer.buffer(body));
    }

    /** True when the broker closed the socket (end of stream) before the timeout. */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException | java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
