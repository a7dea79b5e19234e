package io.warren.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.rabbitmq.client.ConnectionFactory;

/**
 * Throw-away RabbitMQ nodes beside the machine's broker, for tests that need a cluster (quorum
 * queue fail-over) or a TLS-only node, run by the scripts in {@code src-it/scripts}.
 *
 * <pre>{@code
 * try (ThrowawayNodes nodes = ThrowawayNodes.create(broker, "quorum queue fail-over")) {
 *     ThrowawayNodes.Cluster cluster = nodes.startCluster(3);
 *     ConnectionFactory first = cluster.connectionFactory(0);
 *     nodes.stopNode(cluster.nodeName(0));          // fail-over
 *     TlsNode tls = nodes.startTlsNode();
 * }   // stops every node, deletes the base directory, checks nothing is left
 * }</pre>
 *
 * <p>Each instance owns a fresh temp base directory, a random node-name prefix and a block of free
 * ports (AMQP 5700..7999, distribution = AMQP + 20000), so concurrent test runs on one machine do
 * not collide. Every script run is bounded. If the JVM ends without {@link #close()}, a shutdown
 * hook stops the nodes. Only where RabbitMQ is installed: {@link #create} skips the test on the
 * embedded broker (or fails it when skips are forbidden).
 */
public final class ThrowawayNodes implements AutoCloseable {
    /** Bound on start-cluster.sh: 3 boots + joins took 10 s idle and 31 s on a loaded machine. */
    public static final Duration CLUSTER_START_TIMEOUT = Duration.ofSeconds(240);
    /**
     * Bound on start-netns-cluster.sh: 3 boots + joins in namespaces took 118 s at load average 17
     * (every CLI call boots an Erlang VM).
     */
    public static final Duration NETNS_CLUSTER_START_TIMEOUT = Duration.ofSeconds(300);
    /** Bound on partition-node.sh (a few `ip route` calls). */
    public static final Duration PARTITION_TIMEOUT = Duration.ofSeconds(30);
    /** Bound on start-tls-node.sh. */
    public static final Duration TLS_START_TIMEOUT = Duration.ofSeconds(150);
    /** Bound on stop-cluster.sh (each node: CLI time-out + 20 s, all in parallel). */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(150);
    /** Password of {@link TlsNode#clientP12()}. */
    public static final String CLIENT_P12_PASSWORD = "changeit";

    private static final int PORT_BLOCK = 8;
    /** AMQP ports come from 5700..7999: below Tomcat's 8005/8080/8443, distribution ports 25700..27999. */
    private static final int FIRST_PORT = 5700;
    private static final int LAST_PORT = 7999;
    private static final int TLS_OFFSET = 7;
    private static final Duration WAIT_PER_BOOT = Duration.ofSeconds(90);

    private final Path scripts;
    private final Path baseDir;
    private final String prefix;
    private final int firstPort;
    private final Thread shutdownHook;
    private boolean closed;
    /** Node name to its network namespace, for the nodes of {@link #startPartitionableCluster}. */
    private final Map<String, String> namespaces = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean usedNamespaces;
    /** Read once the first node has made it; kept so leftovers can be found after the directory is gone. */
    private volatile String cookie;

