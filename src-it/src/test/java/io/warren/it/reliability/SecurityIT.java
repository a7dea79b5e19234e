package io.warren.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warren.CallOptions;
import io.warren.Connector;
import io.warren.ConnectorConfig;
import io.warren.ConnectorState;
import io.warren.EngineAccess;
import io.warren.RemoteError;
import io.warren.Target;
import io.warren.WarrenException;
import io.warren.it.support.CapturedOutput;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import io.warren.it.support.ThrowawayNodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Secrets stay secret, nothing is deserialized the Java way, and a message's size is checked
 * before a byte of it is parsed.
 */
class SecurityIT {
    private final TestBroker broker = TestBroker.shared();

    /** Echoes its argument; {@code fail} raises with the text it got. */
    public static final class Endpoint {
        public String echo(String text) {
            return text;
        }

        public String fail(String text) {
            throw new IllegalArgumentException("refusing " + text);
        }
    }

    @Test
    void thePasswordAppearsInNoLogExceptionStatsOrHealthOutput() throws Exception {
        try (ThrowawayNodes nodes = ThrowawayNodes.create(broker, "a user with a secret password")) {
            ThrowawayNodes.Cluster node = nodes.startCluster(1);
            Rabbitmqctl ctl = nodes.rabbitmqctl(node.nodeName(0));
            String user = "warren-sec";
            // Characters that need URL encoding, so the encoded form is searched for too.
            // NEVER-LOGGED: .ci/run fails when the run's output contains it anywhere.
            String password = "Pw@NEVER-LOGGED-" + UUID.randomUUID().toString().substring(0, 8) + "/s3cr:t";
            ctl.run("add_user", user, password);
            ctl.run("set_permissions", "-p", "/", user, ".*", ".*", ".*");
            String encoded = URLEncoder.encode(password, StandardCharsets.UTF_8);
            String wrongPassword = password + "-wrong";
            String url = "rabbit://" + user + ":" + encoded + "@127.0.0.1:" + node.amqpPort(0) + "/";
            String wrongUrl = "rabbit://" + user + ":" + URLEncoder.encode(wrongPassword, StandardCharsets.UTF_8)
                    + "@127.0.0.1:" + node.amqpPort(0) + "/";
            String name = CoreFixtures.uniqueName("secret");
            List<String> printed = new ArrayList<>();

            String captured;
            try (CapturedOutput output = CapturedOutput.start()) {
                // A working connector: every description of it, a remote failure, a dropped connection.
                ConnectorConfig config = ConnectorConfig.builder().transportUrl(url).name(name)
                        .option("rabbit_retry_interval", "1").build();
                Connector connector = Connector.create(config);
                try {
                    connector.start();
                    Target target = Target.topic(name + "-topic");
                    connector.rpcServer(target.server("s1"), new Endpoint());
                    CallOptions options = CallOptions.defaults().timeout(Duration.ofSeconds(10))
                            .context(Map.of("auth_token", "token-" + password));
                    assertThat(connector.rpcClient().call(target, "echo", Map.of("text", "hi"), options)).isEqualTo("hi");
                    printed.add(describe(() -> connector.rpcClient().call(target, "fail", Map.of("text", "x"), options)));
                    printed.add(options.toString());
                    printed.add(connector.toString());
                    printed.add(config.toString());
                    printed.add(config.transportUrl().toString());
                    printed.add(config.options().toString());
                    printed.add(connector.stats().toString());
                    printed.add(connector.stats().brokerAddresses().toString());
                    printed.add(connector.health().toString());
                    for (String connection : connector.stats().connectionNames()) {
                        ctl.closeConnectionsNamed(connection, "warren test: drop for the log");
                    }
                    CoreFixtures.waitUntil(Duration.ofSeconds(30), "recovered after the drop",
                            () -> connector.state() == ConnectorState.RUNNING && connector.stats().reconnectCount() >= 2);
                    printed.add(connector.stats().lastError());
                } finally {
                    connector.stop(Duration.ofSeconds(10));
                }

                // A refused login: the exception and its stack trace.
                Connector refused = Connector.create(ConnectorConfig.builder().transportUrl(wrongUrl)
                        .name(name + "-refused").build());
                printed.add(describe(refused::start));
                printed.add(refused.health().toString());
                printed.add(refused.stats().toString());

                // A login that keeps failing in the background: its log lines and its health.
                Connector background = Connector.create(ConnectorConfig.builder().transportUrl(wrongUrl)
                        .name(name + "-background").option("rabbit_retry_interval", "1").build());
                background.startInBackground();
                CoreFixtures.waitUntil(Duration.ofSeconds(30), "a failed attempt recorded",
                        () -> !background.stats().lastError().isEmpty());
                printed.add(background.health().toString());
                background.stop(Duration.ofSeconds(10));

                // The health servlet of a webapp, connected and refused (lazy start keeps the webapp up).
                printed.add(healthServletOutput(url, name + "-webapp", "eager"));
                printed.add(healthServletOutput(wrongUrl, name + "-webapp-refused", "lazy"));

                // A configuration error next to the password.
                printed.add(describe(() -> ConnectorConfig.builder().transportUrl(url)
                        .option("rabbit_retry_interval", "soon").build()));
                printed.add(describe(() -> ConnectorConfig.builder().transportUrl(url + "?heartbeat_timout_threshold=5")
                        .build()));

                for (String text : printed) {
                    System.out.println("WARREN-SECURITY printed: " + text);
                }
                captured = output.text();
            }

            assertThat(captured).as("captured output proves the scenarios ran")
                    .contains(name + " - starting").contains(name + "-refused")
                    .contains("WARREN-SECURITY printed: ").contains("ACCESS_REFUSED")
                    .contains("WARREN-SECURITY printed: 200 {\"status\":\"UP\"")
                    .contains("WARREN-SECURITY printed: 503 {\"status\":\"DOWN\"");
            for (String secret : List.of(password, encoded, wrongPassword, "token-" + password)) {
                assertThat(captured).as("captured output must not contain a secret").doesNotContain(secret);
            }
            System.out.printf("WARREN-RELIABILITY: security: %d lines / %d chars of output searched, password found 0 times%n",
                    captured.lines().count(), captured.length());
        }
    }

