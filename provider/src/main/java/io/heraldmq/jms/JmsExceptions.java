package io.heraldmq.jms;

import io.heraldmq.client.BrokerErrorException;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.TransactionRolledBackException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Turns transport failures into the JMS exceptions the specification names, and waits on futures for JMS calls. */
final class JmsExceptions {
    private JmsExceptions() {
    }

    static JMSException of(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof JMSException j) {
            return j;
        }
        JMSException e;
        if (c instanceof BrokerErrorException b) {
            String m = b.getMessage();
            e = switch (b.code()) {
                case AUTHENTICATION_FAILED, NOT_AUTHORIZED -> new JMSSecurityException(m);
                case INVALID_CLIENT_ID -> new InvalidClientIDException(m);
                case INVALID_SELECTOR -> new InvalidSelectorException(m);
                case INVALID_DESTINATION -> new InvalidDestinationException(m);
                case RESOURCE_EXHAUSTED -> new ResourceAllocationException(m);
                case ILLEGAL_STATE -> new IllegalStateException(m);
                case TRANSACTION_ROLLED_BACK -> new TransactionRolledBackException(m);
                default -> new JMSException(m, b.code().name());
            };
        } else if (c instanceof TimeoutException) {
            e = new JMSException("no answer from the broker in time: " + c.getMessage());
        } else {
            e = new JMSException(String.valueOf(c.getMessage()));
        }
        e.setLinkedException(c instanceof Exception x ? x : new Exception(c));
        e.initCause(c);
        return e;
    }

    /** Waits for a broker answer as a synchronous JMS call does. */
    static <T> T await(CompletableFuture<T> f, long timeoutMs) throws JMSException {
        try {
            return f.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw of(e);
        } catch (ExecutionException | TimeoutException e) {
            throw of(e);
        }
    }
}