    private ThrowawayNodes(Path scripts, Path baseDir, String prefix, int firstPort) {
        this.scripts = scripts;
        this.baseDir = baseDir;
        this.prefix = prefix;
        this.firstPort = firstPort;
        this.shutdownHook = new Thread(this::stopQuietly, "warren-it-throwaway-nodes-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * A fresh, empty set of throw-away nodes (nothing started yet).
     *
     * @param broker the test broker; on the embedded one the test is skipped (RabbitMQ is not installed)
     * @param why what the test needs the nodes for, shown in the skip summary
     */
    public static ThrowawayNodes create(TestBroker broker, String why) {
        broker.requireRabbitMq(why + " (throw-away RabbitMQ nodes)");
        Path scripts = scriptsDirectory();
        try {
            // Directly under /tmp: user rabbitmq must be able to reach it (the scripts chown it).
            Path base = Files.createTempDirectory("warren-it-nodes-");
            return new ThrowawayNodes(scripts, base, randomPrefix(), freePortBlock());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a base directory for throw-away nodes", e);
        }
    }

    /** The base directory holding every node's config, data, logs and the Erlang cookie. */
    public Path baseDir() {
        return baseDir;
    }

    /** Node names are {@code <prefix>1@localhost}..., and {@code <prefix>tls@localhost}. */
    public String prefix() {
        return prefix;
    }

    /**
     * Starts (or, run again, restarts the stopped nodes of) a cluster of {@code size} nodes and waits
     * until all are running in one cluster.
     *
     * @throws IllegalStateException with the script's output when it fails or exceeds
     *         {@link #CLUSTER_START_TIMEOUT}
     */
    public Cluster startCluster(int size) {
        if (size < 1 || size > TLS_OFFSET) {
            throw new IllegalArgumentException("cluster size must be 1.." + TLS_OFFSET + ", was " + size);
        }
        Map<String, String> env = scriptEnvironment();
        env.put("RMQ_NODES", Integer.toString(size));
        runScript("start-cluster.sh", CLUSTER_START_TIMEOUT, env);
        List<String> names = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            names.add(prefix + i + "@localhost");
            ports.add(firstPort + i - 1);
        }
        return new Cluster(names, ports);
    }

    /**
     * Starts a cluster of {@code size} nodes whose links can be cut ({@link #partition}): each node
     * in a network namespace of its own, joined by a bridge on a free 10.x.0.0/24, named
     * {@code <prefix>i@10.x.0.i} and listening on 10.x.0.i:5672; this JVM reaches every node
     * throughout. The nodes run with {@code cluster_partition_handling = pause_minority} and a
     * {@code net_ticktime} of {@code netTicktimeSeconds}. Needs root: skips the test otherwise (or
     * fails it when skips are forbidden). Leftovers of earlier runs whose JVM has gone are removed
     * first; {@link #close()} removes the namespaces and the bridge with the nodes.
     *
     * @throws IllegalStateException with the script's output when it fails or exceeds
     *         {@link #NETNS_CLUSTER_START_TIMEOUT}
     */
    public PartitionableCluster startPartitionableCluster(int size, int netTicktimeSeconds) {
        if (size < 1 || size > TLS_OFFSET) {
            throw new IllegalArgumentException("cluster size must be 1.." + TLS_OFFSET + ", was " + size);
        }
        TestBroker.requireRoot("network namespaces for a cluster that can be partitioned");
        Map<String, String> env = scriptEnvironment();
        env.put("RMQ_NODES", Integer.toString(size));
        env.put("RMQ_NET_TICKTIME", Integer.toString(netTicktimeSeconds));
        env.put("RMQ_OWNER_PID", Long.toString(ProcessHandle.current().pid()));
        usedNamespaces = true;
        String output = runScript("start-netns-cluster.sh", NETNS_CLUSTER_START_TIMEOUT, env, baseDir.toString());
        String subnet = output.lines().filter(line -> line.startsWith("subnet ")).map(line -> line.substring(7).strip())
                .findFirst().orElseThrow(() -> new IllegalStateException("start-netns-cluster.sh named no subnet: " + output));
        List<String> names = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            names.add(prefix + i + "@" + subnet + "." + i);
            ips.add(subnet + "." + i);
            namespaces.put(prefix + i + "@" + subnet + "." + i, prefix + "n" + i);
        }
        return new PartitionableCluster(names, ips);
    }

    /**
     * Cuts node {@code index} (0-based) of the partitionable cluster off from the other nodes, both
     * ways, with blackhole routes: their packets vanish without a reset. This JVM still reaches it.
     */
    public void partition(int index) {
        runScript("partition-node.sh", PARTITION_TIMEOUT, scriptEnvironment(), baseDir.toString(), "cut",
                Integer.toString(index + 1));
    }

    /** Undoes {@link #partition}. */
    public void heal(int index) {
        runScript("partition-node.sh", PARTITION_TIMEOUT, scriptEnvironment(), baseDir.toString(), "heal",
                Integer.toString(index + 1));
    }

