package io.heraldmq.ra;

import io.heraldmq.jms.HeraldXAConnectionFactory;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import jakarta.resource.spi.ValidatingManagedConnectionFactory;
import jakarta.resource.spi.security.PasswordCredential;

import javax.security.auth.Subject;
import java.io.PrintWriter;
import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The outbound connection definition: makes the pooled {@link HeraldManagedConnection}s (one physical XA connection
 * each) and the {@link HeraldRaConnectionFactory} applications look up. Config properties ({@code ra.xml}, or the
 * server's pool properties): {@code connectionURL} (several brokers allowed, as in the provider's URL; unset = the
 * resource adapter's), {@code userName}, {@code password}, {@code clientID}.
 * <p>
 * A user and password from the container's security subject, or given to {@code createConnection(user, password)},
 * win over the configured ones; a managed connection is reused only for the same credentials
 * ({@link #matchManagedConnections}).
 */
public final class HeraldManagedConnectionFactory implements ManagedConnectionFactory, ResourceAdapterAssociation,
        ValidatingManagedConnectionFactory {
    private static final long serialVersionUID = 1L;

    private String connectionURL;
    private String userName;
    private String password;
    private String clientID;
    private transient HeraldResourceAdapter resourceAdapter;
    private transient PrintWriter logWriter;
    /** Per user: the connection that completes branches whose own connection is gone ({@link RaXAResource}). */
    private transient java.util.Map<RaCredentials, RecoveryXAResource> completers;

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

    public String getClientID() {
        return clientID;
    }

    public void setClientID(String clientID) {
        this.clientID = clientID;
    }

    /** The URL in effect: this definition's, else the resource adapter's, else the default broker. */
    String effectiveUrl() {
        if (connectionURL != null && !connectionURL.isBlank()) {
            return connectionURL.trim();
        }
        return resourceAdapter != null ? resourceAdapter.effectiveUrl() : HeraldResourceAdapter.DEFAULT_URL;
    }

    /** The provider's factory for this definition's physical connections; a bad URL is named in the exception. */
    HeraldXAConnectionFactory physicalFactory() throws ResourceException {
        String url = effectiveUrl();
        try {
            HeraldXAConnectionFactory f = new HeraldXAConnectionFactory(url);
            if (clientID != null && !clientID.isBlank()) {
                f.setClientID(clientID);
            }
            return f;
        } catch (IllegalArgumentException e) {
            throw new InvalidPropertyException("connectionURL '" + url + "': " + e.getMessage(), e);
        }
    }

    /** The credentials a new or reused managed connection must have. */
    RaCredentials credentials(Subject subject, ConnectionRequestInfo info) {
        if (subject != null) {
            PasswordCredential pc = AccessController.doPrivileged((PrivilegedAction<PasswordCredential>) () -> {
                for (PasswordCredential c : subject.getPrivateCredentials(PasswordCredential.class)) {
                    if (this.equals(c.getManagedConnectionFactory())) {
                        return c;
                    }
                }
                return null;
            });
            if (pc != null) {
                return new RaCredentials(pc.getUserName(), new String(pc.getPassword()));
            }
        }
        if (info instanceof RaCredentials c && c.userName() != null) {
            return c;
        }
        return new RaCredentials(userName, password);
    }

    synchronized RecoveryXAResource completer(RaCredentials c) {
        if (completers == null) {
            completers = new java.util.HashMap<>();
        }
        return completers.computeIfAbsent(c, k -> new RecoveryXAResource(effectiveUrl(), k.userName(), k.password()));
    }

    @Override
    public Object createConnectionFactory(ConnectionManager cxManager) {
        return new HeraldRaConnectionFactory(this, cxManager);
    }

    /** Outside an application server (Jakarta Connectors "non-managed"): one physical connection per handle. */
    @Override
    public Object createConnectionFactory() {
        return new HeraldRaConnectionFactory(this, new UnpooledConnectionManager());
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info)
            throws ResourceException {
        return new HeraldManagedConnection(this, credentials(subject, info));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ManagedConnection matchManagedConnections(Set connectionSet, Subject subject, ConnectionRequestInfo info) {
        RaCredentials wanted = credentials(subject, info);
        for (Object o : connectionSet) {
            if (o instanceof HeraldManagedConnection mc && mc.factory() == this && mc.credentials().equals(wanted)
                    && mc.isUsable()) {
                return mc;
            }
        }
        return null;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Set getInvalidConnections(Set connectionSet) {
        Set invalid = new HashSet();
        for (Object o : connectionSet) {
            if (o instanceof HeraldManagedConnection mc && !mc.isUsable()) {
                invalid.add(mc);
            }
        }
        return invalid;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
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

    /** By configuration, as Jakarta Connectors 5.5.5 requires: the server tells its pools apart by it. */
    @Override
    public boolean equals(Object o) {
        return o instanceof HeraldManagedConnectionFactory f && Objects.equals(connectionURL, f.connectionURL)
                && Objects.equals(userName, f.userName) && Objects.equals(password, f.password)
                && Objects.equals(clientID, f.clientID);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connectionURL, userName, password, clientID);
    }

    @Override
    public String toString() {
        return "HeraldManagedConnectionFactory[" + effectiveUrl() + (userName == null ? "" : ", user " + userName)
                + (clientID == null ? "" : ", clientID " + clientID) + "]";
    }
}
