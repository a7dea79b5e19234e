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
 * {@code io.warren:type=Connector,context=<quoted context path>,name=<quoted name>}, with
 * {@code version=<quoted version>} after the context when the container runs several versions of
 * the webapp at one path (Tomcat's parallel deployment, {@code app##002.war});
 * {@link #close()} unregisters it. Registered first and unregistered first by whoever owns the
 * connector, so a failed or lazy start is visible too. Query {@code io.warren:type=Connector,*}
 * to find them all.
 *
 * <p>A webapp's name that is taken anyway (the same context path on two virtual hosts, a
 * container that runs two copies without telling the version) gets an {@code instance=<n>} key
 * ({@code 2}, {@code 3}, ...) and one WARN, rather than failing the deployment.
 */
public final class ConnectorJmx implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConnectorJmx.class);
    /** How many {@code instance} keys a webapp's registration tries before it gives up. */
    private static final int MAX_INSTANCES = 100;

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
        return objectName(contextPath, null, connectorName);
    }

    /**
     * @param contextPath the owning webapp's context path ({@code ""} for the root webapp, shown as
     *        {@code /}), or null outside a webapp
     * @param version the webapp's version when the container runs several at one context path
     *        (Tomcat's {@code app##001}: {@code 001}), or null or empty
     * @param connectorName the connector's name
     * @return {@code io.warren:type=Connector,context="/app",version="001",name="..."}
     */
    public static ObjectName objectName(String contextPath, String version, String connectorName) {
        return objectName(contextPath, version, connectorName, 1);
    }

    private static ObjectName objectName(String contextPath, String version, String connectorName, int instance) {
        String context = contextPath == null ? "" : ",context=" + ObjectName.quote(contextPath.isEmpty() ? "/" : contextPath);
        String v = version == null || version.isEmpty() ? "" : ",version=" + ObjectName.quote(version);
        String n = instance == 1 ? "" : ",instance=" + instance;
        try {
            return new ObjectName("io.warren:type=Connector" + context + v + n + ",name=" + ObjectName.quote(connectorName));
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
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = objectName(connector.name());
        try {
            server.registerMBean(new View(connector), name);
        } catch (JMException e) {
            throw new WarrenException(connector.name() + " - cannot register " + name + " in JMX: " + e.getMessage()
                    + " (is another connector of the same name running in this JVM? set warren.name)", e);
        }
        return new ConnectorJmx(server, name);
    }

    /**
     * Registers a webapp's connector, its context path part of the ObjectName; when that name is
     * taken, under the first free {@code instance} key.
     *
     * @param connector the connector to show
     * @param contextPath the owning webapp's context path, part of the ObjectName
     * @return the registration; close it to unregister
     * @throws WarrenException when JMX refuses the MXBean for another reason
     */
    public static ConnectorJmx register(Connector connector, String contextPath) {
        return register(connector, contextPath, null);
    }

    /**
     * Registers one version of a webapp's connector: context path and version part of the
     * ObjectName, so that two versions at one context path (Tomcat's {@code app##001.war} and
     * {@code app##002.war}) run side by side; when that name is taken, under the first free
     * {@code instance} key, with one WARN.
     *
     * @param connector the connector to show
     * @param contextPath the owning webapp's context path
     * @param version the webapp's version, or null or empty when the container gives none
     * @return the registration; close it to unregister
     * @throws WarrenException when JMX refuses the MXBean for another reason
     */
    public static ConnectorJmx register(Connector connector, String contextPath, String version) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName first = objectName(contextPath, version, connector.name());
        for (int instance = 1; instance <= MAX_INSTANCES; instance++) {
            ObjectName name = objectName(contextPath, version, connector.name(), instance);
            try {
                server.registerMBean(new View(connector), name);
                if (instance > 1) {
                    LOG.warn("{} - {} is taken in JMX (the same context path and warren.name twice in this JVM,"
                            + " e.g. on two virtual hosts); registered as {}", connector.name(), first, name);
                }
                return new ConnectorJmx(server, name);
            } catch (javax.management.InstanceAlreadyExistsException taken) {
                // the next instance number
            } catch (JMException e) {
                throw new WarrenException(connector.name() + " - cannot register " + name + " in JMX: " + e.getMessage(), e);
            }
        }
        throw new WarrenException(connector.name() + " - cannot register " + first + " in JMX: it and "
                + (MAX_INSTANCES - 1) + " instance numbers are taken (set warren.name)");
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