    /**
     * Starts the TLS-only node (and makes its throw-away CA and certificates).
     *
     * @throws IllegalStateException with the script's output when it fails or exceeds
     *         {@link #TLS_START_TIMEOUT}
     */
    public TlsNode startTlsNode() {
        runScript("start-tls-node.sh", TLS_START_TIMEOUT, scriptEnvironment());
        return new TlsNode(prefix + "tls@localhost", firstPort + TLS_OFFSET, baseDir.resolve("tls"));
    }

    /** rabbitmqctl bound to one of these nodes (own cookie, own HOME). */
    public Rabbitmqctl rabbitmqctl(String nodeName) {
        String namespace = namespaces.get(nodeName);
        if (namespace != null) {
            // from inside the node's namespace, with long names (its name holds an IP address)
            return new Rabbitmqctl(List.of("ip", "netns", "exec", namespace, "rabbitmqctl", "--erlang-cookie",
                    requireCookie(), "-l", "-n", nodeName), Map.of("HOME", baseDir.toString()), Rabbitmqctl.DEFAULT_TIMEOUT,
                    nodeName);
        }
        return new Rabbitmqctl(List.of("rabbitmqctl", "--erlang-cookie", requireCookie(), "-n", nodeName),
                Map.of("HOME", baseDir.toString()), Rabbitmqctl.DEFAULT_TIMEOUT, nodeName);
    }

    /**
     * Shuts one node down (returns once its OS process has gone); {@link #startCluster} brings it
     * back on its data.
     */
    public void stopNode(String nodeName) {
        if (namespaces.containsKey(nodeName)) {
            throw new UnsupportedOperationException("stopNode is for startCluster's nodes, not " + nodeName);
        }
        rabbitmqctl(nodeName).withTimeout(Duration.ofSeconds(90)).run("shutdown");
    }

    /**
     * Processes that still belong to these nodes: every process whose command line carries this
     * base directory's Erlang cookie (each node runs with {@code -setcookie <cookie>}).
     */
    public List<String> leftoverProcesses() {
        return cookieIfPresent().map(ThrowawayNodes::processesWhoseCommandLineContains).orElse(List.of());
    }

    /**
     * Stops every node, deletes the base directory, and checks that neither a node process nor the
     * directory is left.
     *
     * @throws IllegalStateException when the stop script fails or something is left behind
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException jvmIsExiting) {
            // the hook runs anyway
        }
        String erlangCookie = cookieIfPresent().orElse(null); // read before the directory goes
        Set<ProcessHandle> recorded = recordedProcesses();
        runScript("stop-cluster.sh", STOP_TIMEOUT, scriptEnvironment());
        List<String> left = awaitGone(recorded, erlangCookie);
        if (!left.isEmpty()) {
            throw new IllegalStateException("throw-away nodes under " + baseDir + " left processes behind: " + left);
        }
        if (Files.exists(baseDir)) {
            throw new IllegalStateException("stop-cluster.sh left " + baseDir + " behind");
        }
        if (usedNamespaces) {
            List<String> leftNetwork = leftoverNetwork();
            if (!leftNetwork.isEmpty()) {
                throw new IllegalStateException("stop-cluster.sh left network namespaces or links behind: " + leftNetwork);
            }
        }
    }

    /** Network namespaces and links of {@link #startPartitionableCluster} that still exist. */
    public List<String> leftoverNetwork() {
        List<String> left = new ArrayList<>();
        for (List<String> command : List.of(List.of("ip", "netns", "list"), List.of("ip", "-o", "link", "show"))) {
            BoundedProcess.Result result = BoundedProcess.run(Duration.ofSeconds(10), command, Map.of());
            result.output().lines().filter(line -> line.contains(prefix)).map(String::strip).forEach(left::add);
        }
        return left;
    }

    @Override
    public String toString() {
        return "ThrowawayNodes[" + prefix + "*@localhost, ports " + firstPort + ".." + (firstPort + PORT_BLOCK - 1)
                + ", " + baseDir + "]";
    }

