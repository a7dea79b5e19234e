package io.warren.it.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.it.support.CoreFixtures;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real webapps in Jetty 12 (ee10; ee11 too, in src-it's failsafe execution {@code jetty-ee11},
 * with 20 cycles), each with Warren's jars in its own WEB-INF/lib and one listener line in
 * web.xml: each owns its connector, threads, MBean and connections, and serves the RPC topic it
 * declared in web.xml; stopping one leaves the other serving; and 50 deploy/undeploy cycles leave
 * no thread, MBean, meter, connection or thread context class loader behind, and every undeployed
 * webapp's class loader is collectable.
 */
class WebappOwnershipIT {
    private static final int CYCLES = Integer.getInteger("it.cycles", 20);
    private final TestBroker broker = TestBroker.shared();
    private JettyWebapps jetty;

    @BeforeEach
    void startJetty() throws Exception {
        // Short keep-alive: Jetty's idle connection holds the last webapp it served until it closes.
        jetty = JettyWebapps.start(broker, Duration.ofSeconds(2));
    }

    @AfterEach
    void stopJetty() throws Exception {
        jetty.close();
    }

    @Test
    void twoWebappsOwnTheirConnectorsAndStoppingOneLeavesTheOtherServing() throws Exception {
        String shop = CoreFixtures.uniqueName("shop");
        String admin = CoreFixtures.uniqueName("admin");
        ContextHandler shopApp = jetty.webapp(shop, Map.of());
        ContextHandler adminApp = jetty.webapp(admin, Map.of());
        jetty.deploy(shopApp);
        jetty.deploy(adminApp);

        assertThat(jetty.get("/" + shop + "/warren/health").statusCode()).isEqualTo(200);
        assertThat(jetty.get("/" + admin + "/warren/health").statusCode()).isEqualTo(200);
        // Each answers its own declared topic, through its own connector.
        assertThat(jetty.get("/" + shop + "/call?text=hi").body()).isEqualTo("hi from /" + shop);
        assertThat(jetty.get("/" + admin + "/call?text=hi").body()).isEqualTo("hi from /" + admin);
        assertThat(CoreFixtures.liveThreads(shop)).isNotEmpty();
        assertThat(CoreFixtures.liveThreads(admin)).isNotEmpty();
        assertThat(JettyWebapps.mbeans(shop)).hasSize(1);
        assertThat(JettyWebapps.mbeans(admin)).hasSize(1);
        if (broker.isRabbitMq()) {
            Rabbitmqctl ctl = Rabbitmqctl.forSharedBroker(broker, "counting each webapp's connections");
            // Named for their owner: connector, role, context path, host, pid, generation.
            assertThat(connectionsOf(ctl, shop)).hasSize(2).allMatch(n -> n.contains("(context=/" + shop + " host="));
            assertThat(connectionsOf(ctl, admin)).hasSize(2).allMatch(n -> n.contains("(context=/" + admin + " host="));
            System.out.println("WARREN-IT: broker-side connection names " + connectionsOf(ctl, shop));
        }

        jetty.undeploy(shopApp);

        assertThat(CoreFixtures.liveThreads(shop)).as("the stopped webapp's threads").isEmpty();
        assertThat(JettyWebapps.mbeans(shop)).isEmpty();
        assertThat(jetty.get("/" + admin + "/warren/health").statusCode()).isEqualTo(200);
        assertThat(jetty.get("/" + admin + "/call?text=still").body()).isEqualTo("still from /" + admin);
        assertThat(CoreFixtures.liveThreads(admin)).isNotEmpty();
        if (broker.isRabbitMq()) {
            Rabbitmqctl ctl = Rabbitmqctl.forSharedBroker(broker, "counting each webapp's connections");
            CoreFixtures.waitUntil(Duration.ofSeconds(10), "the broker saw the shop's connections close",
                    () -> connectionsOf(ctl, shop).isEmpty());
            assertThat(connectionsOf(ctl, admin)).hasSize(2);
        }
        jetty.undeploy(adminApp);
    }

