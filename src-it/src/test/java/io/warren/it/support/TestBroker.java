package io.warren.it.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * The broker the integration tests run against, chosen once per JVM.
 *
 * <p>Choice, by system property {@code warren.it.broker} or else env {@code WARREN_IT_BROKER}:
 * <ul>
 *   <li>{@code rabbitmq}: the RabbitMQ at {@code warren.it.rabbitmq.url} (default
 *   {@code amqp://guest:guest@127.0.0.1:5672}); every test fails when it does not answer.</li>
 *   <li>{@code embedded}: an in-JVM Qpid Broker-J on an ephemeral port ({@link EmbeddedBroker}).</li>
 *   <li>{@code auto} (default): RabbitMQ when a 300 ms TCP connect to 127.0.0.1:5672 and an AMQP
 *   handshake succeed and the server says it is RabbitMQ, otherwise embedded.</li>
 * </ul>
 *
 * <p>Tests that need what only RabbitMQ has call {@link #requireRabbitMq(String)}; on the embedded
 * broker that skips the test (a JUnit assumption) and the run ends with one summary of every skip
 * ({@link SkipSummary}). With {@code -Dwarren.it.noSkip=true} or env {@code WARREN_IT_NO_SKIP=1}
 * (CI sets it) a would-be skip fails the test instead.
 *
 * <p>Use: {@code TestBroker broker = TestBroker.shared();} or declare a {@code TestBroker} parameter
 * in a test annotated {@code @ExtendWith(TestBroker.Resolver.class)}.
 */
public final class TestBroker {
    /** Which broker the tests talk to. */
    public enum Kind {
        /** A real RabbitMQ (the machine's, or the one named by warren.it.rabbitmq.url). */
        RABBITMQ,
        /** Qpid Broker-J inside the test JVM. */
        EMBEDDED;

        /** Lower-case name as used by the warren.it.broker switch. */
        public String switchValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Prefix of the assumption message of a test skipped for want of RabbitMQ. */
    static final String NEEDS_RABBITMQ = "WARREN-IT needs RabbitMQ: ";
    /** Prefix of the assumption message of a test skipped for want of the oslo.messaging peer. */
    static final String NEEDS_OSLO_PEER = "WARREN-IT needs the oslo.messaging peer: ";
    /** Prefix of the assumption message of a test skipped for want of the oslo.messaging 18.1.0 peer. */
    static final String NEEDS_ROOT = "WARREN-IT needs root: ";

    static final String NEEDS_OSLO18_PEER = "WARREN-IT needs the oslo.messaging 18.1.0 peer: ";

    static final String DEFAULT_RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672";
    /** The Python that has Debian's oslo.messaging (not the first python3 on PATH). */
    public static final String OSLO_PYTHON = "/usr/bin/python3";

    /** The JVM-wide choice: a TestBroker or the RuntimeException that explains why there is none. */
    private static final AtomicReference<Object> SHARED = new AtomicReference<>();
    private static final AtomicReference<String> OSLO_PEER_PROBLEM = new AtomicReference<>();

    private final Kind kind;
    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final String virtualHost;
    private final String description;

    private TestBroker(Kind kind, String host, int port, String username, String password, String virtualHost,
            String description) {
        this.kind = kind;
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.virtualHost = virtualHost;
        this.description = description;
    }

    /**
     * The broker for this test JVM, chosen (and, if embedded, started) on first use.
     *
     * @throws IllegalStateException on every call when the requested broker is not available
     *         (e.g. warren.it.broker=rabbitmq and nothing answers)
     */
    public static TestBroker shared() {
        Object resolved = SHARED.get();
        if (resolved == null) {
            synchronized (SHARED) {
                resolved = SHARED.get();
                if (resolved == null) {
                    try {
                        resolved = choose();
                    } catch (RuntimeException e) {
                        resolved = e;
                    }
                    SHARED.set(resolved);
                    System.out.println("WARREN-IT: broker = " + (resolved instanceof TestBroker
                            ? resolved : "NONE (" + ((RuntimeException) resolved).getMessage() + ")"));
                }
            }
        }
        if (resolved instanceof RuntimeException failure) {
            throw new IllegalStateException(failure.getMessage(), failure);
        }
        return (TestBroker) resolved;
    }

    /** "rabbitmq", "embedded", or "not used" when no test asked for a broker; never starts one. */
    static String sharedKindIfChosen() {
        Object resolved = SHARED.get();
        if (resolved == null) {
            return "not used";
        }
        return resolved instanceof TestBroker broker ? broker.kind.switchValue() : "unavailable";
    }

    /** The kind of broker. */
    public Kind kind() {
        return kind;
    }

    /** True for a real RabbitMQ. */
    public boolean isRabbitMq() {
        return kind == Kind.RABBITMQ;
    }

    /** True for the in-JVM Broker-J. */
    public boolean isEmbedded() {
        return kind == Kind.EMBEDDED;
    }

    /** Host name or address of the broker. */
    public String host() {
        return host;
    }

    /** AMQP port of the broker. */
    public int port() {
        return port;
    }

    /** User name to log in with. */
    public String username() {
        return username;
    }

    /** Password to log in with. */
    public String password() {
        return password;
    }

    /** Virtual host, "/" by default. */
    public String virtualHost() {
        return virtualHost;
    }

    /**
     * The oslo.messaging transport URL of this broker, e.g. {@code rabbit://guest:guest@127.0.0.1:5672/}
     * (the path is the virtual host, empty for "/").
     */
    public String transportUrl() {
        String vhostPath = "/".equals(virtualHost) ? "" : encode(virtualHost);
        return "rabbit://" + encode(username) + ":" + encode(password) + "@" + host + ":" + port + "/" + vhostPath;
    }

    /** The amqp-client URI of this broker, e.g. {@code amqp://guest:guest@127.0.0.1:5672/%2F}. */
    public String amqpUri() {
        return "amqp://" + encode(username) + ":" + encode(password) + "@" + host + ":" + port + "/"
                + encode(virtualHost);
    }

    /**
     * A virtual host of its own on the machine's RabbitMQ, for a test whose names are fixed (the
     * demo's exchange and topics, an application's connection names): other test runs on this
     * machine share the broker, and with one vhost they would consume each other's messages and
     * show up in each other's connection counts. Closing it deletes the vhost with everything in
     * it. On the embedded broker the test is skipped (see {@link #requireRabbitMq(String)}).
     *
     * @param why what the test needs it for, shown in the skip summary
     */
    public PrivateVhost privateVhost(String why) {
        Rabbitmqctl ctl = Rabbitmqctl.forSharedBroker(this, why + " (a private vhost)");
        String name = "warren-it-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        ctl.run("add_vhost", name);
        try {
            ctl.run("set_permissions", "-p", name, username, ".*", ".*", ".*");
        } catch (RuntimeException e) {
            ctl.run("delete_vhost", name);
            throw e;
        }
        return new PrivateVhost(ctl, new TestBroker(kind, host, port, username, password, name,
                description + " vhost " + name));
    }

    /** A vhost made by {@link #privateVhost(String)}: the broker seen through it, deleted on close. */
    public static final class PrivateVhost implements AutoCloseable {
        private final Rabbitmqctl ctl;
        private final TestBroker broker;

        private PrivateVhost(Rabbitmqctl ctl, TestBroker broker) {
            this.ctl = ctl;
            this.broker = broker;
        }

        /** The same broker, every URL and factory pointing at this vhost. */
        public TestBroker broker() {
            return broker;
        }

        /** The vhost's name. */
        public String name() {
            return broker.virtualHost();
        }

        /** Connections of this vhost only (connections of other runs on the machine are not listed). */
        public List<Rabbitmqctl.ConnectionInfo> connections() {
            return ctl.listConnections().stream().filter(c -> name().equals(c.vhost())).toList();
        }

        @Override
        public void close() {
            ctl.run("delete_vhost", name());
        }
    }

    /**
     * A fresh amqp-client factory for this broker: 5 s connection and handshake timeouts, otherwise
     * amqp-client's defaults (automatic recovery on).
     */
    public ConnectionFactory connectionFactory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(virtualHost);
        factory.setConnectionTimeout(5_000);
        factory.setHandshakeTimeout(5_000);
        factory.setShutdownTimeout(5_000);
        return factory;
    }

    /**
     * Ends the calling test unless this is RabbitMQ: skipped (and listed in the end-of-run summary),
     * or failed when skips are forbidden (warren.it.noSkip / WARREN_IT_NO_SKIP).
     *
     * @param why what the test needs RabbitMQ for, e.g. "direct reply-to"
     */
    public void requireRabbitMq(String why) {
        Objects.requireNonNull(why, "why");
        if (isRabbitMq()) {
            return;
        }
        if (noSkip()) {
            throw new AssertionError("RabbitMQ required for " + why + " but broker is " + kind.switchValue()
                    + "; CI forbids skips (warren.it.noSkip / WARREN_IT_NO_SKIP)");
        }
        Assumptions.abort(NEEDS_RABBITMQ + why);
    }

    /**
     * Ends the calling test unless {@value #OSLO_PYTHON} can import oslo_messaging: skipped (and listed
     * in the summary), or failed when skips are forbidden. Checked once per JVM.
     *
     * @param why what the test needs the Python peer for, e.g. "RPC call from oslo to Warren"
     */
    public void requireOsloPeer(String why) {
        Objects.requireNonNull(why, "why");
        String problem = osloPeerProblem();
        if (problem.isEmpty()) {
            return;
        }
        if (noSkip()) {
            throw new AssertionError("oslo.messaging peer required for " + why + " but " + problem
                    + "; CI forbids skips (warren.it.noSkip / WARREN_IT_NO_SKIP)");
        }
        Assumptions.abort(NEEDS_OSLO_PEER + why + " (" + problem + ")");
    }

    /**
     * Ends the calling test unless a Python peer can run with {@code version} (see {@link OsloPython}):
     * skipped (and listed in the summary), or failed when skips are forbidden. Checked once per JVM.
     *
     * @param why what the test needs that peer for
     */
    public void requireOsloPeer(OsloPython version, String why) {
        Objects.requireNonNull(why, "why");
        if (version == OsloPython.V14) {
            requireOsloPeer(why);
            return;
        }
        String problem = version.problem();
        if (problem.isEmpty()) {
            return;
        }
        if (noSkip()) {
            throw new AssertionError(version + " peer required for " + why + " but " + problem
                    + "; CI forbids skips (warren.it.noSkip / WARREN_IT_NO_SKIP)");
        }
        Assumptions.abort(NEEDS_OSLO18_PEER + why + " (" + problem + ")");
    }

    /**
     * Ends the calling test unless this JVM runs as root (network namespaces, routes): skipped (and
     * listed in the summary), or failed when skips are forbidden.
     *
     * @param why what the test needs root for, e.g. "network partition of a cluster"
     */
    public static void requireRoot(String why) {
        Objects.requireNonNull(why, "why");
        Object uid;
        try {
            // /proc/self belongs to the user this process runs as
            uid = java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid");
        } catch (java.io.IOException | UnsupportedOperationException e) {
            uid = "unknown (" + e + ")";
        }
        if (Integer.valueOf(0).equals(uid)) {
            return;
        }
        if (noSkip()) {
            throw new AssertionError("root required for " + why + " but uid is " + uid
                    + "; CI forbids skips (warren.it.noSkip / WARREN_IT_NO_SKIP)");
        }
        Assumptions.abort(NEEDS_ROOT + why + " (uid " + uid + ")");
    }

    /** True when skips are turned into failures (-Dwarren.it.noSkip=true or WARREN_IT_NO_SKIP=1). */
    public static boolean noSkip() {
        String value = setting("warren.it.noSkip", "WARREN_IT_NO_SKIP", "false").trim().toLowerCase(Locale.ROOT);
        return value.equals("true") || value.equals("1") || value.equals("yes");
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return description;
    }

    private static String osloPeerProblem() {
        String problem = OSLO_PEER_PROBLEM.get();
        if (problem == null) {
            synchronized (OSLO_PEER_PROBLEM) {
                problem = OSLO_PEER_PROBLEM.get();
                if (problem == null) {
                    problem = probeOsloPeer();
                    OSLO_PEER_PROBLEM.set(problem);
                }
            }
        }
        return problem;
    }

    private static String probeOsloPeer() {
        try {
            BoundedProcess.Result result = BoundedProcess.run(Duration.ofSeconds(60),
                    List.of(OSLO_PYTHON, "-c", "import oslo_messaging"), Map.of());
            if (result.exitCode() == 0) {
                return "";
            }
            String output = result.output().strip();
            String lastLine = output.substring(output.lastIndexOf('\n') + 1);
            return OSLO_PYTHON + " cannot import oslo_messaging: " + lastLine;
        } catch (RuntimeException e) {
            return OSLO_PYTHON + " cannot import oslo_messaging: " + e.getMessage();
        }
    }

    private static TestBroker choose() {
        String mode = setting("warren.it.broker", "WARREN_IT_BROKER", "auto").trim().toLowerCase(Locale.ROOT);
        String url = setting("warren.it.rabbitmq.url", "WARREN_IT_RABBITMQ_URL", DEFAULT_RABBITMQ_URL).trim();
        switch (mode) {
            case "rabbitmq":
                return rabbitMq(url, "warren.it.broker=rabbitmq");
            case "embedded":
                return embedded("warren.it.broker=embedded");
            case "auto":
            case "":
                String whyNot = rabbitMqProblem("127.0.0.1", 5672);
                if (whyNot == null) {
                    return rabbitMq(DEFAULT_RABBITMQ_URL, "auto: RabbitMQ answered on 127.0.0.1:5672");
                }
                return embedded("auto: " + whyNot);
            default:
                throw new IllegalArgumentException("warren.it.broker / WARREN_IT_BROKER must be rabbitmq, embedded"
                        + " or auto, was '" + mode + "'");
        }
    }

    private static TestBroker embedded(String reason) {
        EmbeddedBroker broker = EmbeddedBroker.start();
        return new TestBroker(Kind.EMBEDDED, "127.0.0.1", broker.port(), "guest", "guest", "/",
                "embedded Broker-J at 127.0.0.1:" + broker.port() + " (" + reason + ")");
    }

    private static TestBroker rabbitMq(String url, String reason) {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(url);
        } catch (Exception e) {
            throw new IllegalArgumentException("warren.it.rabbitmq.url is not an amqp:// URI: "
                    + redact(url) + " (" + e.getMessage() + ")");
        }
        factory.setConnectionTimeout(5_000);
        factory.setHandshakeTimeout(5_000);
        factory.setAutomaticRecoveryEnabled(false);
        String product;
        String version;
        try (Connection connection = factory.newConnection("warren-it-probe")) {
            Map<String, Object> server = connection.getServerProperties();
            product = String.valueOf(server.get("product"));
            version = String.valueOf(server.get("version"));
        } catch (Exception e) {
            throw new IllegalStateException("RabbitMQ requested (" + reason + ") but " + redact(url)
                    + " does not answer: " + e, e);
        }
        if (!"RabbitMQ".equals(product)) {
            throw new IllegalStateException("RabbitMQ requested (" + reason + ") but " + redact(url)
                    + " is " + product + " " + version);
        }
        return new TestBroker(Kind.RABBITMQ, factory.getHost(), factory.getPort(), factory.getUsername(),
                factory.getPassword(), factory.getVirtualHost(),
                "RabbitMQ " + version + " at " + factory.getHost() + ":" + factory.getPort() + " (" + reason + ")");
    }

    /** Null when a RabbitMQ with guest/guest answers at host:port, else why not. */
    private static String rabbitMqProblem(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 300);
        } catch (IOException e) {
            return "nothing listens on " + host + ":" + port + " (" + e.getMessage() + ")";
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setConnectionTimeout(2_000);
        factory.setHandshakeTimeout(3_000);
        factory.setAutomaticRecoveryEnabled(false);
        try (Connection connection = factory.newConnection("warren-it-probe")) {
            Object product = connection.getServerProperties().get("product");
            return "RabbitMQ".equals(String.valueOf(product)) ? null
                    : host + ":" + port + " is " + product + ", not RabbitMQ";
        } catch (Exception e) {
            return "AMQP handshake with " + host + ":" + port + " as guest failed (" + e + ")";
        }
    }

    static String setting(String property, String env, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String redact(String url) {
        return url.replaceAll("(//[^:/@]*:)[^@]*@", "$1****@");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Lets a test method or constructor take a {@code TestBroker} parameter:
     * {@code @ExtendWith(TestBroker.Resolver.class)}.
     */
    public static final class Resolver implements ParameterResolver {
        /** Made by JUnit. */
        public Resolver() {
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == TestBroker.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return shared();
        }
    }
}