    private void stopQuietly() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            runScript("stop-cluster.sh", STOP_TIMEOUT, scriptEnvironment());
        } catch (RuntimeException e) {
            System.err.println("WARREN-IT: could not stop throw-away nodes under " + baseDir + ": " + e);
        }
    }

    private Map<String, String> scriptEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("RMQ_PREFIX", prefix);
        env.put("RMQ_HOST", "localhost");
        env.put("RMQ_PORT", Integer.toString(firstPort));
        env.put("RMQ_TLS_PORT", Integer.toString(firstPort + TLS_OFFSET));
        env.put("WAIT_S", Long.toString(WAIT_PER_BOOT.toSeconds()));
        return env;
    }

    private void runScript(String script, Duration timeout, Map<String, String> env) {
        runScript(script, timeout, env, baseDir.toString());
    }

    /** Runs one of the scripts with its arguments; returns its output. */
    private String runScript(String script, Duration timeout, Map<String, String> env, String... args) {
        long started = System.nanoTime();
        List<String> command = new ArrayList<>(List.of("bash", scripts.resolve(script).toString()));
        command.addAll(List.of(args));
        BoundedProcess.Result result = BoundedProcess.run(timeout, command, env);
        String summary = result.output().lines()
                .filter(line -> line.startsWith("booted") || line.startsWith("cluster of") || line.startsWith("TLS node")
                        || line.startsWith("cut:") || line.startsWith("heal:") || line.startsWith("leftover")
                        || line.startsWith("removed network") || line.startsWith("network "))
                .reduce((a, b) -> a + "; " + b).orElse("");
        System.out.printf("WARREN-IT: %s %s: exit %d after %.1f s %s%n", script, prefix, result.exitCode(),
                (System.nanoTime() - started) / 1e9, summary);
        result.requireSuccess();
        return result.output();
    }

    private String requireCookie() {
        return cookieIfPresent().orElseThrow(() -> new IllegalStateException(
                "no Erlang cookie in " + baseDir + ": start a node first"));
    }

    private Optional<String> cookieIfPresent() {
        if (cookie != null) {
            return Optional.of(cookie);
        }
        Path file = baseDir.resolve(".erlang.cookie");
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            cookie = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return Optional.of(cookie);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The node and launcher PIDs the scripts recorded, with their children (erl_child_setup...). */
    private Set<ProcessHandle> recordedProcesses() {
        Set<ProcessHandle> processes = new LinkedHashSet<>();
        if (!Files.isDirectory(baseDir)) {
            return processes;
        }
        try (Stream<Path> files = Files.walk(baseDir, 2)) {
            files.filter(p -> p.getFileName().toString().equals("pid")
                    || p.getFileName().toString().equals("launcher.pid")).forEach(p -> {
                        try {
                            long pid = Long.parseLong(Files.readString(p).strip());
                            ProcessHandle.of(pid).ifPresent(handle -> {
                                processes.add(handle);
                                handle.descendants().forEach(processes::add);
                            });
                        } catch (IOException | NumberFormatException e) {
                            // a half-written pid file: the cookie scan still finds the process
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + baseDir, e);
        }
        return processes;
    }

    /**
     * Waits (at most 20 s: launcher shells end a moment after their node) until none of the
     * processes is alive; returns those still alive.
     */
    private static List<String> awaitGone(Set<ProcessHandle> recorded, String erlangCookie) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            List<String> alive = new ArrayList<>();
            recorded.stream().filter(ProcessHandle::isAlive).filter(p -> !isZombie(p.pid()))
                    .forEach(p -> alive.add(p.pid() + " " + p.info().commandLine().orElse("?")));
            if (erlangCookie != null) {
                alive.addAll(processesWhoseCommandLineContains(erlangCookie));
            }
            if (alive.isEmpty() || System.nanoTime() > deadline) {
                return alive;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return alive;
            }
        }
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int afterName = stat.lastIndexOf(')');
            return afterName > 0 && stat.length() > afterName + 2 && stat.charAt(afterName + 2) == 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> processesWhoseCommandLineContains(String text) {
        List<String> matches = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String commandLine = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    long pid = Long.parseLong(p.getFileName().toString());
                    if (pid != self && commandLine.contains(text) && !isZombie(pid)) {
                        matches.add(pid + " " + commandLine.strip());
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended while we looked
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc", e);
        }
        return matches;
    }

    private static Path scriptsDirectory() {
        String configured = System.getProperty("warren.it.scripts");
        List<Path> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        candidates.add(Path.of("scripts"));
        candidates.add(Path.of("src-it", "scripts"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate.resolve("start-cluster.sh"))) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("cannot find src-it/scripts/start-cluster.sh (looked in " + candidates
                + "; failsafe sets -Dwarren.it.scripts)");
    }

    private static String randomPrefix() {
        SecureRandom random = new SecureRandom();
        StringBuilder prefix = new StringBuilder("wit");
        for (int i = 0; i < 6; i++) {
            prefix.append((char) ('a' + random.nextInt(26)));
        }
        return prefix.toString();
    }

    /** A block of PORT_BLOCK AMQP ports whose distribution ports (+20000) are free as well. */
    private static int freePortBlock() {
        SecureRandom random = new SecureRandom();
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = FIRST_PORT + random.nextInt((LAST_PORT + 1 - FIRST_PORT) / PORT_BLOCK) * PORT_BLOCK;
            boolean free = true;
            for (int port = first; port < first + PORT_BLOCK && free; port++) {
                free = isFree(port) && isFree(port + 20000);
            }
            if (free) {
                return first;
            }
        }
        throw new IllegalStateException("no block of " + PORT_BLOCK + " free ports in " + FIRST_PORT + ".." + LAST_PORT
                + " (and +20000) after 200 tries");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port)); // wildcard: RabbitMQ listens on every interface
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A running cluster: node names and AMQP ports, index 0 is the seed node. */
    public static final class Cluster {
        private final List<String> nodeNames;
        private final List<Integer> amqpPorts;

        Cluster(List<String> nodeNames, List<Integer> amqpPorts) {
            this.nodeNames = List.copyOf(nodeNames);
            this.amqpPorts = List.copyOf(amqpPorts);
        }

        /** Number of nodes. */
        public int size() {
            return nodeNames.size();
        }

        /** Every node name, e.g. witabcdef1@localhost. */
        public List<String> nodeNames() {
            return nodeNames;
        }

        /** The name of node {@code index} (0-based). */
        public String nodeName(int index) {
            return nodeNames.get(index);
        }

        /** Every AMQP port, in node order. */
        public List<Integer> amqpPorts() {
            return amqpPorts;
        }

        /** The AMQP port of node {@code index} (0-based). */
        public int amqpPort(int index) {
            return amqpPorts.get(index);
        }

        /** oslo transport URL listing every node, e.g. {@code rabbit://guest:guest@127.0.0.1:5701,guest:guest@...:5702/}. */
        public String transportUrl() {
            StringBuilder url = new StringBuilder("rabbit://");
            for (int i = 0; i < amqpPorts.size(); i++) {
                url.append(i == 0 ? "" : ",").append("guest:guest@127.0.0.1:").append(amqpPorts.get(i));
            }
            return url.append('/').toString();
        }

        /** An amqp-client factory for node {@code index}, guest/guest, 5 s time-outs. */
        public ConnectionFactory connectionFactory(int index) {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost("127.0.0.1");
            factory.setPort(amqpPort(index));
            factory.setConnectionTimeout(5_000);
            factory.setHandshakeTimeout(5_000);
            return factory;
        }

        @Override
        public String toString() {
            return "Cluster" + nodeNames + " on " + amqpPorts;
        }
    }

    /**
     * A cluster of {@link #startPartitionableCluster}: node names and IP addresses, each node on
     * port 5672 of its own address; index 0 is the seed node.
     */
    public static final class PartitionableCluster {
        private final List<String> nodeNames;
        private final List<String> addresses;

        PartitionableCluster(List<String> nodeNames, List<String> addresses) {
            this.nodeNames = List.copyOf(nodeNames);
            this.addresses = List.copyOf(addresses);
        }

        /** Number of nodes. */
        public int size() {
            return nodeNames.size();
        }

        /** The name of node {@code index} (0-based), e.g. witabcdef1@10.123.0.1. */
        public String nodeName(int index) {
            return nodeNames.get(index);
        }

        /** The IP address of node {@code index} (0-based). */
        public String address(int index) {
            return addresses.get(index);
        }

        /** The index of the node at {@code hostAndPort} ("10.123.0.2:5672"), or -1. */
        public int indexOf(String hostAndPort) {
            String host = hostAndPort.contains(":") ? hostAndPort.substring(0, hostAndPort.lastIndexOf(':')) : hostAndPort;
            return addresses.indexOf(host);
        }

        /** oslo transport URL listing every node: {@code rabbit://guest:guest@10.123.0.1:5672,...}. */
        public String transportUrl() {
            StringBuilder url = new StringBuilder("rabbit://");
            for (int i = 0; i < addresses.size(); i++) {
                url.append(i == 0 ? "" : ",").append("guest:guest@").append(addresses.get(i)).append(":5672");
            }
            return url.append('/').toString();
        }

        /** An amqp-client factory for node {@code index}, guest/guest, 5 s time-outs. */
        public ConnectionFactory connectionFactory(int index) {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost(address(index));
            factory.setPort(5672);
            factory.setConnectionTimeout(5_000);
            factory.setHandshakeTimeout(5_000);
            return factory;
        }

        @Override
        public String toString() {
            return "PartitionableCluster" + nodeNames;
        }
    }

    /** The TLS-only node and the files of its throw-away CA. */
    public static final class TlsNode {
        private final String nodeName;
        private final int port;
        private final Path tlsDir;

        TlsNode(String nodeName, int port, Path tlsDir) {
            this.nodeName = nodeName;
            this.port = port;
            this.tlsDir = tlsDir;
        }

        /** Node name, e.g. witabcdeftls@localhost. */
        public String nodeName() {
            return nodeName;
        }

        /** The TLS AMQP port (there is no plain listener). */
        public int port() {
            return port;
        }

        /** The CA that signed the server and client certificates. */
        public Path caPem() {
            return tlsDir.resolve("ca.pem");
        }

        /** Another CA, which signed nothing the node trusts (for negative tests). */
        public Path wrongCaPem() {
            return tlsDir.resolve("wrong-ca.pem");
        }

        /** Client key and certificate signed by {@link #caPem()}, PKCS12, password {@value #CLIENT_P12_PASSWORD}. */
        public Path clientP12() {
            return tlsDir.resolve("client.p12");
        }

        /** Client certificate signed by {@link #wrongCaPem()} (PEM; key in wrong-client.key). */
        public Path wrongClientPem() {
            return tlsDir.resolve("wrong-client.pem");
        }

        /**
         * A TLS context trusting only {@code trustedCaPem}, presenting {@link #clientP12()} when
         * {@code withClientCertificate}.
         */
        public SSLContext sslContext(Path trustedCaPem, boolean withClientCertificate) {
            try {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                try (InputStream in = Files.newInputStream(trustedCaPem)) {
                    trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
                }
                TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(
                        TrustManagerFactory.getDefaultAlgorithm());
                trustManagers.init(trust);
                KeyManagerFactory keyManagers = null;
                if (withClientCertificate) {
                    KeyStore keys = KeyStore.getInstance("PKCS12");
                    try (InputStream in = Files.newInputStream(clientP12())) {
                        keys.load(in, CLIENT_P12_PASSWORD.toCharArray());
                    }
                    keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                    keyManagers.init(keys, CLIENT_P12_PASSWORD.toCharArray());
                }
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keyManagers == null ? null : keyManagers.getKeyManagers(),
                        trustManagers.getTrustManagers(), null);
                return context;
            } catch (Exception e) {
                throw new IllegalStateException("cannot build a TLS context from " + trustedCaPem, e);
            }
        }

        /**
         * An amqp-client factory for this node over TLS with host-name verification, trusting
         * {@link #caPem()} and presenting the client certificate.
         */
        public ConnectionFactory connectionFactory() {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost("localhost");
            factory.setPort(port);
            factory.setConnectionTimeout(5_000);
            factory.setHandshakeTimeout(5_000);
            factory.useSslProtocol(sslContext(caPem(), true));
            factory.enableHostnameVerification();
            return factory;
        }

        @Override
        public String toString() {
            return "TlsNode[" + nodeName + " on TLS port " + port + "]";
        }
    }
}
