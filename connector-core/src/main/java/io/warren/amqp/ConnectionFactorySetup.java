package io.warren.amqp;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultSaslConfig;
import io.warren.ConnectorConfig;
import io.warren.TransportUrl;
import io.warren.metrics.MetricsRecorder;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The oslo options, as amqp-client's {@link ConnectionFactory} settings: credentials, vhost,
 * heartbeat, time-outs, automatic recovery with oslo's back-off, TLS, SASL, and the connector's
 * own executors and thread factory, so amqp-client starts no thread Warren does not own.
 */
final class ConnectionFactorySetup {
    private ConnectionFactorySetup() {
    }

    /**
     * @param clientProperties shown by the broker ({@code rabbitmqctl list_connections client_properties})
     *        beside amqp-client's own
     */
    static ConnectionFactory create(ConnectorConfig config, String name, OwnedThreads threads,
                                    OwnedExecutors executors, MetricsRecorder metrics,
                                    Map<String, Object> clientProperties) throws IOException {
        ConnectionFactory f = new ConnectionFactory();
        TransportUrl url = config.transportUrl();
        f.setUsername(config.username());
        f.setPassword(config.password());
        f.setVirtualHost(url.virtualHost());
        f.setRequestedHeartbeat(config.heartbeatTimeoutThreshold());
        int connectMs = (int) config.connectionTimeout().toMillis();
        f.setConnectionTimeout(connectMs);
        f.setHandshakeTimeout(connectMs);
        // Every AMQP method call (declare, bind, close) waits at most this long, so no thread
        // hangs on a broker that stopped answering.
        f.setChannelRpcTimeout(connectMs);
        f.setShutdownTimeout(connectMs);
        f.setAutomaticRecoveryEnabled(true);
        f.setTopologyRecoveryEnabled(true);
        f.setRecoveryDelayHandler(new ReconnectBackoff(config.retryInterval(), config.retryBackoff(), config.intervalMax()));
        f.setThreadFactory(threads.factory("io"));
        f.setHeartbeatExecutor(executors.heartbeat());
        f.setSharedExecutor(executors.consumer());
        f.setShutdownExecutor(executors.shutdownWork());
        f.setTopologyRecoveryExecutor(executors.recovery());
        f.setExceptionHandler(new QuietExceptionHandler(name));
        f.setMetricsCollector(metrics.amqpCollector());
        if ("EXTERNAL".equalsIgnoreCase(config.loginMethod())) {
            f.setSaslConfig(DefaultSaslConfig.EXTERNAL);
        }
        if (config.ssl()) {
            TlsSetup.apply(f, config, url.hosts().isEmpty() ? "localhost" : url.hosts().get(0).hostname());
        }
        Map<String, Object> props = new HashMap<>(f.getClientProperties());
        props.putAll(clientProperties);
        f.setClientProperties(props);
        return f;
    }
}
