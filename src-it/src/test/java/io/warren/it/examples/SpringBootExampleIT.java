package io.warren.it.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import java.io.Closeable;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * examples/spring-boot as its README runs it: a Spring Boot app (embedded Tomcat) with Warren's
 * connector as a bean beside Spring AMQP, against the real RabbitMQ (a private vhost: the example
 * has fixed topic and queue names), called over HTTP. Then the context closes, and nothing Warren
 * started may be left: no thread, no MXBean, no broker connection.
 *
 * <p>The app runs in a class loader of its own (parent: the platform loader), from the runtime
 * class path its build wrote: Boot, logback and Boot's versions of amqp-client, Micrometer and
 * Jackson never meet this JVM's, exactly as they would not in the user's app.
 */
class SpringBootExampleIT {
    private static final Path EXAMPLE = Path.of(System.getProperty("warren.it.springBootExample",
            Path.of(System.getProperty("user.dir")).resolveSibling("examples/spring-boot/target").toString()));
    private static final Duration BOUND = Duration.ofSeconds(20);
    private final TestBroker broker = TestBroker.shared();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aBootAppServesWarrenRpcBesideSpringAmqpAndLeavesNothingOfWarrenWhenItsContextCloses() throws Exception {
        broker.requireRabbitMq("a private vhost for the Boot example's fixed topic and queue");
        String name = "boot-it-" + UUID.randomUUID().toString().substring(0, 8);
        try (TestBroker.PrivateVhost vhost = broker.privateVhost("the Boot example's fixed topic and queue");
                URLClassLoader loader = new URLClassLoader(classPath(), ClassLoader.getPlatformClassLoader())) {
            TestBroker app = vhost.broker();
            String[] args = {
                "--server.port=0", "--server.address=127.0.0.1",
                "--spring.main.register-shutdown-hook=false", "--spring.main.banner-mode=off",
                "--spring.rabbitmq.host=" + app.host(), "--spring.rabbitmq.port=" + app.port(),
                "--spring.rabbitmq.virtual-host=" + vhost.name(),
                "--warren.url=" + app.transportUrl(), "--warren.name=" + name,
            };
            ObjectName mxBean = io.warren.jmx.ConnectorJmx.objectName(name);
            Closeable context = run(loader, args);
            try {
                String base = "http://127.0.0.1:" + property(loader, context, "local.server.port");

                // An HTTP request served by an oslo RPC call through Warren, to Warren's own server.
                HttpResponse<String> host = get(base + "/hosts/compute1");
                assertThat(host.statusCode()).as(host.body()).isEqualTo(200);
                JsonNode described = json.readTree(host.body());
                assertThat(described.path("host").asText()).isEqualTo("compute1");
                assertThat(described.path("served_by").asText()).isEqualTo(name);

                // Spring AMQP beside it: RabbitTemplate to the app's queue, @RabbitListener from it.
                String order = "order-" + UUID.randomUUID();
                HttpResponse<String> queued = http.send(HttpRequest.newBuilder(URI.create(base + "/orders"))
                        .timeout(BOUND).header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString(order)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
                long deadline = System.nanoTime() + BOUND.toNanos();
                while (!get(base + "/orders").body().contains(order) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(get(base + "/orders").body()).as("orders the @RabbitListener received").contains(order);

                // Boot's actuator: Warren's health component beside Spring AMQP's, no secret in it.
                HttpResponse<String> health = get(base + "/actuator/health");
                assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
                JsonNode components = json.readTree(health.body()).path("components");
                assertThat(components.path("warren").path("status").asText()).as(health.body()).isEqualTo("UP");
                assertThat(components.path("warren").path("details").path("state").asText()).isEqualTo("RUNNING");
                assertThat(components.path("rabbit").path("status").asText()).as(health.body()).isEqualTo("UP");
                assertThat(health.body()).doesNotContain(app.transportUrl()).doesNotContain("guest:guest");

                // Boot's MeterRegistry, handed to Warren: both clients' rabbitmq.* series are scraped.
                String scrape = get(base + "/actuator/prometheus").body();
                assertThat(scrape).contains("warren_rpc_calls_seconds_count{method=\"describe_host\",outcome=\"ok\","
                        + "topic=\"boot-example-hosts\",warren_connector=\"" + name + "\"} 1");
                assertThat(scrape).contains("rabbitmq_connections{name=\"warren\",warren_connector=\"" + name + "\"} 2.0");
                assertThat(scrape).contains("rabbitmq_connections{name=\"rabbit\",warren_connector=\"\"} 1.0");

                assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(mxBean)).as(mxBean.toString()).isTrue();
                assertThat(warrenConnections(vhost, name)).as("Warren's connections in the vhost").hasSize(2);
                assertThat(CoreFixtures.liveThreads(name)).as("Warren's threads while running").isNotEmpty();
            } finally {
                close(loader, context);
            }

            // Closing the context stops the connector and joins its threads before close returns.
            assertThat(CoreFixtures.liveThreads(name)).as("Warren's threads after the context closed").isEmpty();
            assertThat(ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("io.warren:*"), null))
                    .as("Warren's MXBeans after the context closed").doesNotContain(mxBean);
            // The broker drops a closed connection from its list a moment after the close.
            long deadline = System.nanoTime() + BOUND.toNanos();
            List<Rabbitmqctl.ConnectionInfo> left = warrenConnections(vhost, name);
            while (!left.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(250);
                left = warrenConnections(vhost, name);
            }
            assertThat(left).as("Warren's broker connections after the context closed").isEmpty();
        }
    }

