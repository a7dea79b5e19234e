package io.warren.amqp;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.recovery.AutorecoveringConnection;
import io.warren.ConnectorConfig;
import io.warren.TransportUrl;
import io.warren.metrics.MetricsRecorder;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connector's two broker connections, one to publish and one to consume (so a blocked
 * publisher never stalls deliveries), over the URL's hosts in oslo's order. Each says who owns
 * it: a client-provided name and client properties with the owner, host, process id and a
 * per-instance generation. When the process id changes under it (a JVM restored from a
 * checkpoint), the inherited sockets are handed to amqp-client's recovery rather than shared.
 */
final class BrokerConnections {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerConnections.class);

    private final ConnectorConfig config;
    private final String name;
    private final String owner;
    private final String generation = UUID.randomUUID().toString().substring(0, 8);
    private final LongSupplier pidSource;
    private final FailoverAddresses addresses;
    private final PublishGate gate;
    private final RecoveryWatch watch;
    private volatile long connectedPid;
    private volatile Connection publish;
    private volatile Connection consume;

    /**
     * @param owner what owns the connector beyond its name (a webapp's context path), or null
     * @param pidSource the current process id
     */
    BrokerConnections(ConnectorConfig config, String owner, LongSupplier pidSource, PublishGate gate,
                      RecoveryWatch watch) {
        this.config = config;
        this.name = config.name();
        this.owner = owner;
        this.pidSource = pidSource;
        this.gate = gate;
        this.watch = watch;
        List<Address> list = new ArrayList<>();
        for (TransportUrl.Host h : config.transportUrl().hosts()) {
            list.add(new Address(h.hostname(), h.port()));
        }
        if (list.isEmpty()) {
            list.add(new Address("localhost", config.transportUrl().isTls() ? 5671 : 5672));
        }
        this.addresses = new FailoverAddresses(list, config.failoverStrategy());
    }

    /** Opens both connections, each watched by the {@link RecoveryWatch}. */
    void open(OwnedThreads threads, OwnedExecutors executors, MetricsRecorder metrics)
            throws IOException, TimeoutException {
        connectedPid = pidSource.getAsLong();
        ConnectionFactory f = ConnectionFactorySetup.create(config, name, threads, executors, metrics, clientProperties());
        publish = f.newConnection(executors.consumer(), addresses, connectionName("publish"));
        watch.watch(publish, "publish", this::allOpen);
        consume = f.newConnection(executors.consumer(), addresses, connectionName("consume"));
        watch.watch(consume, "consume", this::allOpen);
    }

    Connection publishConnection() {
        return publish;
    }

    Connection consumeConnection() {
        return consume;
    }

    private boolean allOpen() {
        return publish.isOpen() && consume.isOpen();
    }

    private Map<String, Object> clientProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("warren_owner", name);
        props.put("warren_host", hostName());
        props.put("warren_pid", Long.toString(connectedPid));
        props.put("warren_generation", generation);
        if (owner != null) {
            props.put("warren_context", owner);
        }
        return props;
    }

    private String connectionName(String role) {
        return name + " " + role + " (" + (owner == null ? "" : "context=" + owner + " ") + "host=" + hostName()
                + " pid=" + connectedPid + " gen=" + generation + ")";
    }

    /** Closes both, each within what is left until the deadline; aborts one that will not close. */
    void close(long deadlineNanos) {
        for (Connection c : new Connection[] {publish, consume}) {
            if (c == null) {
                continue;
            }
            int ms = (int) Math.max(100, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
            try {
                c.close(ms);
            } catch (IOException | RuntimeException e) {
                // Typical during a recovery (AlreadyClosedException): abort also ends the
                // recovery loop, which checks for a manual close between attempts.
                c.abort(ms);
            }
        }
    }

    /** Hands both connections to amqp-client's recovery, as a lost socket would. */
    void reconnect() {
        LOG.info("{} - reconnecting on request", name);
        gate.close(PublishGate.Closure.RECOVERING, "reconnect requested");
        handToRecovery("reconnect requested");
    }

    /** Drops the inherited connections when the process id changed since they were opened. */
    void checkProcess() {
        long now = pidSource.getAsLong();
        if (now == connectedPid) {
            return;
        }
        synchronized (this) {
            if (now == connectedPid) {
                return;
            }
            LOG.warn("{} - process id changed from {} to {} (a restored checkpoint?); dropping the inherited "
                    + "connections and reconnecting", name, connectedPid, now);
            connectedPid = now;
            // Closed before the sockets go, so this very publish waits for the recovery
            // instead of meeting a dead channel.
            gate.close(PublishGate.Closure.RECOVERING, "process id changed");
            handToRecovery("process id changed; socket not ours");
        }
    }

    private void handToRecovery(String why) {
        for (Connection c : List.of(publish, consume)) {
            if (c instanceof AutorecoveringConnection arc) {
                // An I/O error, unlike close(), hands the connection to amqp-client's recovery.
                arc.getDelegate().handleIoError(new IOException(why));
            }
        }
    }

    /** @return the URL's hosts in their shuffled base order, "host:port" */
    List<String> addresses() {
        return addresses.describe();
    }

    /** @return the broker address the publish connection is on, or "" when it is not open */
    String connectedAddress() {
        Connection c = publish;
        return c != null && c.isOpen() ? c.getAddress().getHostAddress() + ":" + c.getPort() : "";
    }

    /** @return the heartbeat the broker agreed to, in seconds; 0 when not connected */
    int negotiatedHeartbeat() {
        Connection c = publish;
        return c != null && c.isOpen() ? c.getHeartbeat() : 0;
    }

    /** @return the client-provided names of the connections opened so far */
    List<String> names() {
        List<String> names = new ArrayList<>();
        for (Connection c : new Connection[] {publish, consume}) {
            if (c != null && c.getClientProvidedName() != null) {
                names.add(c.getClientProvidedName());
            }
        }
        return names;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
