package io.warren.it.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.it.support.BoundedProcess;
import io.warren.it.support.TestBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * The README's "A minimal webapp", as a reader would use it: its files written out as they are,
 * built by Maven against this reactor's Warren jars, the WAR deployed in Jetty 12, and its curl
 * line run. The broker URL in web.xml is the one thing changed, to the test's broker.
 *
 * <p>The nested build has a local repository of its own (in a temp directory, holding this
 * reactor's io.warren artifacts) and takes everything else from the machine's local repository
 * through a file:// mirror: it neither installs into that repository nor goes to the network.
 */
class MinimalWebappIT {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final String SHOWN_URL = "rabbit://guest:guest@localhost:5672/";
    private final TestBroker broker = TestBroker.shared();

    @Test
    void theReadmesMinimalWebappBuildsDeploysAndAnswersItsCurlLine() throws Exception {
        List<String> section = section(Files.readAllLines(ROOT.resolve("README.md")), "## A minimal webapp");
        Path work = Files.createTempDirectory("warren-it-minimal-");
        try (TestBroker.PrivateVhost vhost = broker.isRabbitMq() ? broker.privateVhost("the example's fixed topic") : null) {
            String url = (vhost != null ? vhost.broker() : broker).transportUrl();
            Path project = work.resolve("hello");
            List<String> written = writeFiles(section, project);
            assertThat(written).as("the files of the README's minimal webapp")
                    .contains("pom.xml", "src/main/webapp/WEB-INF/web.xml");
            Path webXml = project.resolve("src/main/webapp/WEB-INF/web.xml");
            String xml = Files.readString(webXml);
            assertThat(xml).as("web.xml names the broker as shown").contains(SHOWN_URL);
            Files.writeString(webXml, xml.replace(SHOWN_URL, url));

            Path repo = work.resolve("repository");
            stageReactorArtifacts(repo);
            Path settings = work.resolve("settings.xml");
            Files.writeString(settings, "<settings><mirrors><mirror><id>machine-local</id><mirrorOf>*</mirrorOf><url>"
                    + machineRepository().toUri() + "</url></mirror></mirrors></settings>\n");
            List<String> build = shownBuildCommand(section);
            List<String> command = new ArrayList<>(build);
            command.addAll(List.of("-s", settings.toString(), "-Dmaven.repo.local=" + repo, "-f",
                    project.resolve("pom.xml").toString()));
            BoundedProcess.Result built = BoundedProcess.run(Duration.ofMinutes(5), command, Map.of());
            assertThat(built.exitCode()).as(String.join(" ", command) + "\n" + built.output()).isZero();
            Path war = project.resolve("target/hello-1.0.war");
            assertThat(war).isRegularFile();
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(war.toFile())) {
                java.util.zip.ZipEntry core = zip.getEntry("WEB-INF/lib/connector-core-0.1.0-SNAPSHOT.jar");
                assertThat(core).as("connector-core in the WAR's WEB-INF/lib").isNotNull();
                assertThat(zip.getInputStream(core).readAllBytes()).as("the WAR holds this reactor's connector-core")
                        .isEqualTo(Files.readAllBytes(jarOf(io.warren.Connector.class)));
            }

            // Broker-J reads the AMQP expiration as an absolute time (DemoBroker): calls must not carry it.
            if (broker.isEmbedded()) {
                System.setProperty("warren.call_expiration", "false");
            }
            Server jetty = new Server();
            try {
                ServerConnector http = new ServerConnector(jetty);
                http.setHost("127.0.0.1");
                jetty.addConnector(http);
                WebAppContext webapp = new WebAppContext(war.toString(), "/hello");
                webapp.setThrowUnavailableOnStartupException(true);
                jetty.setHandler(webapp);
                jetty.start();
                String port = Integer.toString(http.getLocalPort());
                ExamplesReadme.Shown curl = shownCurl(section);
                String out = BoundedProcess.run(Duration.ofSeconds(30),
                        List.of("bash", "-c", curl.command.replace("localhost:8080", "127.0.0.1:" + port)), Map.of())
                        .requireSuccess().output();
                assertThat(out.strip()).as("$ " + curl.command).isEqualTo(curl.output);
            } finally {
                jetty.stop();
                System.clearProperty("warren.call_expiration");
            }
        } finally {
            deleteTree(work);
        }
    }

    /** The lines of a README section, its heading to the next one. */
    private static List<String> section(List<String> lines, String heading) {
        int start = lines.indexOf(heading);
        assertThat(start).as("README.md has the section '" + heading + "'").isNotNegative();
        int end = start + 1;
        while (end < lines.size() && !lines.get(end).startsWith("## ")) {
            end++;
        }
        return lines.subList(start, end);
    }

    /** Writes every fenced block whose first line names its file ({@code <!-- path -->} or {@code // path}). */
    private static List<String> writeFiles(List<String> section, Path project) throws IOException {
        List<String> written = new ArrayList<>();
        for (List<String> block : blocks(section)) {
            String first = block.isEmpty() ? "" : block.get(0).strip();
            String path = first.startsWith("<!-- ") && first.endsWith(" -->") ? first.substring(5, first.length() - 4)
                    : first.startsWith("// ") && first.endsWith(".java") ? first.substring(3) : null;
            if (path == null) {
                continue;
            }
            Path file = project.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.join("\n", block) + "\n", StandardCharsets.UTF_8);
            written.add(path);
        }
        return written;
    }

    /** The README's build line ({@code mvn ...} before its comment). */
    private static List<String> shownBuildCommand(List<String> section) {
        for (List<String> block : blocks(section)) {
            for (String line : block) {
                if (line.startsWith("mvn ")) {
                    String command = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
                    return List.of(command.strip().split("\\s+"));
                }
            }
        }
        throw new AssertionError("no mvn line in the README's minimal webapp");
    }

    private static ExamplesReadme.Shown shownCurl(List<String> section) {
        for (List<String> block : blocks(section)) {
            if (!block.isEmpty() && block.get(0).startsWith("$ curl")) {
                return new ExamplesReadme.Shown(block.get(0).substring(2), String.join("\n", block.subList(1, block.size())).strip());
            }
        }
        throw new AssertionError("no $ curl line in the README's minimal webapp");
    }

    private static List<List<String>> blocks(List<String> section) {
        List<List<String>> out = new ArrayList<>();
        List<String> current = null;
        for (String line : section) {
            if (line.startsWith("```")) {
                if (current != null) {
                    out.add(current);
                    current = null;
                } else {
                    current = new ArrayList<>();
                }
            } else if (current != null) {
                current.add(line);
            }
        }
        return out;
    }

    /**
     * This reactor's io.warren artifacts, laid out in {@code repo} as if installed there: the
     * parent and BOM poms as they are, each connector jar with its pom.
     */
    private static void stageReactorArtifacts(Path repo) throws Exception {
        String version = "0.1.0-SNAPSHOT";
        stage(repo, "warren-parent", version, ROOT.resolve("pom.xml"), null);
        stage(repo, "warren-bom", version, ROOT.resolve("connector-core/bom/pom.xml"), null);
        stage(repo, "connector-core", version, ROOT.resolve("connector-core/pom.xml"), jarOf(io.warren.Connector.class));
        stage(repo, "connector-servlet", version, ROOT.resolve("connector-servlet/pom.xml"),
                jarOf(io.warren.servlet.WarrenContextListener.class));
    }

    private static void stage(Path repo, String artifact, String version, Path pom, Path jar) throws IOException {
        Path dir = repo.resolve("io/warren").resolve(artifact).resolve(version);
        Files.createDirectories(dir);
        Files.copy(pom, dir.resolve(artifact + "-" + version + ".pom"));
        if (jar != null) {
            Files.copy(jar, dir.resolve(artifact + "-" + version + ".jar"));
        }
    }

    private static Path jarOf(Class<?> type) throws Exception {
        Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(jar).as("the reactor's jar of " + type.getName() + " (run through mvn verify, after package)")
                .isRegularFile();
        return jar;
    }

    private static Path machineRepository() {
        Path repo = Path.of(System.getProperty("warren.it.localRepository",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
        assertThat(repo).as("the local Maven repository the reactor built from").isDirectory();
        return repo;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
