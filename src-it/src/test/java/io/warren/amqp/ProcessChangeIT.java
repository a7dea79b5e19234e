package io.warren.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.ConnectorState;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.TestBroker;
import io.warren.metrics.MetricsRecorder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Java's form of a fork: a JVM restored from a checkpoint runs under a new process id with
 * sockets it inherited. The connector must not share them: it drops them and reconnects.
 */
class ProcessChangeIT {
    private final TestBroker broker = TestBroker.shared();

    @Test
    void aNewProcessIdDropsTheInheritedConnectionsAndReconnects() throws Exception {
        AtomicLong pid = new AtomicLong(1000);
        ConnectorRuntime rt = new ConnectorRuntime(CoreFixtures.config(broker, CoreFixtures.uniqueName("pid")),
                MetricsRecorder.noop(), (from, to) -> { }, pid::get);
        rt.start();
        try {
            CoreFixtures.publishAndConfirm(rt);
            assertThat(rt.stats().reconnectCount()).isZero();

            pid.set(2000); // "restored" under another pid

            // The next publish notices, hands both connections to recovery, and waits for it.
            CoreFixtures.publishAndConfirm(rt);
            CoreFixtures.waitUntil(Duration.ofSeconds(10), "both connections replaced",
                    () -> rt.stats().reconnectCount() >= 2 && rt.state() == ConnectorState.RUNNING);
        } finally {
            rt.stop(Duration.ofSeconds(10));
        }
    }
}
