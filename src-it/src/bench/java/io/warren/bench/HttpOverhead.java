package io.warren.bench;

import io.warren.Connector;
import io.warren.ConnectorConfig;
import io.warren.Target;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * What one RPC per HTTP request costs a web application: the same servlet in embedded Jetty with
 * and without a Warren call, under a bounded load from a Java HTTP client on loopback.
 */
final class HttpOverhead {
    private final BenchBroker broker;
    private final Duration trial;
    // One client for every trial: on Java 17 an HttpClient cannot be closed, only dropped.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    HttpOverhead(BenchBroker broker, Duration trial) {
        this.broker = broker;
        this.trial = trial;
    }

    /**
     * @param rawRoundTripP50Micros raw RpcClient, 1 caller, same run
     * @param warrenRoundTripP50Micros Warren oslo mode, 1 caller, same run
     * @param warren8CallerRate Warren oslo mode, 8 callers, calls/s, same run
     * @param warren8CallerCpu Warren oslo mode, 8 callers, JVM CPU µs per call, same run
     */
    void run(int rounds, Report report, double rawRoundTripP50Micros, double warrenRoundTripP50Micros,
             double warren8CallerRate, double warren8CallerCpu) throws Exception {
        Connector server = Connector.create(ConnectorConfig.builder().transportUrl(broker.transportUrl())
                .name("bench-http-server").build());
        server.start();
        server.rpcServer(Target.topic("warren-bench-http").server("s1"), new RpcRoundTrip.Echo());
        Connector client = Connector.create(ConnectorConfig.builder().transportUrl(broker.transportUrl())
                .name("bench-http-webapp").build());
        client.start();
        Server jetty = new Server();
        ServerConnector http = new ServerConnector(jetty);
        http.setHost("127.0.0.1");
        jetty.addConnector(http);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().write(RpcRoundTrip.PAYLOAD);
            }
        }), "/plain");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                Object echoed = client.rpcClient().call(Target.topic("warren-bench-http"), "echo",
                        Map.of("payload", RpcRoundTrip.PAYLOAD));
                resp.getWriter().write(String.valueOf(echoed));
            }
        }), "/rpc");
        jetty.setHandler(context);
        jetty.start();
        String base = "http://127.0.0.1:" + http.getLocalPort();
        try {
            Samples plainRate = new Samples();
            Samples rpcRate = new Samples();
            Samples plainCpu = new Samples();
            Samples rpcCpu = new Samples();
            Samples plainSwitches = new Samples();
            Samples rpcSwitches = new Samples();
            Latencies plainLatency = new Latencies();
            Latencies rpcLatency = new Latencies();
            for (int round = 1; round <= rounds; round++) {
                ClosedLoop.Result plain = measure(base + "/plain", 8, null);
                ClosedLoop.Result rpc = measure(base + "/rpc", 8, null);
                plainRate.add(plain.perSecond);
                rpcRate.add(rpc.perSecond);
                plainCpu.add(plain.cpuMicrosEach());
                rpcCpu.add(rpc.cpuMicrosEach());
                plainSwitches.add(plain.voluntarySwitchesEach());
                rpcSwitches.add(rpc.voluntarySwitchesEach());
                load(base + "/plain", 1, plainLatency);
                load(base + "/rpc", 1, rpcLatency);
                System.out.printf("  round %d: plain %.0f req/s, with RPC %.0f req/s%n", round, plainRate.last(), rpcRate.last());
            }
            double added = rpcLatency.quantileMicros(0.5) - plainLatency.quantileMicros(0.5);
            report.heading("HTTP: a servlet in embedded Jetty, with and without one Warren RPC call per request");
            report.table("servlet", "req/s, 8 clients, median (min–max)", "p50 µs, 1 client", "p99 µs, 1 client",
                    "JVM CPU µs/request, 8 clients", "context switches/request, 8 clients");
            report.row("without messaging", plainRate.describe("%,.0f"), String.format("%.0f", plainLatency.quantileMicros(0.5)),
                    String.format("%.0f", plainLatency.quantileMicros(0.99)), plainCpu.describe("%.0f"), plainSwitches.describe("%.1f"));
            report.row("one RPC call per request", rpcRate.describe("%,.0f"), String.format("%.0f", rpcLatency.quantileMicros(0.5)),
                    String.format("%.0f", rpcLatency.quantileMicros(0.99)), rpcCpu.describe("%.0f"), rpcSwitches.describe("%.1f"));
            report.text("");
            report.text(String.format("Added latency per request (p50): %.0f µs; one raw amqp-client RPC round trip (p50, same run): "
                    + "%.0f µs; ratio %.2f.", added, rawRoundTripP50Micros, added / rawRoundTripP50Micros));
            report.text(String.format("Added latency per request (p50) / Warren's own round trip (oslo mode, 1 caller, p50, same run: "
                    + "%.0f µs): %.2f (target ≤ 1.05).", warrenRoundTripP50Micros, added / warrenRoundTripP50Micros));
            report.text(String.format("8-client req/s with one RPC / Warren's 8-caller RPC rate (same run: %,.0f calls/s): %.2f "
                    + "(target ≥ 0.95).", warren8CallerRate, rpcRate.median() / warren8CallerRate));
            report.text(String.format("JVM CPU per request, 8 clients: %.0f µs with the RPC against %.0f µs without (the HTTP client, "
                    + "Jetty and the servlet are in this JVM too): the RPC adds %.0f µs; Warren's 8-caller RPC alone (same run): "
                    + "%.0f µs per call.", rpcCpu.median(), plainCpu.median(), rpcCpu.median() - plainCpu.median(), warren8CallerCpu));
        } finally {
            jetty.stop();
            client.stop(Duration.ofSeconds(10));
            server.stop(Duration.ofSeconds(10));
        }
    }

    /** Requests from {@code clients} threads for one trial; returns requests/s. */
    private double load(String url, int clients, Latencies latencies) throws Exception {
        return measure(url, clients, latencies).perSecond;
    }

    private ClosedLoop.Result measure(String url, int clients, Latencies latencies) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
        ClosedLoop.Operation get = () -> {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + r.statusCode());
            }
        };
        return ClosedLoop.measure("bench-http-client", java.util.Collections.nCopies(clients, get), trial, latencies);
    }
}
