package io.heraldmq.server.security;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The mutual-TLS rule: a verified client certificate's user is the common name (CN) of its subject, e.g.
 * {@code CN=orders-app,OU=payments,O=Bank} is user {@code orders-app}. With users configured, that user must be one
 * of them (it needs no password); its roles and permissions apply as to a password login.
 */
public final class CertificateUser {
    private CertificateUser() {
    }

    /** The subject's CN (the most specific one if there are several), or null if it has none. */
    public static String commonName(X500Principal subject) {
        try {
            String cn = null;
            // RDNs are listed from the least to the most specific: the last CN wins
            for (Rdn rdn : new LdapName(subject.getName(X500Principal.RFC2253)).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    cn = String.valueOf(rdn.getValue());
                }
            }
            return cn == null || cn.isBlank() ? null : cn;
        } catch (InvalidNameException e) {
            return null;
        }
    }
}
