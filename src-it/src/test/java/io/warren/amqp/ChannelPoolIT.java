package io.warren.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warren.ChannelPoolExhaustedException;
import io.warren.ConnectorState;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import io.warren.metrics.MetricsRecorder;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The publishing channel pool is bounded: exhausted means a clear error after the checkout
 * timeout, then normal service when channels come back; a connection dying under checked-out
 * channels costs no permit.
 */
class ChannelPoolIT {
    private final TestBroker broker = TestBroker.shared();
    private ConnectorRuntime runtime;

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.stop(Duration.ofSeconds(10));
        }
    }

    private ConnectorRuntime start(String name) {
        runtime = new ConnectorRuntime(CoreFixtures.config(broker, name, "rpc_conn_pool_size", "2",
                "warren_channel_checkout_timeout_ms", "300"), MetricsRecorder.noop(), (from, to) -> { },
                () -> ProcessHandle.current().pid());
        runtime.start();
        return runtime;
    }

    @Test
    void anExhaustedPoolFailsClearlyAfterItsTimeoutThenServesAgain() throws Exception {
        ConnectorRuntime rt = start(CoreFixtures.uniqueName("pool"));
        ChannelPool pool = rt.channelPool();
        long far = System.nanoTime() + Duration.ofSeconds(30).toNanos();

        PooledChannel a = pool.checkout(far);
        PooledChannel b = pool.checkout(far);
        assertThatThrownBy(() -> pool.checkout(far))
                .isInstanceOf(ChannelPoolExhaustedException.class)
                .hasMessageContaining("within 300 ms")
                .hasMessageContaining("all 2 are in use")
                .hasMessageContaining("rpc_conn_pool_size");
        // A publish meets the same bound and says so in its failed future.
        assertThatThrownBy(() -> rt.publisher().publish(CoreFixtures.message("x")).get())
                .hasCauseInstanceOf(ChannelPoolExhaustedException.class);

        pool.release(a);
        pool.release(b);
        assertThat(pool.openChannels()).isEqualTo(2);
        CoreFixtures.publishAndConfirm(rt);
        assertThat(pool.waiters()).isZero();
    }

    @Test
    void aConnectionDyingUnderCheckedOutChannelsLeaksNoPermit() throws Exception {
        broker.requireRabbitMq("rabbitmqctl close_connection");
        String name = CoreFixtures.uniqueName("pool-drop");
        ConnectorRuntime rt = start(name);
        ChannelPool pool = rt.channelPool();
        long far = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        PooledChannel a = pool.checkout(far);
        PooledChannel b = pool.checkout(far);

        Rabbitmqctl.forSharedBroker(broker, "close_connection")
                .closeConnectionsNamed(rt.stats().connectionNames().get(0), "warren test: pool");
        CoreFixtures.waitUntil(Duration.ofSeconds(10), "recovered",
                () -> rt.state() == ConnectorState.RUNNING && rt.stats().reconnectCount() >= 1);
        pool.release(a);
        pool.release(b);

        // Both permits came back: two channels can be held at once again.
        PooledChannel c = pool.checkout(far);
        PooledChannel d = pool.checkout(far);
        pool.release(c);
        pool.release(d);
        CoreFixtures.publishAndConfirm(rt);
    }
}
