package io.warren;

import java.time.Duration;
import java.util.List;

/**
 * A snapshot of what a connector is doing, for JMX and health endpoints. Plain values only; the
 * broker address carries no credentials and the last error no secrets.
 */
public final class ConnectorStats {
    private final String name;
    private final ConnectorState state;
    private final List<String> brokerAddresses;
    private final String connectedAddress;
    private final int negotiatedHeartbeatSeconds;
    private final Duration uptime;
    private final long reconnectCount;
    private final String lastError;
    private final boolean blocked;
    private final String blockedReason;
    private final int openChannels;
    private final int poolWaiters;
    private final long published;
    private final long confirmed;
    private final long nacked;
    private final long returned;
    private final long publishFailures;
    private final int rpcCallsInFlight;
    private final long consumerCancellations;
    private final long consumersResumed;
    private final long consumerChannelsReopened;
    private final List<String> connectionNames;

    ConnectorStats(Builder b) {
        this.name = b.name;
        this.state = b.state;
        this.brokerAddresses = List.copyOf(b.brokerAddresses);
        this.connectedAddress = b.connectedAddress;
        this.negotiatedHeartbeatSeconds = b.negotiatedHeartbeatSeconds;
        this.uptime = b.uptime;
        this.reconnectCount = b.reconnectCount;
        this.lastError = b.lastError;
        this.blocked = b.blocked;
        this.blockedReason = b.blockedReason;
        this.openChannels = b.openChannels;
        this.poolWaiters = b.poolWaiters;
        this.published = b.published;
        this.confirmed = b.confirmed;
        this.nacked = b.nacked;
        this.returned = b.returned;
        this.publishFailures = b.publishFailures;
        this.rpcCallsInFlight = b.rpcCallsInFlight;
        this.consumerCancellations = b.consumerCancellations;
        this.consumersResumed = b.consumersResumed;
        this.consumerChannelsReopened = b.consumerChannelsReopened;
        this.connectionNames = List.copyOf(b.connectionNames);
    }

    /** @return the connector's name */
    public String name() { return name; }
    /** @return the lifecycle state */
    public ConnectorState state() { return state; }
    /** @return every broker address of the transport URL, "host:port", no credentials */
    public List<String> brokerAddresses() { return brokerAddresses; }
    /** @return the address the publish connection is connected to, or "" */
    public String connectedAddress() { return connectedAddress; }
    /** @return the heartbeat the broker agreed to, in seconds (0 = off or not connected) */
    public int negotiatedHeartbeatSeconds() { return negotiatedHeartbeatSeconds; }
    /** @return time since the connector reached RUNNING, zero before */
    public Duration uptime() { return uptime; }
    /** @return how many times a connection was recovered */
    public long reconnectCount() { return reconnectCount; }
    /** @return the last error, secret-free, or "" */
    public String lastError() { return lastError; }
    /** @return whether the broker blocks publishers right now */
    public boolean blocked() { return blocked; }
    /** @return the broker's reason for blocking, or "" */
    public String blockedReason() { return blockedReason; }
    /** @return open publishing channels */
    public int openChannels() { return openChannels; }
    /** @return threads waiting for a publishing channel */
    public int poolWaiters() { return poolWaiters; }
    /** @return messages published */
    public long published() { return published; }
    /** @return messages the broker confirmed */
    public long confirmed() { return confirmed; }
    /** @return messages the broker nacked */
    public long nacked() { return nacked; }
    /** @return mandatory messages returned as unroutable */
    public long returned() { return returned; }
    /** @return publishes that failed (timeout, blocked, connection lost, pool exhausted) */
    public long publishFailures() { return publishFailures; }
    /** @return RPC calls waiting for their reply */
    public int rpcCallsInFlight() { return rpcCallsInFlight; }
    /** @return consumers the broker cancelled (queue deleted, node failed over); each is then consumed again */
    public long consumerCancellations() { return consumerCancellations; }
    /** @return consumers the broker cancelled that consume again (queue re-declared, same tag, same channel) */
    public long consumersResumed() { return consumersResumed; }
    /** @return consumer channels the broker closed alone (a delivery past {@code consumer_timeout}, say) and Warren opened again */
    public long consumerChannelsReopened() { return consumerChannelsReopened; }
    /** @return the client-provided names of the connector's broker connections */
    public List<String> connectionNames() { return connectionNames; }

