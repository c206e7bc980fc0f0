package io.heraldmq.ra;

import jakarta.resource.spi.ManagedConnectionMetaData;

/** What the server shows of a managed connection. */
record RaMetaData(String userName) implements ManagedConnectionMetaData {
    @Override
    public String getEISProductName() {
        return "HeraldMQ";
    }

    @Override
    public String getEISProductVersion() {
        String v = RaMetaData.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    /** One handle per session is what Jakarta EE allows; the pool sizes the rest. */
    @Override
    public int getMaxConnections() {
        return 0;
    }

    @Override
    public String getUserName() {
        return userName == null ? "" : userName;
    }
}
