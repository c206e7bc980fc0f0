package io.heraldmq.jms;

import io.heraldmq.client.BrokerUri;

import java.io.Serializable;

/** Placeholder while the client is being written; the constructor and getters are final API. */
public class HeraldConnectionFactory implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String brokerUrl;
    private String clientID;

    /** @param brokerUrl {@code tcp://host:port[,host:port][?clientID=...]} */
    public HeraldConnectionFactory(String brokerUrl) {
        BrokerUri uri = BrokerUri.parse(brokerUrl);
        this.brokerUrl = brokerUrl;
        this.clientID = uri.options().get("clientID");
    }

    public String getBrokerUrl() {
        return brokerUrl;
    }

    public String getClientID() {
        return clientID;
    }

    public void setClientID(String clientID) {
        this.clientID = clientID;
    }
}
