package io.warren.examples.demo;

import io.warren.Connector;
import io.warren.TransportUrl;
import io.warren.examples.worker.ComputeWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
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
 * <p>Run by the README's first command; {@code PORT} changes the HTTP port (8080). It starts
 * broker, worker, webapp in that order and stops them in the reverse order: on SIGTERM or
 * Ctrl-C, and when a start fails half way. A start that fails ends with one line saying why and
 * exit status 1.
 */
public final class DemoLauncher implements AutoCloseable {
    private static final String URL_PROPERTY = "warren.url";

    private final DemoBroker broker;
    private final Connector worker;
    private final Server jetty;
    private final Map<String, String> webappProperties;
    private final int httpPort;

    private DemoLauncher(DemoBroker broker, Connector worker, Server jetty, Map<String, String> webappProperties,
                         int httpPort) {
        this.broker = broker;
        this.worker = worker;
        this.jetty = jetty;
        this.webappProperties = webappProperties;
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
     * @throws io.warren.ConfigException for a malformed URL, before anything starts
     */
    public static DemoLauncher start(Path war, String brokerUrl, int httpPort, boolean javaWorker) throws Exception {
        if (!Files.isRegularFile(war)) {
            throw new IllegalArgumentException("no WAR at " + war + "; build it with mvn -pl examples -am package");
        }
        boolean embedded = brokerUrl == null || brokerUrl.isBlank();
        // Parsed before anything starts: a bad URL is refused by Warren's own parser, whose
        // message never holds the password; the banner shows the URL the way Warren's logs do.
        TransportUrl given = embedded ? null : TransportUrl.parse(brokerUrl);
        DemoBroker broker = null;
        Connector worker = null;
        Server jetty = null;
        Map<String, String> webappProperties = new HashMap<>();
        try {
            String url = brokerUrl;
            Map<String, String> brokerOptions = new HashMap<>();
            if (embedded) {
                step("starting an embedded AMQP 0-9-1 broker (Apache Qpid Broker-J); set WARREN_URL to use a RabbitMQ");
                broker = DemoBroker.start();
                url = "rabbit://guest:guest@127.0.0.1:" + broker.port() + "/";
                // Broker-J reads the AMQP expiration as an absolute time: calls must not carry it.
                brokerOptions.put("warren_call_expiration", "false");
            }
            step("broker: " + (given != null ? given : TransportUrl.parse(url)).toSafeString());
            if (javaWorker) {
                step("starting the compute worker (oslo RPC server on topic 'compute', notifier)");
                worker = ComputeWorker.start(url, brokerOptions);
            } else {
                step("no Java worker: another one (e.g. examples/python/compute_worker.py) serves topic 'compute'");
            }

            // The webapp reads its broker URL like in any container: here from system properties.
            webappProperties.put(URL_PROPERTY, url);
            // A webapp writes Warren's own options without their warren_: warren.call_expiration.
            brokerOptions.forEach((k, v) -> webappProperties.put("warren." + k.replaceFirst("^warren_", ""), v));
            webappProperties.forEach(System::setProperty);
            step("deploying " + war.getFileName() + " in Jetty 12");
            jetty = new Server();
            ServerConnector http = new ServerConnector(jetty);
            http.setHost("127.0.0.1");
            http.setPort(httpPort);
            jetty.addConnector(http);
            WebAppContext webapp = new WebAppContext(war.toString(), "/");
            webapp.setThrowUnavailableOnStartupException(true);
            jetty.setHandler(webapp);
            jetty.start();
            return new DemoLauncher(broker, worker, jetty, webappProperties, http.getLocalPort());
        } catch (Exception | Error e) {
            stopAll(jetty, worker, broker, webappProperties);
            throw e;
        }
    }

    /** @return the HTTP port */
    public int httpPort() {
        return httpPort;
    }

    /**
     * What the demo prints once it is up: where to look, and the curl lines to try.
     * examples/README.md shows these lines with their output; DemoIT runs them and compares.
     */
    public List<String> banner() {
        String base = "http://127.0.0.1:" + httpPort;
        return List.of(
                "[demo] ready: " + base + "/servers",
                "[demo] health: " + base + "/warren/health",
                "[demo] JMX:    io.warren:type=Connector,context=\"/\",name=\"servers-api\" (jconsole, this JVM)",
                "[demo] try:",
                "  curl -s -X POST -H 'Content-Type: application/json' -d '{\"name\":\"web1\"}' " + base + "/servers",
                "  curl -s " + base + "/servers",
                "  curl -s " + base + "/events",
                "  curl -s " + base + "/warren/health",
                "[demo] Ctrl-C stops everything.");
    }

    /** @return what runs, in the order it stops */
    String parts() {
        return "webapp" + (worker != null ? ", worker" : "") + (broker != null ? ", embedded broker" : "");
    }

    /** Stops the webapp (Warren's listener releases its connections and threads), the worker, then the broker. */
    @Override
    public void close() {
        stopAll(jetty, worker, broker, webappProperties);
    }

    /** The reverse of the start order; each step runs even when the one before failed. */
    private static void stopAll(Server jetty, Connector worker, DemoBroker broker, Map<String, String> properties) {
        try {
            if (jetty != null) {
                try {
                    jetty.stop();
                } catch (Exception e) {
                    step("stopping Jetty: " + e);
                }
            }
            if (worker != null) {
                worker.stop(Duration.ofSeconds(10));
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
            properties.keySet().forEach(System::clearProperty);
        }
    }

    private static void step(String what) {
        System.out.println("[demo] " + what);
    }

    /**
     * The reason a start failed, in one line: Warren's own message where there is one (a bad
     * URL, a broker that refused), not the containers' wrappers around it.
     */
    static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getClass().getName().startsWith("io.warren.") && t.getMessage() != null) {
                return t.getMessage();
            }
        }
        return failure.getMessage() != null ? failure.getMessage() : failure.toString();
    }

    public static void main(String[] args) throws Exception {
        Path war = Path.of(args.length > 0 ? args[0] : "examples/target/examples-0.1.0-SNAPSHOT.war");
        boolean javaWorker = !"none".equalsIgnoreCase(System.getenv("WARREN_DEMO_WORKER"));
        DemoLauncher demo;
        try {
            int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
            demo = start(war, System.getenv("WARREN_URL"), port, javaWorker);
        } catch (Exception e) {
            System.err.println("[demo] could not start: " + reason(e));
            System.exit(1);
            return;
        }
        System.out.println();
        demo.banner().forEach(System.out::println);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            step("stopping: " + demo.parts());
            demo.close();
            step("stopped");
            stopped.countDown();
        }, "demo-shutdown"));
        stopped.await();
    }
}
