package io.heraldmq.server.txlog;

/**
 * A transaction's identity: the producer id and sequence its client put in the headers of the transaction's batches
 * (a random producer id per session, a sequence per commit).
 */
public record TxId(long producerId, int sequence) {
    @Override
    public String toString() {
        return Long.toHexString(producerId) + "/" + sequence;
    }
}
