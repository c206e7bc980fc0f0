package io.heraldmq.ra;

import jakarta.jms.Session;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;

import java.util.Locale;

/**
 * The activation configuration of a message-driven bean, with the property names Jakarta Messaging 3.1 (section
 * 13.1) and ActiveMQ Artemis use: {@code destinationLookup} (JNDI name of a Queue or Topic) or {@code destination}
 * (its name on the broker), {@code destinationType} ({@code jakarta.jms.Queue}, the default, or
 * {@code jakarta.jms.Topic}), {@code subscriptionDurability} ({@code NonDurable}, the default, or {@code Durable}),
 * {@code subscriptionName}, {@code clientId}, {@code messageSelector}, {@code acknowledgeMode}
 * ({@code Auto-acknowledge}, the default, or {@code Dups-ok-acknowledge}; only for beans whose delivery is not
 * transacted), {@code maxSession} (concurrent deliveries, default 15), {@code shareSubscriptions} (topic
 * subscriptions shared by all sessions, so that they can deliver concurrently too), and the HeraldMQ ones
 * {@code connectionURL}, {@code user}, {@code password} (default: the resource adapter's) and
 * {@code setupAttempts}/{@code setupIntervalMs}, the reconnection backoff (default: forever, 100 ms doubling to 5 s).
 */
public final class HeraldActivationSpec implements ActivationSpec {
    private HeraldResourceAdapter resourceAdapter;
    private String destinationLookup;
    private String destination;
    private String destinationType = "jakarta.jms.Queue";
    private String subscriptionDurability = "NonDurable";
    private String subscriptionName;
    private String clientId;
    private String messageSelector;
    private String acknowledgeMode = "Auto-acknowledge";
    private int maxSession = 15;
    private boolean shareSubscriptions;
    private String connectionURL;
    private String user;
    private String password;
    private int setupAttempts = -1;
    private long setupIntervalMs = 100;

    /** Checks what can be checked before the bean is activated; the exception names the property. */
    @Override
    public void validate() throws InvalidPropertyException {
        if (blank(destinationLookup) && blank(destination)) {
            throw invalid("destination", "set destinationLookup or destination");
        }
        if (!isTopicType() && !isQueueType()) {
            throw invalid("destinationType", "jakarta.jms.Queue or jakarta.jms.Topic, not " + destinationType);
        }
        if (!"Durable".equalsIgnoreCase(subscriptionDurability)
                && !"NonDurable".equalsIgnoreCase(subscriptionDurability)) {
            throw invalid("subscriptionDurability", "Durable or NonDurable, not " + subscriptionDurability);
        }
        if (isDurable() && blank(subscriptionName)) {
            throw invalid("subscriptionName", "a durable subscription needs a subscriptionName");
        }
        if (isDurable() && !shareSubscriptions && blank(clientId)) {
            throw invalid("clientId", "an unshared durable subscription needs a clientId");
        }
        if (shareSubscriptions && blank(subscriptionName)) {
            throw invalid("subscriptionName", "shared subscriptions need a subscriptionName");
        }
        sessionAcknowledgeMode();
        if (maxSession < 1) {
            throw invalid("maxSession", "at least 1, not " + maxSession);
        }
        if (setupIntervalMs < 1) {
            throw invalid("setupIntervalMs", "at least 1, not " + setupIntervalMs);
        }
    }

