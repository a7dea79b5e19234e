package io.warren.it.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.it.support.TestBroker;
import io.warren.it.support.Tomcat;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The demo WAR, unchanged, in Apache Tomcat 11 (Maven Central's tar.gz, unpacked by src-it's pom):
 * deploy, 20 redeploys and the last undeploy with nothing left (TomcatRedeploys), and before that
 * a reload under load: {@link #CLIENTS} HTTP clients call {@code GET /servers} (an RPC call to the
 * compute worker) without pause while the manager reloads the context {@link #RELOADS} times.
 * Each request ends within {@link #REQUEST_BOUND} with the answer or a clean error (Warren's 503,
 * Tomcat's 404/503 while the context is away); after each reload calls are answered again.
 */
class Tomcat11DeployIT {
    static final int CLIENTS = 6;
    static final int RELOADS = 3;
    /** The servlet's call timeout (10 s, ServersServlet), Tomcat holding requests while the context restarts, a grace. */
    static final Duration REQUEST_BOUND = Duration.ofSeconds(30);
    /** Answers counted after a reload before the next one: the app really serves again. */
    static final int ANSWERS_BETWEEN_RELOADS = 20;

    private final TestBroker broker = TestBroker.shared();

    @Test
    void theWarRedeploysTwentyTimesAndReloadsThreeTimesUnderLoadInTomcat11WithNothingLeft() throws Exception {
        TomcatRedeploys.Counts counts = TomcatRedeploys.run(broker, Tomcat.Distribution.apache(11),
                TomcatRedeploys.demoWar(), Tomcat11DeployIT::reloadUnderLoad);
        assertThat(counts.reloads).isEqualTo(RELOADS);
        System.out.println("WARREN-IT: " + counts);
    }

    static int reloadUnderLoad(Tomcat tomcat, String app) throws Exception {
        Outcomes outcomes = new Outcomes();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        try {
            for (int c = 0; c < CLIENTS; c++) {
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        outcomes.record(tomcat, app + "/servers");
                    }
                }, "it-reload-client-" + c);
                clients.add(t);
                t.start();
            }
            awaitAnswers(outcomes, ANSWERS_BETWEEN_RELOADS, "before the first reload");
            for (int i = 1; i <= RELOADS; i++) {
                long t0 = System.nanoTime();
                String answer = tomcat.reload(TomcatRedeploys.CONTEXT);
                assertThat(answer).as("the manager's answer to reload " + i).startsWith("OK");
                System.out.printf("WARREN-IT: %s: reload %d under load took %d ms%n", tomcat.distribution().name(), i,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                awaitAnswers(outcomes, ANSWERS_BETWEEN_RELOADS, "after reload " + i);
            }
        } finally {
            running.set(false);
            for (Thread t : clients) {
                t.join(REQUEST_BOUND.plusSeconds(5).toMillis());
            }
        }
        for (Thread t : clients) {
            assertThat(t.isAlive()).as(t.getName() + " still waiting for an answer").isFalse();
        }
        assertThat(outcomes.unclear).as("requests that hung past " + REQUEST_BOUND + " or failed unclearly: " + outcomes).isEmpty();
        System.out.printf("WARREN-IT: %s: %d clients through %d reloads: %s%n", tomcat.distribution().name(), CLIENTS, RELOADS, outcomes);
        return RELOADS;
    }

    private static void awaitAnswers(Outcomes outcomes, int more, String when) throws InterruptedException {
        long target = outcomes.answered.get() + more;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (outcomes.answered.get() < target && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(outcomes.answered.get()).as("calls answered " + when + ": " + outcomes).isGreaterThanOrEqualTo(target);
    }

    /** What the clients saw: answers, clean failures by status and error, anything else, the longest request. */
    static final class Outcomes {
        final AtomicLong answered = new AtomicLong();
        final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        final AtomicLong longestNanos = new AtomicLong();
        final List<String> unclear = new CopyOnWriteArrayList<>();

        void record(Tomcat tomcat, String url) {
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> r = tomcat.send("GET", url, null, REQUEST_BOUND);
                longestNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                if (r.statusCode() == 200) {
                    answered.incrementAndGet();
                    return;
                }
                // Warren's errors come as JSON with an "error"; Tomcat's own 404/503 pages while the context is away do not.
                boolean warrens = r.body().contains("\"error\"");
                String error = warrens ? r.body().replaceAll("(?s).*\"error\"\\s*:\\s*\"([^\"]+)\".*", "$1") : "Tomcat";
                failures.computeIfAbsent(r.statusCode() + " " + error, k -> new AtomicInteger()).incrementAndGet();
                boolean clean = r.statusCode() == 503 || (!warrens && r.statusCode() == 404);
                if (!clean) {
                    unclear.add(r.statusCode() + " " + r.body());
                }
                Thread.sleep(50); // a failing client retries at once, but not in a hot loop
            } catch (IOException e) {
                // HttpTimeoutException included: a request that hung past its bound.
                unclear.add(e + " after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String toString() {
            Map<String, Integer> kinds = new TreeMap<>();
            failures.forEach((k, v) -> kinds.put(k, v.get()));
            return "answered " + answered + ", failed cleanly " + kinds + ", unclear " + unclear.size() + ", longest request "
                    + TimeUnit.NANOSECONDS.toMillis(longestNanos.get()) + " ms";
        }
    }
}
