package io.warren.jmx;

import io.warren.Connector;
import io.warren.ConnectorMXBean;
import io.warren.ConnectorStats;
import io.warren.WarrenException;
import java.lang.management.ManagementFactory;
import java.util.List;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers a connector's MXBean in the platform MBean server as
 * {@code io.warren:type=Connector,name=<quoted name>}, or, for a webapp's connector,
 * {@code io.warren:type=Connector,context=<quoted context path>,name=<quoted name>};
 * {@link #close()} unregisters it. Registered first and unregistered first by whoever owns the
 * connector, so a failed or lazy start is visible too. Query {@code io.warren:type=Connector,*}
 * to find them all.
 */
public final class ConnectorJmx implements AutoCloseable {
    private final MBeanServer server;
    private final ObjectName name;

    private ConnectorJmx(MBeanServer server, ObjectName name) {
        this.server = server;
        this.name = name;
    }

    /**
     * @param connectorName the connector's name
     * @return the ObjectName a connector of this name is registered under
     */
    public static ObjectName objectName(String connectorName) {
        return objectName(null, connectorName);
    }

    /**
     * @param contextPath the owning webapp's context path ({@code ""} for the root webapp, shown as
     *        {@code /}), or null outside a webapp
     * @param connectorName the connector's name
     * @return the ObjectName a webapp's connector of this name is registered under
     */
    public static ObjectName objectName(String contextPath, String connectorName) {
        String context = contextPath == null ? "" : ",context=" + ObjectName.quote(contextPath.isEmpty() ? "/" : contextPath);
        try {
            return new ObjectName("io.warren:type=Connector" + context + ",name=" + ObjectName.quote(connectorName));
        } catch (JMException e) {
            throw new IllegalArgumentException("no JMX name for connector '" + connectorName + "': " + e.getMessage(), e);
        }
    }

    /**
     * Registers the connector's {@link ConnectorMXBean} in the platform MBean server.
     *
     * @param connector the connector to show
     * @return the registration; close it to unregister
     * @throws WarrenException when the name is taken (two connectors of one name in one JVM)
     */
    public static ConnectorJmx register(Connector connector) {
        return register(connector, null);
    }

    /**
     * Registers a webapp's connector, its context path part of the ObjectName.
     *
     * @param connector the connector to show
     * @param contextPath the owning webapp's context path, part of the ObjectName
     * @return the registration; close it to unregister
     * @throws WarrenException when the name is taken
     */
    public static ConnectorJmx register(Connector connector, String contextPath) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = objectName(contextPath, connector.name());
        try {
            server.registerMBean(new View(connector), name);
        } catch (JMException e) {
            throw new WarrenException(connector.name() + " - cannot register " + name + " in JMX: " + e.getMessage()
                    + " (is another connector of the same name running in this JVM? set warren.name)", e);
        }
        return new ConnectorJmx(server, name);
    }

    /** @return where it is registered */
    public ObjectName name() {
        return name;
    }

    @Override
    public void close() {
        try {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (JMException e) {
            // already gone
        }
    }

    /** The MXBean: reads a fresh stats snapshot on every get. */
    private static final class View implements ConnectorMXBean {
        private final Connector connector;

        View(Connector connector) {
            this.connector = connector;
        }

        private ConnectorStats s() {
            return connector.stats();
        }

        @Override public String getName() { return connector.name(); }
        @Override public String getState() { return connector.state().name(); }
        @Override public String getHealth() { return connector.health().status().name(); }
        @Override public List<String> getHealthReasons() { return connector.health().reasons(); }
        @Override public List<String> getBrokerAddresses() { return s().brokerAddresses(); }
        @Override public String getConnectedAddress() { return s().connectedAddress(); }
        @Override public int getNegotiatedHeartbeatSeconds() { return s().negotiatedHeartbeatSeconds(); }
        @Override public long getUptimeSeconds() { return s().uptime().toSeconds(); }
        @Override public long getReconnectCount() { return s().reconnectCount(); }
        @Override public String getLastError() { return s().lastError(); }
        @Override public boolean isBlocked() { return s().blocked(); }
        @Override public String getBlockedReason() { return s().blockedReason(); }
        @Override public int getOpenChannels() { return s().openChannels(); }
        @Override public int getPoolWaiters() { return s().poolWaiters(); }
        @Override public long getPublished() { return s().published(); }
        @Override public long getConfirmed() { return s().confirmed(); }
        @Override public long getNacked() { return s().nacked(); }
        @Override public long getReturned() { return s().returned(); }
        @Override public long getPublishFailures() { return s().publishFailures(); }
        @Override public int getRpcCallsInFlight() { return s().rpcCallsInFlight(); }
        @Override public long getConsumerCancellations() { return s().consumerCancellations(); }
        @Override public long getConsumersResumed() { return s().consumersResumed(); }
        @Override public long getConsumerChannelsReopened() { return s().consumerChannelsReopened(); }
        @Override public List<String> getConnectionNames() { return s().connectionNames(); }

        @Override
        public List<String> getOptions() {
            List<String> lines = new java.util.ArrayList<>();
            connector.config().options().forEach((option, value) -> lines.add(option + "=" + value));
            return lines;
        }

        @Override
        public void reconnect() {
            if (!connector.config().jmxWriteOperations()) {
                throw new UnsupportedOperationException(connector.name()
                        + " - JMX write operations are off (set warren_jmx_write_operations=true to allow reconnect)");
            }
            connector.reconnect();
        }
    }
}