    private static InvalidPropertyException invalid(String property, String message) {
        return new InvalidPropertyException("activation property " + property + ": " + message);
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    boolean isTopicType() {
        String t = destinationType == null ? "" : destinationType.trim();
        return t.equals("jakarta.jms.Topic") || t.equals("javax.jms.Topic") || t.equalsIgnoreCase("topic");
    }

    private boolean isQueueType() {
        String t = destinationType == null ? "" : destinationType.trim();
        return t.equals("jakarta.jms.Queue") || t.equals("javax.jms.Queue") || t.equalsIgnoreCase("queue");
    }

    boolean isDurable() {
        return isTopicType() && "Durable".equalsIgnoreCase(subscriptionDurability);
    }

    /** The session mode of a bean whose delivery is not transacted. */
    int sessionAcknowledgeMode() throws InvalidPropertyException {
        String m = acknowledgeMode == null ? "auto-acknowledge" : acknowledgeMode.trim().toLowerCase(Locale.ROOT);
        return switch (m) {
            case "auto-acknowledge", "auto_acknowledge" -> Session.AUTO_ACKNOWLEDGE;
            case "dups-ok-acknowledge", "dups_ok_acknowledge" -> Session.DUPS_OK_ACKNOWLEDGE;
            default -> throw invalid("acknowledgeMode", "Auto-acknowledge or Dups-ok-acknowledge, not "
                    + acknowledgeMode);
        };
    }

    /**
     * Sessions that may consume at once: a queue or a shared subscription takes {@code maxSession}; a topic
     * subscription of one consumer only (unshared) takes one, else every session would get every message.
     */
    int effectiveSessions() {
        return !isTopicType() || shareSubscriptions ? maxSession : 1;
    }

    String effectiveUrl() {
        if (!blank(connectionURL)) {
            return connectionURL.trim();
        }
        return resourceAdapter != null ? resourceAdapter.effectiveUrl() : HeraldResourceAdapter.DEFAULT_URL;
    }

    String effectiveUser() {
        return !blank(user) ? user : resourceAdapter != null ? resourceAdapter.getUserName() : null;
    }

    String effectivePassword() {
        return !blank(user) ? password : resourceAdapter != null ? resourceAdapter.getPassword() : null;
    }

    String describe() {
        return (blank(destination) ? destinationLookup : destination) + " (" + (isTopicType() ? "topic" : "queue")
                + (isDurable() ? ", durable subscription " + subscriptionName : "") + ")";
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
        if (!(ra instanceof HeraldResourceAdapter h)) {
            throw new ResourceException("not a HeraldMQ resource adapter: " + ra);
        }
        this.resourceAdapter = h;
    }

    // ---- JavaBean properties ----

    public String getDestinationLookup() {
        return destinationLookup;
    }

    public void setDestinationLookup(String destinationLookup) {
        this.destinationLookup = destinationLookup;
    }

    public String getDestination() {
        return destination;
    }

    public void setDestination(String destination) {
        this.destination = destination;
    }

    public String getDestinationType() {
        return destinationType;
    }

    public void setDestinationType(String destinationType) {
        this.destinationType = destinationType;
    }

    public String getSubscriptionDurability() {
        return subscriptionDurability;
    }

    public void setSubscriptionDurability(String subscriptionDurability) {
        this.subscriptionDurability = subscriptionDurability;
    }

    public String getSubscriptionName() {
        return subscriptionName;
    }

    public void setSubscriptionName(String subscriptionName) {
        this.subscriptionName = subscriptionName;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getMessageSelector() {
        return messageSelector;
    }

    public void setMessageSelector(String messageSelector) {
        this.messageSelector = messageSelector;
    }

    public String getAcknowledgeMode() {
        return acknowledgeMode;
    }

    public void setAcknowledgeMode(String acknowledgeMode) {
        this.acknowledgeMode = acknowledgeMode;
    }

    public Integer getMaxSession() {
        return maxSession;
    }

    public void setMaxSession(Integer maxSession) {
        this.maxSession = maxSession;
    }

    public Boolean getShareSubscriptions() {
        return shareSubscriptions;
    }

    public void setShareSubscriptions(Boolean shareSubscriptions) {
        this.shareSubscriptions = shareSubscriptions;
    }

    public String getConnectionURL() {
        return connectionURL;
    }

    public void setConnectionURL(String connectionURL) {
        this.connectionURL = connectionURL;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public Integer getSetupAttempts() {
        return setupAttempts;
    }

    public void setSetupAttempts(Integer setupAttempts) {
        this.setupAttempts = setupAttempts;
    }

    public Long getSetupIntervalMs() {
        return setupIntervalMs;
    }

    public void setSetupIntervalMs(Long setupIntervalMs) {
        this.setupIntervalMs = setupIntervalMs;
    }

    @Override
    public String toString() {
        return "HeraldActivationSpec[" + describe() + " at " + effectiveUrl() + "]";
    }
}
