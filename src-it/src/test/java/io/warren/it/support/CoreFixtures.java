package io.warren.it.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import io.warren.Connector;
import io.warren.ConnectorConfig;
import io.warren.ConnectorStoppedException;
import io.warren.amqp.ConnectorRuntime;
import io.warren.amqp.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** What the connector integration tests share: configs, names, probes. */
public final class CoreFixtures {
    private CoreFixtures() {
    }

    /** A unique connector name, so parallel or repeated runs never see each other's objects. */
    public static String uniqueName(String prefix) {
        return "it-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A config for the test broker with extra options given as name, value, name, value ... */
    public static ConnectorConfig config(TestBroker broker, String name, String... options) {
        return configVia(broker, broker.port(), name, options);
    }

    /** Like {@link #config} but connecting to another port (a {@link NetworkLink} in front of the broker). */
    public static ConnectorConfig configVia(TestBroker broker, int port, String name, String... options) {
        ConnectorConfig.Builder b = ConnectorConfig.builder()
                .transportUrl("rabbit://" + enc(broker.username()) + ":" + enc(broker.password()) + "@"
                        + broker.host() + ":" + port + "/" + enc(broker.virtualHost()))
                .name(name)
                .option("warren_connection_timeout_ms", "2000");
        if (broker.isEmbedded()) {
            // Broker-J reads AMQP expiration as an absolute time and would drop every call.
            b.option("warren_call_expiration", "false");
        }
        for (int i = 0; i < options.length; i += 2) {
            b.option(options[i], options[i + 1]);
        }
        return b.build();
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A small message to the default exchange; routed nowhere, confirmed all the same. */
    public static OutboundMessage message(String body) {
        return new OutboundMessage("", "warren-it-nowhere", false, new AMQP.BasicProperties(),
                body.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
    }

    /** Publishes one message and waits (bounded) for the broker's confirm. */
    public static void publishAndConfirm(ConnectorRuntime runtime) {
        try {
            runtime.publisher().publish(message("probe")).get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("publish was not confirmed: " + e, e);
        }
    }

    /** Polls until the condition holds; fails naming {@code what} when it does not within the bound. */
    public static void waitUntil(Duration bound, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + bound.toMillis() + " ms: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /** Live threads of the connector named {@code name}. */
    public static List<String> liveThreads(String name) {
        List<String> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("warren-" + name + "-")) {
                out.add(t.getName());
            }
        }
        return out;
    }

    /** Live threads amqp-client would have made under its own names (Warren should have made none). */
    public static List<String> liveAmqpClientThreads() {
        List<String> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            if (t.isAlive() && (n.startsWith("AMQP Connection") || n.startsWith("pool-") || n.startsWith("rabbitmq-"))) {
                out.add(n);
            }
        }
        return out;
    }

    /** The connector's connections as the broker sees them: name and client port (a reconnect changes the port). */
    public static List<String> brokerSideConnections(TestBroker broker, Connector connector) {
        if (!broker.isRabbitMq()) {
            // Broker-J has no CLI; the client-side names plus the reconnect count stand in.
            return new ArrayList<>(connector.stats().connectionNames());
        }
        List<String> out = new ArrayList<>();
        for (Rabbitmqctl.ConnectionInfo c : Rabbitmqctl.forSharedBroker(broker, "list_connections").listConnections()) {
            String clientName = c.connectionName();
            if (clientName != null && clientName.startsWith(connector.name() + " ")) {
                out.add(clientName + " @ " + c.name());
            }
        }
        assertThat(out).as("broker-side connections of " + connector.name()).hasSize(2);
        out.sort(null);
        return out;
    }

    /** Every way of handing work to a stopped connector is refused with a clear error. */
    public static void assertRefusesWork(ConnectorRuntime runtime) {
        assertThatThrownBy(runtime::publisher)
                .isInstanceOf(ConnectorStoppedException.class)
                .hasMessageContaining(runtime.name())
                .hasMessageContaining("takes no work");
    }
}
