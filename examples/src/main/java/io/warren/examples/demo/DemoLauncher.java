package io.warren.examples.demo;

import io.warren.Connector;
import io.warren.examples.worker.ComputeWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The whole demo in one JVM: a broker (embedded Broker-J, unless {@code WARREN_URL} names a
 * RabbitMQ), the compute worker, and the servers-API WAR deployed in Jetty 12 exactly as a
 * container deploys it (its own class loader, Warren's listener from web.xml).
 *
 * <p>Run by the README's first command; {@code PORT} changes the HTTP port (8080).
 */
public final class DemoLauncher implements AutoCloseable {
    private final DemoBroker broker;
    private final Connector worker;
    private final Server jetty;
    private final int httpPort;

    private DemoLauncher(DemoBroker broker, Connector worker, Server jetty, int httpPort) {
        this.broker = broker;
        this.worker = worker;
        this.jetty = jetty;
        this.httpPort = httpPort;
    }

    /**
     * Starts everything; the same path the README's command takes.
     *
     * @param war the servers-API WAR
     * @param brokerUrl a RabbitMQ transport URL, or null for the embedded broker
     * @param httpPort the HTTP port (0 = any free port)
     */
    public static DemoLauncher start(Path war, String brokerUrl, int httpPort) throws Exception {
        return start(war, brokerUrl, httpPort, true);
    }

    /**
     * @param javaWorker false when another worker serves topic {@code compute} (the Python one in
     *        {@code examples/python}); env {@code WARREN_DEMO_WORKER=none} for the README's command
     */
    public static DemoLauncher start(Path war, String brokerUrl, int httpPort, boolean javaWorker) throws Exception {
        if (!Files.isRegularFile(war)) {
            throw new IllegalArgumentException("no WAR at " + war + "; build it with mvn -pl examples -am package");
        }
        DemoBroker broker = null;
        Map<String, String> brokerOptions = new HashMap<>();
        String url = brokerUrl;
        if (url == null || url.isBlank()) {
            step("starting an embedded AMQP 0-9-1 broker (Apache Qpid Broker-J); set WARREN_URL to use a RabbitMQ");
            broker = DemoBroker.start();
            url = "rabbit://guest:guest@127.0.0.1:" + broker.port() + "/";
            // Broker-J reads the AMQP expiration as an absolute time: calls must not carry it.
            brokerOptions.put("warren_call_expiration", "false");
        }
        step("broker: " + url.replaceAll("//([^:@/]+):[^@/]*@", "//$1:***@"));
        Connector worker = null;
        if (javaWorker) {
            step("starting the compute worker (oslo RPC server on topic 'compute', notifier)");
            worker = ComputeWorker.start(url, brokerOptions);
        } else {
            step("no Java worker: another one (e.g. examples/python/compute_worker.py) serves topic 'compute'");
        }

        // The webapp reads its broker URL like in any container: here from system properties.
        System.setProperty("warren.url", url);
        brokerOptions.forEach((k, v) -> System.setProperty("warren." + k, v));
        step("deploying " + war.getFileName() + " in Jetty 12");
        Server jetty = new Server();
        ServerConnector http = new ServerConnector(jetty);
        http.setHost("127.0.0.1");
        http.setPort(httpPort);
        jetty.addConnector(http);
        WebAppContext webapp = new WebAppContext(war.toString(), "/");
        webapp.setThrowUnavailableOnStartupException(true);
        jetty.setHandler(webapp);
        jetty.start();
        return new DemoLauncher(broker, worker, jetty, http.getLocalPort());
    }

    /** @return the HTTP port */
    public int httpPort() {
        return httpPort;
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
        if (worker != null) {
            worker.stop(Duration.ofSeconds(10));
        }
        if (broker != null) {
            broker.close();
        }
        System.clearProperty("warren.url");
        System.clearProperty("warren.warren_call_expiration");
    }

    private static void step(String what) {
        System.out.println("[demo] " + what);
    }

    public static void main(String[] args) throws Exception {
        Path war = Path.of(args.length > 0 ? args[0] : "examples/target/examples-0.1.0-SNAPSHOT.war");
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        boolean javaWorker = !"none".equalsIgnoreCase(System.getenv("WARREN_DEMO_WORKER"));
        DemoLauncher demo = start(war, System.getenv("WARREN_URL"), port, javaWorker);
        String base = "http://127.0.0.1:" + demo.httpPort();
        System.out.println();
        System.out.println("[demo] ready: " + base + "/servers");
        System.out.println("[demo] health: " + base + "/warren/health");
        System.out.println("[demo] JMX:    io.warren:type=Connector,context=\"/\",name=\"servers-api\" (jconsole, this JVM)");
        System.out.println("[demo] try:");
        System.out.println("  curl -s -X POST -H 'Content-Type: application/json' -d '{\"name\":\"web1\"}' " + base + "/servers");
        System.out.println("  curl -s " + base + "/servers");
        System.out.println("  curl -s " + base + "/events");
        System.out.println("  curl -s " + base + "/warren/health");
        System.out.println("[demo] Ctrl-C stops everything.");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                demo.close();
            } catch (Exception e) {
                System.err.println("[demo] stopping: " + e);
            }
            stopped.countDown();
        }, "demo-shutdown"));
        stopped.await();
    }
}
