package io.warren.it.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.Connector;
import io.warren.examples.worker.ComputeWorker;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The demo WAR, unchanged, in Debian's Tomcat 10.1: deployed into a private CATALINA_BASE on a
 * loopback port, driven over HTTP, then undeployed and deployed again 20 times. Tomcat's own leak
 * detection must stay silent, and the broker must see exactly one connection pair of the app.
 */
class TomcatDeployIT {
    static final Path CATALINA_HOME = Path.of("/usr/share/tomcat10");
    private static final Path DEBIAN_CONF = Path.of("/etc/tomcat10");
    private static final int REDEPLOYS = 20;

    private final TestBroker broker = TestBroker.shared();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @Test
    void theWarDeploysIntoTomcatAndRedeploysTwentyTimesWithoutALeakWarning() throws Exception {
        broker.requireRabbitMq("the demo WAR in Tomcat (and rabbitmqctl to count its connections)");
        requireTomcat();
        Path war = Path.of(System.getProperty("warren.it.demoWar", "../examples/target/examples-0.1.0-SNAPSHOT.war"));
        assertThat(war).isRegularFile();

        Path base = Files.createTempDirectory("warren-it-tomcat-");
        Path log = base.resolve("catalina.out");
        int port = freePort();
        // The demo's names are fixed (exchange, topics, connection names): a vhost of its own keeps
        // other test runs on this machine's broker out of its calls and its connection count.
        try (TestBroker.PrivateVhost vhost = broker.privateVhost("the demo WAR's fixed names, counting its connections")) {
            deployAndRedeploy(vhost, war, base, log, port);
        }
    }

    private void deployAndRedeploy(TestBroker.PrivateVhost vhost, Path war, Path base, Path log, int port) throws Exception {
        Connector worker = ComputeWorker.start(vhost.broker().transportUrl(), Map.of());
        Process tomcat = null;
        try {
            makeBase(base, port);
            ProcessBuilder pb = new ProcessBuilder(CATALINA_HOME.resolve("bin/catalina.sh").toString(), "run")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("CATALINA_HOME", CATALINA_HOME.toString());
            pb.environment().put("CATALINA_BASE", base.toString());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            // Where a deployment puts the broker URL: here the environment, as a container would.
            pb.environment().put("WARREN_URL", vhost.broker().transportUrl());
            tomcat = pb.start();
            String app = "http://127.0.0.1:" + port + "/servers";

            Path deployed = base.resolve("webapps/servers.war");
            install(war, deployed);
            awaitStatus(app + "/warren/health", 200, tomcat, log);

            HttpResponse<String> created = send("POST", app + "/servers", "{\"name\": \"tomcat1\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(send("GET", app + "/servers", null).body()).contains("tomcat1");
            assertThat(appConnections(vhost)).hasSize(2);

            for (int i = 0; i < REDEPLOYS; i++) {
                Files.delete(deployed);
                awaitStatus(app + "/warren/health", 404, tomcat, log);
                install(war, deployed);
                awaitStatus(app + "/warren/health", 200, tomcat, log);
            }
            assertThat(send("GET", app + "/servers", null).body()).contains("tomcat1");
            assertThat(appConnections(vhost)).as("one connection pair of the app after " + REDEPLOYS + " redeploys").hasSize(2);

            String output = Files.readString(log) + logs(base);
            // The log is Tomcat's and the app really went and came back each time (so the checks
            // below read something), and Warren's listener released everything on every undeploy.
            // Counted on the console log alone: Tomcat writes its own lines to logs/ as well.
            String console = Files.readString(log);
            int deploys = count(console, "Deploying web application archive");
            assertThat(deploys).isGreaterThanOrEqualTo(REDEPLOYS + 1);
            // Every deployment but the live one was released by Warren's listener.
            assertThat(count(console, "Warren released everything of webapp '/servers'")).isEqualTo(deploys - 1);
            assertThat(output).doesNotContain("appears to have started a thread named")
                    .doesNotContain("memory leak")
                    .doesNotContain("failed to stop")
                    .doesNotContain("guest:guest");
            System.out.println("WARREN-IT: Tomcat 10.1: " + REDEPLOYS + " redeploys, no leak warning, 2 broker connections");
        } finally {
            if (tomcat != null) {
                tomcat.destroy(); // SIGTERM: Tomcat's shutdown hook stops it in order
                if (!tomcat.waitFor(30, TimeUnit.SECONDS)) {
                    tomcat.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            worker.stop(Duration.ofSeconds(10));
            deleteTree(base);
        }
    }

    static void requireTomcat() {
        if (Files.isExecutable(CATALINA_HOME.resolve("bin/catalina.sh"))) {
            return;
        }
        if (TestBroker.noSkip()) {
            throw new AssertionError("Tomcat 10 required at " + CATALINA_HOME + " (Debian tomcat10); CI forbids skips");
        }
        org.junit.jupiter.api.Assumptions.abort("WARREN-IT needs Debian's tomcat10: not installed");
    }

    private List<String> appConnections(TestBroker.PrivateVhost vhost) {
        return vhost.connections().stream().map(Rabbitmqctl.ConnectionInfo::connectionName)
                .filter(n -> n != null && n.startsWith("servers-api ")).toList();
    }

    static void makeBase(Path base, int port) throws IOException {
        for (String dir : List.of("conf", "webapps", "logs", "temp", "work")) {
            Files.createDirectories(base.resolve(dir));
        }
        for (String f : List.of("web.xml", "context.xml", "catalina.properties", "logging.properties", "tomcat-users.xml")) {
            Files.copy(DEBIAN_CONF.resolve(f), base.resolve("conf").resolve(f));
        }
        // A loopback-only server with no shutdown port and a one-second deployer scan.
        Files.writeString(base.resolve("conf/server.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <Server port="-1" shutdown="SHUTDOWN">
                  <Listener className="org.apache.catalina.core.JreMemoryLeakPreventionListener" />
                  <Listener className="org.apache.catalina.core.ThreadLocalLeakPreventionListener" />
                  <Service name="Catalina">
                    <Connector port="%d" address="127.0.0.1" protocol="HTTP/1.1" connectionTimeout="20000" />
                    <Engine name="Catalina" defaultHost="localhost" backgroundProcessorDelay="1">
                      <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="true" />
                    </Engine>
                  </Service>
                </Server>
                """.formatted(port));
    }

    private void awaitStatus(String url, int status, Process tomcat, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        int last = -1;
        while (System.nanoTime() < deadline) {
            if (!tomcat.isAlive()) {
                throw new AssertionError("Tomcat exited:\n" + Files.readString(log));
            }
            try {
                last = send("GET", url, null).statusCode();
                if (last == status) {
                    return;
                }
            } catch (IOException e) {
                last = -1; // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("GET " + url + " did not answer " + status + " within 90 s (last " + last + "):\n"
                + Files.readString(log));
    }

    private HttpResponse<String> send(String method, String url, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String logs(Path base) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(base.resolve("logs"))) {
            for (Path f : files.toList()) {
                all.append(Files.readString(f));
            }
        }
        return all.toString();
    }

    /** Copies the WAR in under a temporary name and renames it, so Tomcat's scanner never sees half a file. */
    static void install(Path war, Path deployed) throws IOException {
        Path partial = deployed.resolveSibling("servers.war.part");
        Files.copy(war, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, deployed, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

}
