package io.warren.it.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Tomcat of the test's own: one installed distribution (Debian's {@code tomcat10}, or an Apache
 * Tomcat tar.gz that src-it's pom unpacks into {@code target/tomcat}) run with a private
 * CATALINA_BASE on a free loopback port, no shutdown port and a one-second deployer scan. WARs
 * are copied into {@code webapps/} under a temporary name and renamed, so the scanner never sees
 * half a file. With {@link Distribution#hasManager()} the base also deploys Tomcat's manager
 * webapp with a user of the test's own, for {@link #reload} and {@link #findLeaks}.
 *
 * <p>{@link #close()} stops Tomcat (SIGTERM: its shutdown hook stops it in order; killed after
 * 30 s) and deletes the base.
 */
public final class Tomcat implements AutoCloseable {
    /** How long a status is waited for after a deploy, an undeploy or a start. */
    public static final Duration STATUS_BOUND = Duration.ofSeconds(90);
    /** What Tomcat says when a webapp left something behind (a thread, a ThreadLocal, a driver, a class loader). */
    public static final List<String> LEAK_WARNINGS = List.of("appears to have started a", "memory leak",
            "failed to stop", "failed to remove", "failed to unregister");

    /** An installed Tomcat: CATALINA_HOME and the conf/ folder a private base copies its files from. */
    public static final class Distribution {
        private final String name;
        private final Path home;
        private final Path conf;
        private final boolean manager;

        private Distribution(String name, Path home, Path conf, boolean manager) {
            this.name = name;
            this.home = home;
            this.conf = conf;
            this.manager = manager;
        }

        /** Debian's tomcat10 (Tomcat 10.1), installed by .ci/run; its manager is a separate package, not used. */
        public static Distribution debianTomcat10() {
            return new Distribution("Tomcat 10.1 (Debian)", Path.of("/usr/share/tomcat10"), Path.of("/etc/tomcat10"), false);
        }

        /**
         * An Apache Tomcat distribution unpacked by src-it's pom ({@code maven-dependency-plugin:unpack}
         * of {@code org.apache.tomcat:tomcat:<version>:tar.gz}); failsafe passes its folder as the system
         * property {@code warren.it.tomcat<major>}.
         */
        public static Distribution apache(int major) {
            String property = "warren.it.tomcat" + major;
            String home = System.getProperty(property, "");
            String version = home.isEmpty() ? String.valueOf(major) : Path.of(home).getFileName().toString().replace("apache-tomcat-", "");
            Path dir = Path.of(home.isEmpty() ? "target/tomcat/apache-tomcat-" + major + "-not-set" : home);
            return new Distribution("Apache Tomcat " + version, dir, dir.resolve("conf"), true);
        }

        public String name() {
            return name;
        }

        public Path home() {
            return home;
        }

        /** Whether the base deploys the distribution's manager webapp. */
        public boolean hasManager() {
            return manager;
        }

        /** Skips the test when the distribution is not there (fails under CI, where skips are forbidden). */
        public Distribution require() {
            if (Files.isRegularFile(home.resolve("bin/catalina.sh")) && Files.isDirectory(conf)) {
                return this;
            }
            String why = name + " required at " + home + " (Debian tomcat10 from .ci/run, or src-it's pom unpacking the Apache tar.gz"
                    + " in mvn verify)";
            if (TestBroker.noSkip()) {
                throw new AssertionError(why + "; CI forbids skips");
            }
            org.junit.jupiter.api.Assumptions.abort("WARREN-IT needs " + why + ": not there");
            return this;
        }
    }

    private final Distribution distribution;
    private final Path base;
    private final Path console;
    private final int port;
    private final String managerUser = "warren-it";
    // A password of this run only, never printed: the manager's Basic authentication.
    private final String managerPassword = UUID.randomUUID().toString();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private Process process;

    private Tomcat(Distribution distribution, Path base, int port) {
        this.distribution = distribution;
        this.base = base;
        this.console = base.resolve("catalina.out");
        this.port = port;
    }

    /**
     * Makes a private base and starts {@code catalina.sh run} in it, with {@code environment} added to
     * the process environment (where a deployment puts the broker URL: {@code WARREN_URL}). Returns
     * once the process runs; wait for a webapp's status with {@link #awaitStatus}.
     */
    public static Tomcat start(Distribution distribution, Map<String, String> environment) throws IOException {
        distribution.require();
        Tomcat tomcat = new Tomcat(distribution, Files.createTempDirectory("warren-it-tomcat-"), freePort());
        try {
            tomcat.makeBase();
            // sh rather than the file itself: an unpacked tar.gz need not keep the executable bits.
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", distribution.home.resolve("bin/catalina.sh").toString(), "run")
                    .redirectErrorStream(true).redirectOutput(tomcat.console.toFile());
            pb.environment().put("CATALINA_HOME", distribution.home.toString());
            pb.environment().put("CATALINA_BASE", tomcat.base.toString());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().remove("CATALINA_OPTS");
            pb.environment().remove("JAVA_OPTS");
            pb.environment().putAll(environment);
            tomcat.process = pb.start();
            return tomcat;
        } catch (IOException | RuntimeException e) {
            tomcat.close();
            throw e;
        }
    }

    private void makeBase() throws IOException {
        for (String dir : List.of("conf", "webapps", "logs", "temp", "work", "conf/Catalina/localhost")) {
            Files.createDirectories(base.resolve(dir));
        }
        for (String f : List.of("web.xml", "context.xml", "catalina.properties", "logging.properties")) {
            Files.copy(distribution.conf.resolve(f), base.resolve("conf").resolve(f));
        }
        String users = "<tomcat-users xmlns=\"http://tomcat.apache.org/xml\" version=\"1.0\">\n";
        if (distribution.manager) {
            users += "  <role rolename=\"manager-script\"/>\n  <user username=\"" + managerUser + "\" password=\""
                    + managerPassword + "\" roles=\"manager-script\"/>\n";
            // The distribution's manager, from CATALINA_HOME, at /manager (its own context.xml allows loopback only).
            Files.writeString(base.resolve("conf/Catalina/localhost/manager.xml"),
                    "<Context docBase=\"" + distribution.home.resolve("webapps/manager") + "\" privileged=\"true\" antiResourceLocking=\"false\"/>\n");
        }
        Files.writeString(base.resolve("conf/tomcat-users.xml"), users + "</tomcat-users>\n");
        // A loopback-only server with no shutdown port and a one-second deployer scan.
        Files.writeString(base.resolve("conf/server.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <Server port="-1" shutdown="SHUTDOWN">
                  <Listener className="org.apache.catalina.core.JreMemoryLeakPreventionListener" />
                  <Listener className="org.apache.catalina.core.ThreadLocalLeakPreventionListener" />
                  <GlobalNamingResources>
                    <Resource name="UserDatabase" auth="Container" type="org.apache.catalina.UserDatabase"
                              factory="org.apache.catalina.users.MemoryUserDatabaseFactory" pathname="conf/tomcat-users.xml" />
                  </GlobalNamingResources>
                  <Service name="Catalina">
                    <Connector port="%d" address="127.0.0.1" protocol="HTTP/1.1" connectionTimeout="20000" />
                    <Engine name="Catalina" defaultHost="localhost" backgroundProcessorDelay="1">
                      <Realm className="org.apache.catalina.realm.UserDatabaseRealm" resourceName="UserDatabase" />
                      <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="true" />
                    </Engine>
                  </Service>
                </Server>
                """.formatted(port));
    }

    public Distribution distribution() {
        return distribution;
    }

    /** The private CATALINA_BASE. */
    public Path base() {
        return base;
    }

    /** {@code http://127.0.0.1:<port>} followed by {@code path}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** The JVM's process id ({@code catalina.sh run} execs java). */
    public long pid() {
        return process.pid();
    }

    /** Copies {@code war} into webapps/{@code name}.war under a temporary name and renames it. */
    public Path deploy(Path war, String name) throws IOException {
        Path deployed = base.resolve("webapps").resolve(name + ".war");
        Path partial = deployed.resolveSibling(name + ".war.part");
        Files.copy(war, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, deployed, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return deployed;
    }

    /** Deletes webapps/{@code name}.war: the scanner undeploys the webapp and removes its unpacked folder. */
    public void undeploy(String name) throws IOException {
        Files.delete(base.resolve("webapps").resolve(name + ".war"));
    }

    /** GET {@code url} until it answers {@code status}; fails with the console log when Tomcat exits or the bound runs out. */
    public void awaitStatus(String url, int status, Duration bound) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(distribution.name + " exited:\n" + consoleLog());
            }
            try {
                last = send("GET", url, null, Duration.ofSeconds(20)).statusCode();
                if (last == status) {
                    return;
                }
            } catch (IOException e) {
                last = -1; // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("GET " + url + " did not answer " + status + " within " + bound + " (last " + last + ") in "
                + distribution.name + ":\n" + consoleLog());
    }

    /** {@link #awaitStatus(String, int, Duration)} within {@link #STATUS_BOUND}. */
    public void awaitStatus(String url, int status) throws IOException, InterruptedException {
        awaitStatus(url, status, STATUS_BOUND);
    }

    /** One request with a JSON body (or none), bounded by {@code timeout}. */
    public HttpResponse<String> send(String method, String url, String body, Duration timeout) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@link #send(String, String, String, Duration)} with a 20 s bound. */
    public HttpResponse<String> send(String method, String url, String body) throws IOException, InterruptedException {
        return send(method, url, body, Duration.ofSeconds(20));
    }

    /**
     * The manager's text interface reloads the context at {@code contextPath} (stop, then start, in
     * the request; Tomcat holds the context's new requests meanwhile). Returns the manager's answer,
     * which starts with {@code OK - } when the reload worked.
     */
    public String reload(String contextPath) throws IOException, InterruptedException {
        return manager("reload?path=" + URLEncoder.encode(contextPath, StandardCharsets.UTF_8));
    }

    /**
     * The manager's {@code findleaks}: after a full GC, the context paths whose stopped webapps'
     * class loaders are still reachable, one line each ({@code statusLine=false}: nothing else).
     */
    public List<String> findLeaks() throws IOException, InterruptedException {
        String answer = manager("findleaks?statusLine=true");
        if (!answer.startsWith("OK")) {
            throw new AssertionError("findleaks: " + answer);
        }
        List<String> leaked = new ArrayList<>();
        for (String line : answer.split("\n")) {
            if (!line.isBlank() && !line.startsWith("OK")) {
                leaked.add(line.trim());
            }
        }
        return leaked;
    }

    private String manager(String command) throws IOException, InterruptedException {
        if (!distribution.manager) {
            throw new IllegalStateException(distribution.name + " runs without the manager webapp");
        }
        String credentials = Base64.getEncoder().encodeToString((managerUser + ":" + managerPassword).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url("/manager/text/" + command)))
                .timeout(Duration.ofSeconds(120)).header("Authorization", "Basic " + credentials).GET().build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("manager " + command + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /**
     * The names of the threads in Tomcat's JVM that start with {@code prefix} (Warren's:
     * {@code warren-}), read with {@code jcmd Thread.print}; sorted, with their counts when a name repeats.
     */
    public List<String> threadsNamed(String prefix) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String dump = BoundedProcess.run(Duration.ofSeconds(30), List.of(jcmd.toString(), String.valueOf(pid()), "Thread.print"), Map.of())
                .requireSuccess().output();
        Map<String, Integer> names = new LinkedHashMap<>();
        for (String line : dump.split("\n")) {
            if (line.startsWith("\"" + prefix)) {
                names.merge(line.substring(1, line.indexOf('"', 1)), 1, Integer::sum);
            }
        }
        TreeSet<String> sorted = new TreeSet<>();
        names.forEach((n, c) -> sorted.add(c == 1 ? n : n + " x" + c));
        return List.copyOf(sorted);
    }

    /** What Tomcat printed on its console (stdout and stderr of {@code catalina.sh run}). */
    public String consoleLog() throws IOException {
        return Files.readString(console);
    }

    /** The console and every file under logs/. */
    public String allLogs() throws IOException {
        StringBuilder all = new StringBuilder(consoleLog());
        try (Stream<Path> files = Files.list(base.resolve("logs"))) {
            for (Path f : files.sorted().toList()) {
                all.append(Files.readString(f));
            }
        }
        return all.toString();
    }

    /**
     * Each line of the logs (console and logs/) that carries one of {@link #LEAK_WARNINGS}, with the
     * stack trace Tomcat prints after it (up to the next log line); a warning in two logs counts once.
     */
    public List<String> leakWarnings() throws IOException {
        java.util.Set<String> found = new java.util.LinkedHashSet<>();
        StringBuilder current = null;
        for (String line : allLogs().split("\n")) {
            boolean logLine = line.matches("^(\\d{2}-\\w{3}-\\d{4} |\\d{2}:\\d{2}:\\d{2}).*");
            if (logLine && current != null) {
                found.add(current.toString());
                current = null;
            }
            if (current != null) {
                current.append('\n').append(line);
            } else if (LEAK_WARNINGS.stream().anyMatch(line::contains)) {
                current = new StringBuilder(line.trim());
            }
        }
        if (current != null) {
            found.add(current.toString());
        }
        return List.copyOf(found);
    }

    /**
     * Whether a leak warning (with its stack trace, from {@link #leakWarnings()}) is about one of
     * Tomcat's own threads caught in Tomcat's own code: during a reload, Tomcat's background
     * processor ({@code Catalina-utility-n}, in {@code StandardContext.backgroundProcess}) and request
     * threads waiting in {@code StandardWrapper.unload} carry the context's class loader while it
     * stops. Such a warning names no frame of Warren or the app; any other is the webapp's.
     */
    public static boolean isTomcatsOwnThreadInTomcatsCode(String warning) {
        java.util.regex.Matcher thread = java.util.regex.Pattern.compile("thread (?:named )?\\[([^\\]]+)\\]").matcher(warning);
        if (!thread.find()) {
            return false;
        }
        String name = thread.group(1);
        boolean tomcats = name.startsWith("Catalina-utility-") || name.matches("http-nio-.*-exec-\\d+");
        String stack = warning.substring(warning.indexOf('\n') + 1);
        return tomcats && !stack.contains("io.warren") && stack.contains("org.apache.catalina.");
    }

    /** How often {@code what} occurs in {@code text}. */
    public static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        try {
            if (process != null) {
                process.destroy(); // SIGTERM: Tomcat's shutdown hook stops it in order
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteTree(base);
        }
    }

    /** A free port on this machine (closed again: the caller binds it next). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Deletes a folder and everything under it. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
