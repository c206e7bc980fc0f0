package io.heraldmq.server.handler;

import io.heraldmq.protocol.Credit;
import io.heraldmq.protocol.Frame;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.subscription.ServerConsumer;

/** CREDIT: the consumer may take more messages. Credit for a consumer already closed is ignored. */
public final class CreditHandler implements RequestHandler {
    @Override
    public void handle(ClientConnection connection, Frame frame) {
        Credit credit = Credit.decode(frame.body());
        ServerConsumer consumer = connection.consumer(credit.consumerId());
        if (consumer != null && credit.messages() > 0) {
            consumer.credit(credit.messages());
        }
    }
}
