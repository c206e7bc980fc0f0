package io.heraldmq.ra;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.transaction.xa.XAResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Timer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resource adapter: the defaults its connection definitions and activations share ({@code connectionURL},
 * {@code userName}, {@code password}), the message-driven beans' activations ({@link HeraldActivation}, one per
 * bean), and the XAResources the transaction manager recovers inbound branches with.
 */
public final class HeraldResourceAdapter implements ResourceAdapter {
    static final String DEFAULT_URL = "tcp://127.0.0.1:7440";
    private static final Logger LOG = LoggerFactory.getLogger(HeraldResourceAdapter.class);

    private String connectionURL = DEFAULT_URL;
    private String userName;
    private String password;
    private final Map<ActivationKey, HeraldActivation> activations = new ConcurrentHashMap<>();
    private final Map<String, RecoveryXAResource> recovery = new ConcurrentHashMap<>();
    private volatile WorkManager workManager;
    private volatile Timer timer;

    @Override
    public void start(BootstrapContext ctx) throws ResourceAdapterInternalException {
        this.workManager = ctx.getWorkManager();
        try {
            this.timer = ctx.createTimer();
        } catch (jakarta.resource.spi.UnavailableException e) {
            throw new ResourceAdapterInternalException("no timer from the application server", e);
        }
        LOG.info("HeraldMQ resource adapter started; default broker {}", effectiveUrl());
    }

    @Override
    public void stop() {
        for (ActivationKey k : List.copyOf(activations.keySet())) {
            HeraldActivation a = activations.remove(k);
            if (a != null) {
                a.stop();
            }
        }
        recovery.values().forEach(RecoveryXAResource::close);
        recovery.clear();
        Timer t = timer;
        if (t != null) {
            t.cancel();
        }
        LOG.info("HeraldMQ resource adapter stopped");
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        if (!(spec instanceof HeraldActivationSpec s)) {
            throw new ResourceException("not a HeraldMQ activation spec: " + spec);
        }
        s.validate();
        HeraldActivation a = new HeraldActivation(this, factory, s);
        if (activations.putIfAbsent(new ActivationKey(factory, s), a) != null) {
            throw new ResourceException("this endpoint is active already: " + s);
        }
        a.start();
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        HeraldActivation a = activations.remove(new ActivationKey(factory, spec));
        if (a != null) {
            a.stop();
        }
    }

    /** One resource per broker URL the activations use, to recover (commit or roll back) their prepared branches. */
    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        Map<String, HeraldActivationSpec> byUrl = new LinkedHashMap<>();
        for (ActivationSpec s : specs) {
            if (s instanceof HeraldActivationSpec h) {
                byUrl.putIfAbsent(h.effectiveUrl(), h);
            }
        }
        List<XAResource> out = new ArrayList<>();
        byUrl.forEach((url, s) -> out.add(completer(s)));
        return out.toArray(new XAResource[0]);
    }

    /** The connection that recovers and completes the branches of activations of this spec's broker and user. */
    RecoveryXAResource completer(HeraldActivationSpec s) {
        return recovery.computeIfAbsent(s.effectiveUrl() + "|" + s.effectiveUser(),
                u -> new RecoveryXAResource(s.effectiveUrl(), s.effectiveUser(), s.effectivePassword()));
    }

    WorkManager workManager() {
        return workManager;
    }

    Timer timer() {
        return timer;
    }

    String effectiveUrl() {
        return connectionURL == null || connectionURL.isBlank() ? DEFAULT_URL : connectionURL.trim();
    }

    public String getConnectionURL() {
        return connectionURL;
    }

    public void setConnectionURL(String connectionURL) {
        this.connectionURL = connectionURL;
    }

    public String getUserName() {
        return userName;
    }

    public void setUserName(String userName) {
        this.userName = userName;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    /** Activations are told apart by the identity of factory and spec (Jakarta Connectors 13.4.2). */
    private record ActivationKey(MessageEndpointFactory factory, ActivationSpec spec) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ActivationKey k && k.factory == factory && k.spec == spec;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(factory) * 31 + System.identityHashCode(spec);
        }
    }
}