    @Test
    void warrensMainCodeHasNoJavaDeserializationAndJmxWritesAreOffByDefault() throws Exception {
        Map<String, List<String>> findings = new HashMap<>();
        List<String> forbidden = List.of("java/io/ObjectInputStream", "readObject", "java/beans/XMLDecoder",
                "enableDefaultTyping", "activateDefaultTyping");
        int classes = 0;
        List<String> roots = new ArrayList<>();
        Enumeration<URL> packages = getClass().getClassLoader().getResources("io/warren");
        for (URL root : Collections.list(packages)) {
            String where = root.toString();
            if (where.contains("test-classes") || where.contains("/src-it/")) {
                continue; // this module's tests, not Warren's main code
            }
            roots.add(where);
            for (Map.Entry<String, byte[]> cls : classFiles(root).entrySet()) {
                classes++;
                String constants = new String(cls.getValue(), StandardCharsets.ISO_8859_1);
                for (String f : forbidden) {
                    if (constants.contains(f)) {
                        findings.computeIfAbsent(cls.getKey(), k -> new ArrayList<>()).add(f);
                    }
                }
            }
        }
        assertThat(roots).as("class roots of io.warren").anyMatch(r -> r.contains("connector-core"));
        assertThat(classes).as("classes scanned").isGreaterThan(30);
        assertThat(findings).as("classes that use Java deserialization or Jackson default typing").isEmpty();
        System.out.printf("WARREN-RELIABILITY: deserialization scan: %d classes in %s, 0 uses of %s%n", classes, roots,
                forbidden);

        assertThat(ConnectorConfig.fromUrl("rabbit://guest:guest@localhost:5672/").jmxWriteOperations())
                .as("warren_jmx_write_operations by default").isFalse();
    }