    @Test
    void theReadmesSnippetIsTheExamplesCodeLineForLine() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        List<String> readme = Files.readAllLines(root.resolve("README.md"));
        int section = readme.indexOf("## Spring Boot, beside Spring AMQP");
        assertThat(section).as("README section 'Spring Boot, beside Spring AMQP'").isNotNegative();
        int open = readme.subList(section, readme.size()).indexOf("```java") + section;
        int close = readme.subList(open + 1, readme.size()).indexOf("```") + open + 1;
        List<String> shown = readme.subList(open + 1, close).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        List<String> source = Files.readAllLines(root.resolve(
                "examples/spring-boot/src/main/java/io/warren/examples/boot/WarrenConfiguration.java"))
                .stream().map(String::strip).toList();
        int at = 0;
        for (String line : shown) {
            int found = source.subList(at, source.size()).indexOf(line);
            assertThat(found).as("README's Boot snippet line, in order, in WarrenConfiguration.java: " + line).isNotNegative();
            at += found + 1;
        }
        assertThat(shown).as("README's Boot snippet").hasSizeGreaterThan(10);
    }

    /** target/classes and the runtime class path the example's build wrote. */
    private static URL[] classPath() throws Exception {
        Path listing = EXAMPLE.resolve("runtime-classpath.txt");
        assertThat(listing).as("the Boot example's class path (built by its module; run with -am)").isRegularFile();
        List<URL> urls = new ArrayList<>();
        urls.add(EXAMPLE.resolve("classes").toUri().toURL());
        for (String entry : Files.readString(listing).trim().split(java.io.File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        return urls.toArray(URL[]::new);
    }

    private static Closeable run(ClassLoader loader, String[] args) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Class<?> application = loader.loadClass("io.warren.examples.boot.BootExampleApplication");
            return (Closeable) loader.loadClass("org.springframework.boot.SpringApplication")
                    .getMethod("run", Class.class, String[].class).invoke(null, application, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new AssertionError("the Boot example did not start", e.getCause());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static void close(ClassLoader loader, Closeable context) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            context.close();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static String property(ClassLoader loader, Object context, String key) throws Exception {
        Object environment = loader.loadClass("org.springframework.core.env.EnvironmentCapable")
                .getMethod("getEnvironment").invoke(context);
        return (String) loader.loadClass("org.springframework.core.env.PropertyResolver")
                .getMethod("getProperty", String.class).invoke(environment, key);
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(BOUND).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<Rabbitmqctl.ConnectionInfo> warrenConnections(TestBroker.PrivateVhost vhost, String name) {
        return vhost.connections().stream().filter(c -> c.connectionName() != null && c.connectionName().startsWith(name + " ")).toList();
    }
}
