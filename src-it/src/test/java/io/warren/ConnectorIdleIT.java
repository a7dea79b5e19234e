package io.warren;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.amqp.ConnectorRuntime;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.TestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats never depend on the application: the nova-api failure (heartbeats stopped while the
 * worker was idle, the broker dropped the connection) must not happen, neither when the
 * application is idle nor when every application thread is busy or blocked.
 */
class ConnectorIdleIT {
    private final TestBroker broker = TestBroker.shared();
    private final List<String> stateChanges = new CopyOnWriteArrayList<>();
    private Connector connector;

    @AfterEach
    void stop() {
        if (connector != null) {
            connector.stop(Duration.ofSeconds(10));
        }
    }

    private Connector startWithTwoSecondHeartbeat(String name) {
        connector = Connector.builder(CoreFixtures.config(broker, name, "heartbeat_timeout_threshold", "2"))
                .stateListener((c, from, to) -> stateChanges.add(from + "->" + to))
                .build();
        connector.start();
        assertThat(connector.stats().negotiatedHeartbeatSeconds()).isEqualTo(2);
        stateChanges.clear();
        return connector;
    }

    @Test
    void anIdleConnectorKeepsItsConnectionsForFiveHeartbeatIntervals() throws Exception {
        Connector c = startWithTwoSecondHeartbeat(CoreFixtures.uniqueName("idle"));
        List<String> before = CoreFixtures.brokerSideConnections(broker, c);

        Thread.sleep(10_000);

        assertThat(CoreFixtures.brokerSideConnections(broker, c)).isEqualTo(before);
        assertThat(stateChanges).isEmpty();
        assertThat(c.stats().reconnectCount()).isZero();
        assertThat(c.state()).isEqualTo(ConnectorState.RUNNING);
        CoreFixtures.publishAndConfirm(runtime(c));
    }

    @Test
    void heartbeatsFlowWhileEveryApplicationThreadIsBusyOrBlocked() throws Exception {
        Connector c = startWithTwoSecondHeartbeat(CoreFixtures.uniqueName("busy"));
        List<String> before = CoreFixtures.brokerSideConnections(broker, c);

        // The "request threads": some blocked on a lock nobody releases, some spinning on the CPU.
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean spin = new AtomicBoolean(true);
        List<Thread> app = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            app.add(new Thread(() -> awaitQuietly(never), "app-blocked-" + i));
        }
        for (int i = 0; i < 2; i++) {
            app.add(new Thread(() -> {
                while (spin.get()) {
                    Thread.onSpinWait();
                }
            }, "app-busy-" + i));
        }
        app.forEach(Thread::start);
        try {
            // The test thread itself is an application thread too: it blocks here.
            assertThat(never.await(10, TimeUnit.SECONDS)).isFalse();
        } finally {
            spin.set(false);
            never.countDown();
            for (Thread t : app) {
                t.join(5000);
            }
        }

        assertThat(CoreFixtures.brokerSideConnections(broker, c)).isEqualTo(before);
        assertThat(stateChanges).isEmpty();
        assertThat(c.stats().reconnectCount()).isZero();
        CoreFixtures.publishAndConfirm(runtime(c));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static ConnectorRuntime runtime(Connector c) {
        return c.runtime();
    }
}