    @Override
    public String toString() {
        return "ConnectorStats[" + name + " " + state + ", broker " + connectedAddress + ", heartbeat "
                + negotiatedHeartbeatSeconds + " s, reconnects " + reconnectCount + ", published " + published
                + ", confirmed " + confirmed + ", rpc in flight " + rpcCallsInFlight + ", consumers cancelled "
                + consumerCancellations + " / resumed " + consumersResumed + ", consumer channels reopened "
                + consumerChannelsReopened + "]";
    }

    /**
     * Assembles a snapshot: what the connector's engine uses, and what a test of code that reads
     * stats (a health page, say) can use. Every field not set keeps its empty value.
     */
    public static final class Builder {
        String name = "";
        ConnectorState state = ConnectorState.NEW;
        List<String> brokerAddresses = List.of();
        String connectedAddress = "";
        int negotiatedHeartbeatSeconds;
        Duration uptime = Duration.ZERO;
        long reconnectCount;
        String lastError = "";
        boolean blocked;
        String blockedReason = "";
        int openChannels;
        int poolWaiters;
        long published;
        long confirmed;
        long nacked;
        long returned;
        long publishFailures;
        int rpcCallsInFlight;
        long consumerCancellations;
        long consumersResumed;
        long consumerChannelsReopened;
        List<String> connectionNames = List.of();

        /** A builder with every field empty: state NEW, no addresses, zero counts. */
        public Builder() {
        }

        /**
         * @param v the connector's name
         * @return this builder
         */
        public Builder name(String v) { name = v; return this; }
        /**
         * @param v its state
         * @return this builder
         */
        public Builder state(ConnectorState v) { state = v; return this; }
        /**
         * @param v the URL's hosts, {@code host:port}
         * @return this builder
         */
        public Builder brokerAddresses(List<String> v) { brokerAddresses = v; return this; }
        /**
         * @param v where the publish connection is, or ""
         * @return this builder
         */
        public Builder connectedAddress(String v) { connectedAddress = v; return this; }
        /**
         * @param v the agreed heartbeat, seconds
         * @return this builder
         */
        public Builder negotiatedHeartbeatSeconds(int v) { negotiatedHeartbeatSeconds = v; return this; }
        /**
         * @param v how long it has served
         * @return this builder
         */
        public Builder uptime(Duration v) { uptime = v; return this; }
        /**
         * @param v connections recovered
         * @return this builder
         */
        public Builder reconnectCount(long v) { reconnectCount = v; return this; }
        /**
         * @param v the last error, secret-free (null: none)
         * @return this builder
         */
        public Builder lastError(String v) { lastError = v == null ? "" : v; return this; }
        /**
         * @param v whether the broker blocks publishing
         * @return this builder
         */
        public Builder blocked(boolean v) { blocked = v; return this; }
        /**
         * @param v the broker's reason (null: none)
         * @return this builder
         */
        public Builder blockedReason(String v) { blockedReason = v == null ? "" : v; return this; }
        /**
         * @param v open channels
         * @return this builder
         */
        public Builder openChannels(int v) { openChannels = v; return this; }
        /**
         * @param v threads waiting for a publishing channel
         * @return this builder
         */
        public Builder poolWaiters(int v) { poolWaiters = v; return this; }
        /**
         * @param v messages published
         * @return this builder
         */
        public Builder published(long v) { published = v; return this; }
        /**
         * @param v publishes confirmed
         * @return this builder
         */
        public Builder confirmed(long v) { confirmed = v; return this; }
        /**
         * @param v publishes nacked
         * @return this builder
         */
        public Builder nacked(long v) { nacked = v; return this; }
        /**
         * @param v publishes returned unroutable
         * @return this builder
         */
        public Builder returned(long v) { returned = v; return this; }
        /**
         * @param v publishes failed
         * @return this builder
         */
        public Builder publishFailures(long v) { publishFailures = v; return this; }
        /**
         * @param v RPC calls waiting for their reply
         * @return this builder
         */
        public Builder rpcCallsInFlight(int v) { rpcCallsInFlight = v; return this; }
        /**
         * @param v consumers the broker cancelled
         * @return this builder
         */
        public Builder consumerCancellations(long v) { consumerCancellations = v; return this; }
        /**
         * @param v cancelled consumers consuming again
         * @return this builder
         */
        public Builder consumersResumed(long v) { consumersResumed = v; return this; }
        /**
         * @param v consumer channels closed by the broker and opened again
         * @return this builder
         */
        public Builder consumerChannelsReopened(long v) { consumerChannelsReopened = v; return this; }
        /**
         * @param v the connections' client-provided names
         * @return this builder
         */
        public Builder connectionNames(List<String> v) { connectionNames = v; return this; }

        /** @return the snapshot */
        public ConnectorStats build() {
            return new ConnectorStats(this);
        }
    }
}
