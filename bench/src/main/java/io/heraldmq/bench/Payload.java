package io.heraldmq.bench;

/** The message body: a fixed, non-constant byte pattern (so no layer can shortcut an all-zero body). */
final class Payload {
    private Payload() {
    }

    static byte[] of(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }
}
