package io.warren.it.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warren.Connector;
import io.warren.NotificationEndpoint;
import io.warren.NotificationFilter;
import io.warren.RequestContext;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.TestBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Warren's notifier and listener together: priorities, filters, requeue, pools, both formats. */
class NotificationIT {
    private final TestBroker broker = TestBroker.shared();
    private Connector connector;
    private String exchange;
    private String topic;

    @BeforeEach
    void start() {
        String name = CoreFixtures.uniqueName("notify");
        exchange = name + "-x";
        topic = name + "-n";
        connector = Connector.create(CoreFixtures.config(broker, name, "control_exchange", exchange,
                "driver", "messagingv2,messaging", "topics", topic));
        connector.start();
    }

    @AfterEach
    void stop() throws Exception {
        connector.stop(Duration.ofSeconds(10));
        try (Connection c = broker.connectionFactory().newConnection()) {
            for (String q : List.of(topic + ".info", topic + ".error", topic + "-pool-a", topic + "-pool-b")) {
                try (Channel ch = c.createChannel()) {
                    ch.queueDelete(q);
                } catch (Exception e) {
                    // not there
                }
            }
        }
    }

    @Test
    void listenersGetTheirPrioritiesFilteredRequeuedAndPooled() {
        List<String> infos = new CopyOnWriteArrayList<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        List<String> poolA = new CopyOnWriteArrayList<>();
        List<String> poolB = new CopyOnWriteArrayList<>();
        AtomicInteger firstTries = new AtomicInteger();

        connector.notificationListener(null, true, new NotificationEndpoint() {
            @Override
            public Result info(RequestContext ctx, String publisher, String event, Object payload, Map<String, Object> md) {
                // Refused once, then handled: the broker delivers it again.
                if (event.endsWith(".retry") && firstTries.getAndIncrement() == 0) {
                    return Result.REQUEUE;
                }
                infos.add(event + "|" + ctx.requestId());
                return Result.HANDLED;
            }
        }, new NotificationEndpoint() {
            @Override
            public NotificationFilter filter() {
                return NotificationFilter.all().eventType("volume\\.");
            }

            @Override
            public Result error(RequestContext ctx, String publisher, String event, Object payload, Map<String, Object> md) {
                errors.add(event);
                return Result.HANDLED;
            }
        });
        connector.notificationListener(topic + "-pool-a", false, new Recorder(poolA));
        connector.notificationListener(topic + "-pool-b", false, new Recorder(poolB));

        var notifier = connector.notifier("it.host1");
        notifier.info(Map.of("request_id", "req-a"), "compute.create", Map.of("id", 1));
        notifier.info(Map.of("request_id", "req-b"), "compute.retry", Map.of("id", 2));
        notifier.error(Map.of(), "volume.failed", Map.of("id", 3));
        notifier.error(Map.of(), "compute.failed", Map.of("id", 4)); // filtered out

        // Two drivers (v2 and v1) send every notification twice; both formats are read alike.
        try {
            CoreFixtures.waitUntil(Duration.ofSeconds(15), "notifications handled",
                    () -> infos.size() == 4 && errors.size() == 2 && poolA.size() == 8 && poolB.size() == 8);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": infos " + infos + ", errors " + errors + ", pool a " + poolA
                    + ", pool b " + poolB + ", first tries " + firstTries);
        }
        assertThat(infos).containsExactlyInAnyOrder("compute.create|req-a", "compute.create|req-a",
                "compute.retry|req-b", "compute.retry|req-b");
        assertThat(firstTries.get()).isEqualTo(3);
        assertThat(errors).containsExactly("volume.failed", "volume.failed");
    }

    private static final class Recorder implements NotificationEndpoint {
        private final List<String> seen;

        Recorder(List<String> seen) {
            this.seen = seen;
        }

        @Override
        public Result info(RequestContext ctx, String publisher, String event, Object payload, Map<String, Object> md) {
            seen.add(event);
            return Result.HANDLED;
        }

        @Override
        public Result error(RequestContext ctx, String publisher, String event, Object payload, Map<String, Object> md) {
            seen.add(event);
            return Result.HANDLED;
        }
    }
}
