package io.warren.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import io.warren.ConnectorConfig;
import io.warren.metrics.MetricsRecorder;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A service made before the first connect is started by the connector's thread while the
 * application may stop it at the same moment: whichever comes first decides, and a stopped service
 * is never left running.
 */
class ConsumingServiceStartOrStopTest {
    private final ConnectorRuntime runtime = new ConnectorRuntime(
            ConnectorConfig.builder().transportUrl("rabbit://guest:guest@127.0.0.1:1/").name("start-or-stop").build(),
            MetricsRecorder.noop(), (from, to) -> { }, () -> 1L);

    /** Its start marks it running once {@code release} opens; counts the starts. */
    private static final class GatedService extends ConsumingService {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger starts = new AtomicInteger();

        GatedService(ConnectorRuntime runtime) {
            super(runtime);
        }

        void start() {
            starts.incrementAndGet();
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            markRunning();
        }

        @Override
        protected void consumeOn(Channel channel, Consumers consumers) {
        }

        @Override
        public String describe() {
            return "gated";
        }
    }

    @Test
    void aServiceStoppedBeforeTheConnectorStartsItNeverStarts() throws Exception {
        GatedService service = new GatedService(runtime);
        service.release.countDown();
        service.stop();
        service.startUnlessStopped(service::start);
        assertThat(service.starts).hasValue(0);
        assertThat(service.isRunning()).isFalse();
    }

    @Test
    void aStopDuringTheStartWaitsForItAndThenStopsTheService() throws Exception {
        GatedService service = new GatedService(runtime);
        Thread starter = new Thread(() -> {
            try {
                service.startUnlessStopped(service::start);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }, "test-starter");
        starter.start();
        assertThat(service.entered.await(10, TimeUnit.SECONDS)).as("start entered").isTrue();

        Thread stopper = new Thread(service::stop, "test-stopper");
        stopper.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stopper.getState() != Thread.State.BLOCKED && stopper.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(stopper.getState()).as("the stop waits for the start under way").isEqualTo(Thread.State.BLOCKED);

        service.release.countDown();
        starter.join(10_000);
        stopper.join(10_000);
        assertThat(stopper.isAlive()).isFalse();
        assertThat(service.starts).hasValue(1);
        assertThat(service.isRunning()).as("stopped after its start finished").isFalse();
    }
}
