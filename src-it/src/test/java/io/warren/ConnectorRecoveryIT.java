package io.warren;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import io.warren.amqp.ConnectorRuntime;
import io.warren.amqp.OutboundMessage;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.NetworkLink;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection closed by the broker (here by {@code rabbitmqctl close_connection}) comes back by
 * itself, with its topology, and the publishes that were in flight when it dropped fail at once
 * instead of hanging.
 */
class ConnectorRecoveryIT {
    private final TestBroker broker = TestBroker.shared();
    private Connector connector;

    @AfterEach
    void stop() {
        if (connector != null) {
            connector.stop(Duration.ofSeconds(10));
        }
    }

    @Test
    void aClosedConnectionRecoversWithItsTopologyAndFailsTheMessagesItLost() throws Exception {
        broker.requireRabbitMq("rabbitmqctl close_connection");
        Rabbitmqctl ctl = Rabbitmqctl.forSharedBroker(broker, "close_connection");
        String name = CoreFixtures.uniqueName("drop");
        connector = Connector.create(CoreFixtures.config(broker, name, "rabbit_retry_interval", "1"));
        connector.start();
        ConnectorRuntime rt = connector.runtime();

        // An exclusive queue dies with its connection: only recovery can bring it back.
        String queue = name + ".q";
        rt.declare("queue:" + queue, ch -> {
            ch.queueDeclare(queue, false, true, true, null);
            ch.queueBind(queue, "amq.direct", queue);
        });

        // Publish without pause across the drop, so that messages are on the wire when it comes.
        List<CompletableFuture<Void>> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread publisher = new Thread(() -> {
            int i = 0;
            while (publishing.get()) {
                sent.add(rt.publisher().publish(message(queue, "m" + i++, false)));
            }
        }, "it-publisher");
        publisher.start();
        CoreFixtures.waitUntil(Duration.ofSeconds(10), "publishing under way", () -> sent.size() > 2000);
        for (String connection : connector.stats().connectionNames()) {
            assertThat(ctl.closeConnectionsNamed(connection, "warren test: connection drop")).isEqualTo(1);
        }
        CoreFixtures.waitUntil(Duration.ofSeconds(10), "drop noticed", () -> connector.state() != ConnectorState.RUNNING
                || connector.stats().reconnectCount() > 0);
        publishing.set(false);
        publisher.join(15_000);

        // Every future ends, none hangs: confirmed, or failed as lost in the drop.
        int confirmed = 0;
        int lost = 0;
        for (CompletableFuture<Void> f : sent) {
            try {
                f.get(15, TimeUnit.SECONDS);
                confirmed++;
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(PublishException.class);
                assertThat(((PublishException) e.getCause()).reason()).isEqualTo(PublishException.Reason.CONNECTION_LOST);
                lost++;
            }
        }
        assertThat(confirmed + lost).isEqualTo(sent.size());
        System.out.println("WARREN-IT: connection drop: " + sent.size() + " sent, " + confirmed + " confirmed, "
                + lost + " failed as lost");

        CoreFixtures.waitUntil(Duration.ofSeconds(10), "both connections recovered",
                () -> connector.state() == ConnectorState.RUNNING && connector.stats().reconnectCount() >= 2);

        // Topology intact: the mandatory message is routed to the recovered exclusive queue.
        rt.publisher().publish(message(queue, "after recovery", true)).get(10, TimeUnit.SECONDS);
        assertThat(ctl.listQueues()).filteredOn(q -> q.name().equals(queue))
                .singleElement().satisfies(q -> assertThat(q.messages()).isGreaterThanOrEqualTo(1));
    }

    @Test
    void messagesInFlightWhenTheConnectionDiesFailAtOnceNotAtTheirTimeout() throws Exception {
        String name = CoreFixtures.uniqueName("inflight");
        try (NetworkLink proxy = NetworkLink.start(broker.host(), broker.port())) {
            connector = Connector.create(CoreFixtures.configVia(broker, proxy.port(), name, "rabbit_retry_interval", "1",
                    "warren_publish_timeout_ms", "60000"));
            connector.start();
            ConnectorRuntime rt = connector.runtime();
            CoreFixtures.publishAndConfirm(rt);

            proxy.freeze(); // written to the socket, never confirmed
            List<CompletableFuture<Void>> inFlight = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                inFlight.add(rt.publisher().publish(CoreFixtures.message("in flight " + i)));
            }
            Thread.sleep(200);
            assertThat(inFlight).noneMatch(CompletableFuture::isDone);

            proxy.resetConnections(); // the connection dies under them
            proxy.thaw();
            for (CompletableFuture<Void> f : inFlight) {
                // Well inside their 60 s timeout: failed when the connection died, not timed out.
                assertThatThrownBy(() -> f.get(15, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(PublishException.class)
                        .satisfies(e -> assertThat(((PublishException) e).reason())
                                .isEqualTo(PublishException.Reason.CONNECTION_LOST));
            }

            CoreFixtures.waitUntil(Duration.ofSeconds(10), "recovered through the proxy",
                    () -> connector.state() == ConnectorState.RUNNING && connector.stats().reconnectCount() >= 1);
            CoreFixtures.publishAndConfirm(rt);
        }
    }

    static OutboundMessage message(String queue, String body, boolean mandatory) {
        return new OutboundMessage("amq.direct", queue, mandatory, new AMQP.BasicProperties(),
                body.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
    }
}
