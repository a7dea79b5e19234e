package io.warren;

import java.util.List;

/**
 * A connector seen through JMX ({@code io.warren:type=Connector,name=<name>}): plain getters, no
 * secrets. The one operation that changes anything, {@link #reconnect()}, is refused unless
 * {@code warren_jmx_write_operations=true}.
 */
public interface ConnectorMXBean {
    String getName();

    String getState();

    /** @return UP, DEGRADED or DOWN */
    String getHealth();

    List<String> getHealthReasons();

    List<String> getBrokerAddresses();

    String getConnectedAddress();

    int getNegotiatedHeartbeatSeconds();

    long getUptimeSeconds();

    long getReconnectCount();

    String getLastError();

    boolean isBlocked();

    String getBlockedReason();

    int getOpenChannels();

    int getPoolWaiters();

    long getPublished();

    long getConfirmed();

    long getNacked();

    long getReturned();

    long getPublishFailures();

    int getRpcCallsInFlight();

    List<String> getConnectionNames();

    /** Drops both connections so amqp-client's recovery opens new ones; refused unless enabled. */
    void reconnect();
}