    @Test
    void fiftyDeployUndeployCyclesLeaveNothingBehind() throws Exception {
        String name = CoreFixtures.uniqueName("cycle");
        Set<String> baseline = null;
        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        Rabbitmqctl ctl = broker.isRabbitMq() ? Rabbitmqctl.forSharedBroker(broker, "connections after each undeploy") : null;
        for (int i = 0; i < CYCLES; i++) {
            ContextHandler app = jetty.webapp(name, Map.of());
            Map<String, Object> meters = new java.util.concurrent.ConcurrentHashMap<>();
            app.setAttribute("it.meters", meters);
            jetty.deploy(app);
            assertThat(jetty.get("/" + name + "/warren/health").statusCode()).isEqualTo(200);
            assertThat(jetty.get("/" + name + "/call?text=" + i).body()).isEqualTo(i + " from /" + name);
            ClassLoader loader = app.getClassLoader();
            loaders.add(new WeakReference<>(loader));
            if (i == 0) {
                // The call's timer is recorded as its future completes, which may be just after the reply is used.
                CoreFixtures.waitUntil(Duration.ofSeconds(5), "warren.* and rabbitmq.* meters in the app's registry",
                        () -> meterNames(meters).stream().anyMatch(n -> n.startsWith("warren."))
                                && meterNames(meters).stream().anyMatch(n -> n.startsWith("rabbitmq.")));
            }
            jetty.undeploy(app);
            assertThat(meterNames(meters)).as("meters left in the app's registry, cycle " + i).isEmpty();
            meters.clear(); // the registry is the webapp's: holding it would hold its class loader

            // Checked right after the undeploy returns: that is when containers look.
            assertThat(CoreFixtures.liveThreads(name)).as("cycle " + i).isEmpty();
            assertThat(JettyWebapps.mbeans(name)).as("cycle " + i).isEmpty();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                assertThat(t.getContextClassLoader()).as("context class loader of " + t.getName()).isNotSameAs(loader);
            }
            if (ctl != null) {
                // The client has had the broker's close-ok; the broker may take a moment to list them gone.
                CoreFixtures.waitUntil(Duration.ofSeconds(10), "no broker connection of cycle " + i,
                        () -> connectionsOf(ctl, name).isEmpty());
            }
            loader = null;
            app = null;
            if (i == 0) {
                // After one cycle: Jetty's pool and the HTTP client have started their own threads.
                baseline = threadNames();
            } else {
                Set<String> extra = threadNames();
                extra.removeAll(baseline);
                assertThat(extra).as("threads alive after cycle " + i + " that were not there after the first").isEmpty();
            }
        }
        List<Integer> held = collect(loaders, Duration.ofSeconds(30));
        List<Integer> heldByJettyIo = List.of();
        if (!held.isEmpty()) {
            // Jetty's selector thread can keep the last connection it served (and that connection
            // its last webapp) in a local while it waits in select(). A container reference, not
            // Warren's: restarting Jetty's connector ends those threads; nothing else may remain.
            heldByJettyIo = held;
            jetty.restartConnector();
            held = collect(loaders, Duration.ofSeconds(30));
        }
        System.out.println("WARREN-IT: Jetty " + JettyWebapps.ENVIRONMENT + ", " + CYCLES
                + " deploy/undeploy cycles, webapp class loaders reachable after GC: "
                + held.size() + (heldByJettyIo.isEmpty() ? "" : " (cycles " + heldByJettyIo
                + " were held by Jetty's connector until it restarted)"));
        if (!held.isEmpty() && System.getProperty("it.dump") != null) {
            // e.g. -DargLine=-Dit.dump=/tmp/leak.hprof, then follow the loader's path to a GC root
            java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .dumpHeap(System.getProperty("it.dump"), true);
        }
        // Weak references only, and plain System.gc(): a loader held through a SoftReference (as
        // Jackson's default thread-local buffers on request threads did) counts as a leak here.
        assertThat(held).as("cycles whose webapp class loader is still reachable after GC").isEmpty();
    }

    /** @return the cycles whose loader is still reachable after GCs for up to {@code bound} */
    private static List<Integer> collect(List<WeakReference<ClassLoader>> loaders, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        List<Integer> held = new ArrayList<>();
        do {
            System.gc();
            Thread.sleep(100);
            held.clear();
            for (int i = 0; i < loaders.size(); i++) {
                if (loaders.get(i).get() != null) {
                    held.add(i);
                }
            }
        } while (!held.isEmpty() && System.nanoTime() < deadline);
        return held;
    }

    /**
     * Live threads, leaving out the test's own tools (the JDK HTTP client's workers, the process
     * reaper of rabbitmqctl runs, named "process reaper (pid N)" while it waits for one) and the
     * embedded broker's pools (it runs in this JVM when there is no RabbitMQ).
     */
    private static Set<String> threadNames() {
        Set<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            boolean brokerJ = n.startsWith("IO-") || n.startsWith("virtualhost-") || n.startsWith("Broker-")
                    || n.startsWith("broker-") || n.startsWith("VirtualHostNode-") || n.startsWith("Housekeeping");
            boolean harness = n.startsWith("HttpClient-") || n.startsWith("process reaper");
            if (t.isAlive() && !brokerJ && !harness) {
                names.add(n);
            }
        }
        return names;
    }

    private static List<String> meterNames(Map<String, Object> sink) {
        try {
            return JettyWebapps.meterNames(sink);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot read the webapp's meter registry", e);
        }
    }

    private static List<String> connectionsOf(Rabbitmqctl ctl, String name) {
        return JettyWebapps.connectionsOf(ctl, name).stream().map(Rabbitmqctl.ConnectionInfo::connectionName).toList();
    }
}
