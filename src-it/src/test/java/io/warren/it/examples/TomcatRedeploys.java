package io.warren.it.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.Connector;
import io.warren.examples.worker.ComputeWorker;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import io.warren.it.support.Tomcat;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The deployment story every Tomcat IT tells with the demo WAR (or its javax build): deployed
 * into a private CATALINA_BASE, driven over HTTP (a server created by an RPC call to the compute
 * worker), undeployed and deployed again {@link #REDEPLOYS} times, then undeployed for good. The
 * counts that prove nothing is left: the app's broker connections (rabbitmqctl, in a vhost of the
 * test's own: one pair while UP, none after), Warren's threads in Tomcat's JVM (one connector's
 * while UP, none after), class loaders of stopped webapps still reachable after a
 * full GC (the manager's findleaks, where the distribution has the manager) and Tomcat's leak
 * warnings in its logs: 0 each.
 */
final class TomcatRedeploys {
    static final int REDEPLOYS = 20;
    static final String WEBAPP = "servers";
    static final String CONTEXT = "/" + WEBAPP;
    static final String RELEASED = "Warren released everything of webapp '" + CONTEXT + "'";

    /** What a test does with the app UP after the redeploys; returns how many times it reloaded the context. */
    interface WhileUp {
        int run(Tomcat tomcat, String app) throws Exception;
    }

    /** Who ran it and what was counted, for the test's one WARREN-IT line. */
    static final class Counts {
        final String tomcat;
        final int deploys;
        final int reloads;
        final List<String> threadsWhileUp;
        final boolean classLoadersCounted;

        Counts(String tomcat, int deploys, int reloads, List<String> threadsWhileUp, boolean classLoadersCounted) {
            this.classLoadersCounted = classLoadersCounted;
            this.tomcat = tomcat;
            this.deploys = deploys;
            this.reloads = reloads;
            this.threadsWhileUp = threadsWhileUp;
        }

        @Override
        public String toString() {
            return tomcat + ": " + deploys + " deploys (" + REDEPLOYS + " redeploys), " + reloads + " reloads; while UP 2 broker"
                    + " connections and " + threadsWhileUp.size() + " warren- threads; after undeploy 0 connections, 0 threads, "
                    + (classLoadersCounted ? "0 leaked class loaders (findleaks), " : "") + "0 leak warnings";
        }
    }

    private TomcatRedeploys() {
    }

    static Path demoWar() {
        Path war = Path.of(System.getProperty("warren.it.demoWar", "../examples/target/examples-0.1.0-SNAPSHOT.war"));
        assertThat(war).isRegularFile();
        return war;
    }

    static Counts run(TestBroker broker, Tomcat.Distribution distribution, Path war, WhileUp whileUp) throws Exception {
        broker.requireRabbitMq("the demo WAR in " + distribution.name() + " (and rabbitmqctl to count its connections)");
        distribution.require();
        assertThat(war).isRegularFile();
        // The demo's names are fixed (exchange, topics, connection names): a vhost of its own keeps
        // other test runs on this machine's broker out of its calls and its connection count.
        try (TestBroker.PrivateVhost vhost = broker.privateVhost("the demo WAR's fixed names, counting its connections")) {
            Connector worker = ComputeWorker.start(vhost.broker().transportUrl(), Map.of());
            try (Tomcat tomcat = Tomcat.start(distribution, Map.of("WARREN_URL", vhost.broker().transportUrl()))) {
                return deployAndRedeploy(tomcat, vhost, war, whileUp);
            } finally {
                worker.stop(Duration.ofSeconds(10));
            }
        }
    }

    private static Counts deployAndRedeploy(Tomcat tomcat, TestBroker.PrivateVhost vhost, Path war, WhileUp whileUp) throws Exception {
        String app = tomcat.url(CONTEXT);
        String health = app + "/warren/health";
        tomcat.deploy(war, WEBAPP);
        tomcat.awaitStatus(health, 200);

        HttpResponse<String> created = tomcat.send("POST", app + "/servers", "{\"name\": \"tomcat1\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(tomcat.send("GET", app + "/servers", null).body()).contains("tomcat1");
        assertThat(appConnections(vhost)).hasSize(2);
        List<String> threads = oneConnectorsThreads(tomcat, "after the first deploy");

        long undeployNanos = 0;
        long deployNanos = 0;
        for (int i = 0; i < REDEPLOYS; i++) {
            long t0 = System.nanoTime();
            tomcat.undeploy(WEBAPP);
            tomcat.awaitStatus(health, 404);
            long t1 = System.nanoTime();
            tomcat.deploy(war, WEBAPP);
            tomcat.awaitStatus(health, 200);
            undeployNanos += t1 - t0;
            deployNanos += System.nanoTime() - t1;
        }
        System.out.printf("WARREN-IT: %s: %d redeploys, undeploy (file gone to 404) %.1f s, deploy (file in to 200) %.1f s on average%n",
                tomcat.distribution().name(), REDEPLOYS, undeployNanos / 1e9 / REDEPLOYS, deployNanos / 1e9 / REDEPLOYS);
        assertThat(tomcat.send("GET", app + "/servers", null).body()).contains("tomcat1");
        assertThat(appConnections(vhost)).as("one connection pair of the app after " + REDEPLOYS + " redeploys").hasSize(2);
        oneConnectorsThreads(tomcat, "after " + REDEPLOYS + " redeploys");

        int reloads = whileUp == null ? 0 : whileUp.run(tomcat, app);
        if (reloads > 0) {
            tomcat.awaitStatus(health, 200);
            assertThat(appConnections(vhost)).as("one connection pair of the app after " + reloads + " reloads").hasSize(2);
            oneConnectorsThreads(tomcat, "after " + reloads + " reloads");
        }

        tomcat.undeploy(WEBAPP);
        tomcat.awaitStatus(health, 404);
        // Warren closes its connections in contextDestroyed; rabbitmqctl may list them a moment longer.
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!appConnections(vhost).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertThat(appConnections(vhost)).as("the app's broker connections after the last undeploy").isEmpty();
        assertThat(tomcat.threadsNamed("warren-")).as("Warren's threads after the last undeploy").isEmpty();
        if (tomcat.distribution().hasManager()) {
            assertThat(tomcat.findLeaks()).as("class loaders of stopped webapps still reachable after a full GC").isEmpty();
        }

        // The log is Tomcat's and the app really went and came back each time (so the checks
        // below read something), and Warren's listener released everything on every undeploy
        // and reload. Counted on the console alone: Tomcat writes its own lines to logs/ as well.
        String console = tomcat.consoleLog();
        int deploys = Tomcat.count(console, "Deploying web application archive");
        assertThat(deploys).isEqualTo(REDEPLOYS + 1);
        assertThat(Tomcat.count(console, RELEASED)).as("releases by Warren's listener").isEqualTo(deploys + reloads);
        // A reload under load makes Tomcat warn about its own threads in its own code (the background
        // processor, request threads in StandardWrapper.unload): counted and shown, not the webapp's.
        List<String> warnings = tomcat.leakWarnings();
        List<String> tomcats = warnings.stream().filter(Tomcat::isTomcatsOwnThreadInTomcatsCode).toList();
        assertThat(warnings.stream().filter(w -> !tomcats.contains(w)).toList()).as("Tomcat's leak warnings about the webapp")
                .isEmpty();
        if (!tomcats.isEmpty()) {
            System.out.printf("WARREN-IT: %s: %d leak warnings about Tomcat's own threads in Tomcat's code during reloads, e.g. %s%n",
                    tomcat.distribution().name(), tomcats.size(), tomcats.get(0).lines().findFirst().orElse(""));
        }
        assertThat(tomcat.allLogs()).doesNotContain("guest:guest");
        return new Counts(tomcat.distribution().name(), deploys, reloads, threads, tomcat.distribution().hasManager());
    }

    /**
     * Warren's threads in Tomcat's JVM are those of one connector: its io threads and timer, and no
     * name twice (a connector numbers its own threads, so a second one left behind repeats them).
     * Consumer and notify threads start on demand, so how many of them run depends on the traffic.
     */
    static List<String> oneConnectorsThreads(Tomcat tomcat, String when) {
        List<String> threads = tomcat.threadsNamed("warren-");
        assertThat(threads).as("Warren's threads " + when + " in " + tomcat.distribution().name())
                .contains("warren-servers-api-io-1", "warren-servers-api-io-2", "warren-servers-api-timer-1")
                .allMatch(n -> n.startsWith("warren-servers-api-") && !n.contains(" x"));
        return threads;
    }

    static List<String> appConnections(TestBroker.PrivateVhost vhost) {
        return vhost.connections().stream().map(Rabbitmqctl.ConnectionInfo::connectionName)
                .filter(n -> n != null && n.startsWith("servers-api ")).toList();
    }
}
