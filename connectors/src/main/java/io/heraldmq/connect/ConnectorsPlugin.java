package io.heraldmq.connect;

import io.heraldmq.server.spi.BrokerPlugin;

import java.util.Map;

/**
 * The connectors inside the broker process: the broker's configuration file holds {@code connector.*} keys as a
 * connectors file does, and the broker (finding this class through {@code META-INF/services} when
 * heraldmq-connect.jar is on its class path) starts them once it is ready and stops them before it closes. A
 * connector without a {@code url} talks to this broker.
 */
public final class ConnectorsPlugin implements BrokerPlugin {
    private ConnectorRuntime runtime;

    @Override
    public String keyPrefix() {
        return "connector.";
    }

    @Override
    public synchronized void start(Map<String, String> keys, String brokerUrl) throws Exception {
        ConnectorRuntime r = ConnectorRuntime.create(ConnectorConfig.parse(keys, brokerUrl),
                ConnectionFactories::heraldMq);
        r.start();
        runtime = r;
    }

    @Override
    public synchronized String report() {
        return runtime == null ? "" : runtime.report();
    }

    @Override
    public synchronized void close() {
        if (runtime != null) {
            runtime.stop();
        }
    }
}
