package io.warren.it.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.ConnectorMXBean;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.ObjectName;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

/**
 * The nova-api failure, in a servlet container: heartbeats must not depend on requests. A webapp
 * with a 2 s heartbeat sits idle for 5 heartbeats, then for 5 more with every Jetty request thread
 * blocked in the application; the broker connection is the same one afterwards, and the next
 * request's RPC is answered at once.
 */
class WebappIdleIT {
    private static final Duration HEARTBEAT = Duration.ofSeconds(2);
    private static final Duration IDLE = HEARTBEAT.multipliedBy(5);
    private final TestBroker broker = TestBroker.shared();

    @Test
    void idleAndWithEveryRequestThreadBlockedTheConnectionStaysAndTheNextCallIsAnswered() throws Exception {
        String name = CoreFixtures.uniqueName("idle");
        CountDownLatch gate = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> blocked = new ArrayList<>();
        try (JettyWebapps jetty = JettyWebapps.start(broker)) {
            ContextHandler app = jetty.webapp(name, Map.of("warren.heartbeat_timeout_threshold", Long.toString(HEARTBEAT.toSeconds())));
            app.setAttribute("it.gate", gate);
            jetty.deploy(app);
            try {
                assertThat(jetty.get("/" + name + "/call?text=first").body()).isEqualTo("first from /" + name);
                ObjectName objectName = JettyWebapps.mbeans(name).iterator().next();
                ConnectorMXBean bean = JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(), objectName, ConnectorMXBean.class);
                assertThat(bean.getNegotiatedHeartbeatSeconds()).isEqualTo((int) HEARTBEAT.toSeconds());
                List<String> before = brokerSideConnections(name);
                assertThat(before).hasSize(broker.isRabbitMq() ? 2 : 0);

                Thread.sleep(IDLE.toMillis()); // no requests at all
                assertSameConnection(bean, before, name, "after " + IDLE.toSeconds() + " s idle");
                assertThat(jetty.get("/" + name + "/call?text=after-idle").body()).isEqualTo("after-idle from /" + name);

                // Twice as many requests as the pool has threads: every thread ends up in BlockServlet.
                for (int i = 0; i < 2 * JettyWebapps.MAX_THREADS; i++) {
                    blocked.add(jetty.http().sendAsync(jetty.request("/" + name + "/block", Duration.ofSeconds(90)),
                            HttpResponse.BodyHandlers.ofString()));
                }
                QueuedThreadPool pool = jetty.threadPool();
                try {
                    CoreFixtures.waitUntil(Duration.ofSeconds(20), "every Jetty thread busy",
                            () -> readyThreads(pool) == 0 && inBlockServlet() > 0);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + ": " + pool + ", " + inBlockServlet() + " in BlockServlet, "
                            + blocked.stream().filter(CompletableFuture::isDone).count() + " of " + blocked.size()
                            + " requests answered", e);
                }
                int inServlet = inBlockServlet();
                Thread.sleep(IDLE.toMillis());
                System.out.printf("WARREN-IT: %d s with all %d Jetty threads busy (%d of them blocked in the app), "
                        + "state %s, reconnects %d%n", IDLE.toSeconds(), pool.getThreads(), inBlockServlet(),
                        bean.getState(), bean.getReconnectCount());
                assertThat(readyThreads(pool)).as("Jetty threads ready after the blocked period").isZero();
                // More may have reached the servlet since; none left it (the gate is still shut).
                assertThat(inBlockServlet()).as("threads blocked in the app").isGreaterThanOrEqualTo(inServlet);
                assertThat(blocked).as("blocked requests answered before the gate opened").noneMatch(CompletableFuture::isDone);
                assertSameConnection(bean, before, name, "after " + IDLE.toSeconds() + " s with every request thread blocked");

                gate.countDown();
                for (CompletableFuture<HttpResponse<String>> r : blocked) {
                    assertThat(r.get(60, TimeUnit.SECONDS).body()).isEqualTo("released");
                }
                long t0 = System.nanoTime();
                HttpResponse<String> next = jetty.get("/" + name + "/call?text=next");
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertThat(next.statusCode()).isEqualTo(200);
                assertThat(next.body()).isEqualTo("next from /" + name);
                System.out.printf("WARREN-IT: the next request's RPC answered in %d ms, same connection%n", ms);
            } finally {
                gate.countDown();
                jetty.undeploy(app);
            }
        }
        assertThat(CoreFixtures.liveThreads(name)).isEmpty();
    }

    private void assertSameConnection(ConnectorMXBean bean, List<String> before, String name, String when) {
        assertThat(bean.getState()).as("state " + when).isEqualTo("RUNNING");
        assertThat(bean.getReconnectCount()).as("reconnects " + when).isZero();
        assertThat(bean.getLastError()).as("last error " + when).isEmpty();
        assertThat(brokerSideConnections(name)).as("broker-side connections " + when).isEqualTo(before);
    }

    /**
     * The broker's names of the webapp's connections (client address and port, so a reconnect
     * shows as a new name); on the embedded broker, where rabbitmqctl is absent, an empty list and
     * the MXBean's reconnect count speak alone.
     */
    private List<String> brokerSideConnections(String name) {
        if (!broker.isRabbitMq()) {
            return List.of();
        }
        return JettyWebapps.connectionsOf(Rabbitmqctl.forSharedBroker(broker, "the webapp's broker connections"), name)
                .stream().map(Rabbitmqctl.ConnectionInfo::name).sorted().toList();
    }

    /** Threads that could take a request now: idle ones and reserved ones. */
    private static int readyThreads(QueuedThreadPool pool) {
        return pool.getIdleThreads() + pool.getAvailableReservedThreads();
    }

    private static int inBlockServlet() {
        int n = 0;
        for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().endsWith(".BlockServlet") && frame.getMethodName().equals("doGet")) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }
}