    @Test
    void aMessageOverTheSizeCapIsRefusedBeforeItIsParsed() throws Exception {
        String name = CoreFixtures.uniqueName("sizecap");
        String exchange = name + "-exchange";
        Target target = Target.topic(name + "-topic");
        RejectionCounter counter = new RejectionCounter();
        int cap = 64 * 1024;
        Connector connector = EngineAccess.metrics(Connector.builder(CoreFixtures.config(broker, name,
                "control_exchange", exchange, "warren_max_message_bytes", Integer.toString(cap))), counter).build();
        try {
            connector.start();
            connector.rpcServer(target.server("s1"), new Endpoint());
            try (Connection raw = broker.connectionFactory().newConnection("warren-it-sizecap")) {
                Channel ch = raw.createChannel();
                AMQP.BasicProperties json = new AMQP.BasicProperties.Builder().contentType("application/json")
                        .contentEncoding("utf-8").build();
                // Not JSON at all: were it parsed, it would be refused as malformed_json.
                byte[] oversized = new byte[cap + 1];
                java.util.Arrays.fill(oversized, (byte) '{');
                ch.basicPublish(exchange, target.topic(), json, oversized);
                CoreFixtures.waitUntil(Duration.ofSeconds(15), "the oversized body refused",
                        () -> counter.rejectedTotal() >= 1);
                assertThat(counter.rejectedByKind()).isEqualTo(Map.of("too_large", 1L));

                // A 10 MB body deflated to a few KB: refused while inflating, at the cap.
                ByteArrayOutputStream bomb = new ByteArrayOutputStream();
                try (DeflaterOutputStream z = new DeflaterOutputStream(bomb, new Deflater(9))) {
                    z.write(new byte[10 * 1024 * 1024]);
                }
                AMQP.BasicProperties zipped = json.builder().headers(Map.of("compression", "application/x-gzip")).build();
                ch.basicPublish(exchange, target.topic(), zipped, bomb.toByteArray());
                CoreFixtures.waitUntil(Duration.ofSeconds(15), "the zlib bomb refused",
                        () -> counter.rejectedOf("too_large") >= 2);
                assertThat(counter.rejectedByKind()).isEqualTo(Map.of("too_large", 2L));
                System.out.printf("WARREN-RELIABILITY: size cap %d bytes: %d-byte non-JSON body and a %d-byte zlib "
                        + "bomb (10 MiB inflated) both refused as too_large%n", cap, oversized.length, bomb.size());
            }
            // The server is still there for a good call.
            assertThat(connector.rpcClient().call(target, "echo", Map.of("text", "still here"),
                    CallOptions.defaults().timeout(Duration.ofSeconds(10)))).isEqualTo("still here");
        } finally {
            connector.stop(Duration.ofSeconds(10));
            ReliabilityFixtures.deleteQuietly(broker, List.of(target.topic(), target.topic() + ".s1"), List.of(exchange));
        }
    }

    /** Deploys a webapp with Warren's listener and health servlet in Jetty and returns what GET health answers. */
    private static String healthServletOutput(String url, String name, String startup) throws Exception {
        org.eclipse.jetty.server.Server jetty = new org.eclipse.jetty.server.Server();
        org.eclipse.jetty.server.ServerConnector http = new org.eclipse.jetty.server.ServerConnector(jetty);
        http.setHost("127.0.0.1");
        http.setPort(0);
        jetty.addConnector(http);
        org.eclipse.jetty.ee10.servlet.ServletContextHandler webapp =
                new org.eclipse.jetty.ee10.servlet.ServletContextHandler("/" + name);
        webapp.setInitParameter("warren.url", url);
        webapp.setInitParameter("warren.name", name);
        webapp.setInitParameter("warren.startup", startup);
        webapp.setInitParameter("warren.rabbit_retry_interval", "1");
        webapp.setInitParameter("warren.health.enabled", "true");
        webapp.addEventListener(new io.warren.servlet.WarrenContextListener());
        jetty.setHandler(webapp);
        try {
            jetty.start();
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpRequest get = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + http.getLocalPort() + "/" + name + "/warren/health"))
                    .timeout(Duration.ofSeconds(10)).build();
            java.net.http.HttpResponse<String> response = client.send(get, java.net.http.HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            // A lazy start that cannot log in: wait until health reports the refused attempt.
            while (startup.equals("lazy") && !response.body().contains("not connected yet: ")
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
                response = client.send(get, java.net.http.HttpResponse.BodyHandlers.ofString());
            }
            assertThat(response.body()).contains("\"name\":\"" + name + "\"");
            return response.statusCode() + " " + response.body();
        } finally {
            jetty.stop();
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    /** Runs {@code action}, which must fail, and returns the failure as a log would show it. */
    private static String describe(Action action) {
        try {
            action.run();
        } catch (Exception e) {
            assertThat(e).isInstanceOfAny(WarrenException.class, IllegalArgumentException.class, RemoteError.class);
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            return e + "\n" + trace;
        }
        throw new AssertionError("expected a failure");
    }

    /** Every .class file under {@code io/warren} of one class-path root (a directory or a jar). */
    private static Map<String, byte[]> classFiles(URL root) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        if (root.getProtocol().equals("jar")) {
            String jar = root.getPath().substring("file:".length(), root.getPath().indexOf("!/"));
            try (JarFile file = new JarFile(jar)) {
                for (JarEntry entry : Collections.list(file.entries())) {
                    if (entry.getName().startsWith("io/warren/") && entry.getName().endsWith(".class")) {
                        try (InputStream in = file.getInputStream(entry)) {
                            out.put(entry.getName(), in.readAllBytes());
                        }
                    }
                }
            }
            return out;
        }
        Path dir;
        try {
            dir = Path.of(root.toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException("not a path: " + root, e);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                out.put(p.toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }
}
