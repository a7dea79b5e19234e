package io.warren;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.it.support.CoreFixtures;
import io.warren.it.support.NetworkLink;
import io.warren.it.support.TestBroker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * After stop, no thread the connector made is alive (every thread of the JVM is enumerated),
 * also when stop comes while amqp-client is recovering against an address that refuses.
 */
class ConnectorStopIT {
    private final TestBroker broker = TestBroker.shared();

    @Test
    void aStoppedConnectorLeavesNoThreadAndRefusesWork() {
        String name = CoreFixtures.uniqueName("stop");
        Connector connector = Connector.create(CoreFixtures.config(broker, name));
        connector.start();
        CoreFixtures.publishAndConfirm(connector.runtime());
        assertThat(CoreFixtures.liveThreads(name)).isNotEmpty();

        // Start again: nothing happens, the same connections serve on.
        java.util.List<String> connections = connector.stats().connectionNames();
        connector.start();
        assertThat(connector.state()).isEqualTo(ConnectorState.RUNNING);
        assertThat(connector.stats().connectionNames()).isEqualTo(connections);
        assertThat(connector.stats().reconnectCount()).isZero();

        connector.stop(Duration.ofSeconds(10));

        assertThat(connector.state()).isEqualTo(ConnectorState.STOPPED);
        assertThat(CoreFixtures.liveThreads(name)).isEmpty();
        assertThat(CoreFixtures.liveAmqpClientThreads()).isEmpty();
        CoreFixtures.assertRefusesWork(connector.runtime());

        connector.stop(Duration.ofSeconds(1)); // again: nothing to do
        assertThat(connector.state()).isEqualTo(ConnectorState.STOPPED);
    }

    @Test
    void stopDuringARecoveryAgainstAnUnreachableBrokerLeavesNoThread() throws Exception {
        String name = CoreFixtures.uniqueName("stop-recovering");
        try (NetworkLink proxy = NetworkLink.start(broker.host(), broker.port())) {
            Connector connector = Connector.create(CoreFixtures.configVia(broker, proxy.port(), name,
                    "rabbit_retry_interval", "1", "heartbeat_timeout_threshold", "2"));
            connector.start();

            proxy.kill(); // the broker is gone and its port refuses
            CoreFixtures.waitUntil(Duration.ofSeconds(10), "recovery in progress",
                    () -> connector.state() == ConnectorState.RECOVERING);
            Thread.sleep(1500); // let amqp-client sit between two failed attempts

            connector.stop(Duration.ofSeconds(10));

            assertThat(connector.state()).isEqualTo(ConnectorState.STOPPED);
            assertThat(CoreFixtures.liveThreads(name)).isEmpty();
            assertThat(CoreFixtures.liveAmqpClientThreads()).isEmpty();
        }
    }
}
