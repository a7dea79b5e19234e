package io.warren.examples.worker;

import io.warren.Connector;
import io.warren.ConnectorConfig;
import io.warren.ConnectorState;
import io.warren.examples.tracing.OtelTracing;
import io.warren.Target;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The demo's backend worker as a plain Java program: an RPC server on topic {@code compute} and a
 * notifier, both on one Warren connector.
 *
 * <pre>WARREN_URL=rabbit://guest:guest@localhost:5672/ java -cp ... io.warren.examples.worker.ComputeWorker</pre>
 */
public final class ComputeWorker {
    /** The control exchange of the demo, shared with the API webapp's web.xml. */
    public static final String EXCHANGE = "demo";
    public static final String TOPIC = "compute";

    private ComputeWorker() {
    }

    /**
     * Starts the worker's connector and RPC server.
     *
     * @param transportUrl the broker
     * @param extraOptions more options (e.g. for the embedded broker)
     */
    public static Connector start(String transportUrl, Map<String, String> extraOptions) {
        ConnectorConfig config = ConnectorConfig.builder()
                .transportUrl(transportUrl)
                .name("compute-worker")
                .option("control_exchange", EXCHANGE)
                .option("driver", "messagingv2")
                .options(extraOptions)
                .build();
        Connector.Builder builder = Connector.builder(config);
        // With the OTEL_* environment set, the worker's spans continue the webapp's traces.
        OtelTracing tracing = OtelTracing.fromEnvironment("compute-worker");
        if (tracing != null) {
            builder.observationRegistry(tracing.registry())
                    .stateListener((c, from, to) -> {
                        if (to == ConnectorState.STOPPED || to == ConnectorState.FAILED) {
                            tracing.close(); // after the connector's last span
                        }
                    });
        }
        Connector connector = builder.build();
        try {
            connector.start();
            ComputeEndpoint endpoint = new ComputeEndpoint(connector.notifier("compute.worker1"));
            connector.rpcServer(Target.topic(TOPIC).server("worker1"), endpoint);
            return connector;
        } catch (RuntimeException e) {
            connector.stop(Duration.ofSeconds(10));
            throw e;
        }
    }

    public static void main(String[] args) throws InterruptedException {
        String url = System.getenv().getOrDefault("WARREN_URL", "rabbit://guest:guest@localhost:5672/");
        Connector connector = start(url, Map.of());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            connector.stop(Duration.ofSeconds(10));
            stop.countDown();
        }, "compute-worker-shutdown"));
        System.out.println("compute worker serving topic '" + TOPIC + "' on exchange '" + EXCHANGE + "'; Ctrl-C stops it");
        stop.await();
    }
}
