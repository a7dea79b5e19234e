package io.warren;

import java.util.List;

/**
 * A connector seen through JMX ({@code io.warren:type=Connector,name=<name>}): plain getters, no
 * secrets. The one operation that changes anything, {@link #reconnect()}, is refused unless
 * {@code warren_jmx_write_operations=true}.
 */
public interface ConnectorMXBean {
    /** @return the connector's name */
    String getName();

    /** @return the {@link ConnectorState}, e.g. RUNNING */
    String getState();

    /** @return UP, DEGRADED or DOWN */
    String getHealth();

    /** @return why the health is not UP; empty when UP */
    List<String> getHealthReasons();

    /** @return the transport URL's hosts as {@code host:port}, in the order connections try them */
    List<String> getBrokerAddresses();

    /** @return the broker address the publish connection is on; empty when not connected */
    String getConnectedAddress();

    /** @return the heartbeat the broker agreed to, in seconds; 0 when off or not connected */
    int getNegotiatedHeartbeatSeconds();

    /** @return seconds since the connector started serving; 0 when it is not serving */
    long getUptimeSeconds();

    /** @return connections recovered since start, both connections counted */
    long getReconnectCount();

    /** @return the last error, without secrets; empty when none */
    String getLastError();

    /** @return whether the broker blocks publishing (a resource alarm) */
    boolean isBlocked();

    /** @return the broker's reason for blocking; empty when not blocked */
    String getBlockedReason();

    /** @return open channels: the publishing pool's and the consumers' */
    int getOpenChannels();

    /** @return threads waiting for a free publishing channel now */
    int getPoolWaiters();

    /** @return messages published since start */
    long getPublished();

    /** @return publishes the broker confirmed */
    long getConfirmed();

    /** @return publishes the broker refused (nack) */
    long getNacked();

    /** @return mandatory publishes the broker returned as unroutable */
    long getReturned();

    /** @return publishes that failed, whatever the reason */
    long getPublishFailures();

    /** @return RPC calls waiting for their reply now */
    int getRpcCallsInFlight();

    /** @return consumers the broker cancelled (queue deleted, node failed over) since start */
    long getConsumerCancellations();

    /** @return of those, how many consume again (queue re-declared on the same channel) */
    long getConsumersResumed();

    /** @return consumer channels the broker closed alone (a delivery past its consumer_timeout) and Warren opened again */
    long getConsumerChannelsReopened();

    /** @return the client-provided names of the broker connections, as the broker shows them */
    List<String> getConnectionNames();

    /**
     * @return every option as {@code name=value}, from the option table ({@link ConfigOption#all()}):
     *         the effective value, set or default, transport URLs with their passwords masked
     */
    List<String> getOptions();

    /** Drops both connections so amqp-client's recovery opens new ones; refused unless enabled. */
    void reconnect();
}
