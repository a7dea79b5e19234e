package io.warren.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.warren.Connector;
import io.warren.ConnectorConfig;
import io.warren.Target;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a team gains by moving one side of an oslo RPC to Java: one caller, 100 bytes, Python
 * oslo.messaging (Debian's 14.0.3, {@code /usr/bin/python3}, {@code src/bench/python/oslo_bench.py})
 * calling a Python server and a Warren server, and a Warren client calling the Python server,
 * alternated in each round. The Python caller times its own calls (its start-up is not counted),
 * so its rates and percentiles compare with Warren's own.
 */
final class PythonPeers {
    static final String PY_PY = "Python client → Python server";
    static final String PY_WARREN = "Python client → Warren server";
    static final String WARREN_PY = "Warren client → Python server";
    static final String WARREN_WARREN = "Warren client → Warren server";
    private static final String PYTHON = "/usr/bin/python3";
    private static final String EXCHANGE = "warren-bench-py";
    private static final String PY_TOPIC = "warren-bench-py-oslo";
    private static final String WARREN_TOPIC = "warren-bench-py-warren";

    private final BenchBroker broker;
    private final Duration trial;
    private final ObjectMapper json = new ObjectMapper();

    PythonPeers(BenchBroker broker, Duration trial) {
        this.broker = broker;
        this.trial = trial;
    }

    /** One trial's figures. */
    private static final class Trial {
        final double perSecond;
        final double p50;
        final double p99;

        Trial(double perSecond, double p50, double p99) {
            this.perSecond = perSecond;
            this.p50 = p50;
            this.p99 = p99;
        }
    }

    void run(int rounds, Report report) throws Exception {
        Path script = Path.of("src/bench/python/oslo_bench.py").toAbsolutePath();
        report.heading("Python peers: oslo.messaging 14.0.3 against Warren, 100-byte payload, 1 caller");
        if (!Files.isRegularFile(Path.of(PYTHON)) || !Files.isRegularFile(script)) {
            report.text("Not measured: " + PYTHON + " or " + script + " is missing.");
            return;
        }
        ConnectorConfig.Builder b = ConnectorConfig.builder().transportUrl(broker.transportUrl()).option("control_exchange", EXCHANGE);
        Connector server = Connector.create(b.name("bench-py-warren-server").build());
        server.start();
        server.rpcServer(Target.topic(WARREN_TOPIC).server("s1"), new RpcRoundTrip.Echo());
        Connector client = Connector.create(ConnectorConfig.builder().transportUrl(broker.transportUrl())
                .option("control_exchange", EXCHANGE).name("bench-py-warren-client").build());
        client.start();
        Process pyServer = new ProcessBuilder(PYTHON, script.toString(), "serve", broker.transportUrl(), EXCHANGE, PY_TOPIC, "s1")
                .redirectErrorStream(true).start();
        BufferedReader pyOut = new BufferedReader(new InputStreamReader(pyServer.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = pyOut.readLine()) != null && !line.contains("READY")) {
                // oslo's start-up lines
            }
            if (line == null) {
                throw new IllegalStateException("the Python server ended before READY");
            }
            Thread drain = new Thread(() -> {
                try {
                    while (pyOut.readLine() != null) {
                        // its log, unread
                    }
                } catch (IOException e) {
                    // ended
                }
            }, "bench-py-server-output");
            drain.setDaemon(true);
            drain.start();
            List<String> order = List.of(PY_PY, PY_WARREN, WARREN_PY, WARREN_WARREN);
            Map<String, Samples> rates = new LinkedHashMap<>();
            Map<String, List<Trial>> trials = new LinkedHashMap<>();
            for (String c : order) {
                rates.put(c, new Samples());
                trials.put(c, new ArrayList<>());
            }
            for (String c : order) {
                trial(c, script, client); // warm-up, unrecorded
            }
            for (int round = 1; round <= rounds; round++) {
                StringBuilder out = new StringBuilder("  Python peers, round " + round + ":");
                for (String c : order) {
                    Trial t = trial(c, script, client);
                    rates.get(c).add(t.perSecond);
                    trials.get(c).add(t);
                    out.append(String.format(" %s %.0f/s p99 %.0fµs;", c, t.perSecond, t.p99));
                }
                System.out.println(out);
            }
            report.table("caller → server", "calls/s median (min–max)", "p50 µs (median of rounds)", "p99 µs (median of rounds)",
                    "calls/s / Python ↔ Python");
            double base = rates.get(PY_PY).median();
            for (String c : order) {
                Samples p50 = new Samples();
                Samples p99 = new Samples();
                for (Trial t : trials.get(c)) {
                    p50.add(t.p50);
                    p99.add(t.p99);
                }
                report.row(c, rates.get(c).describe("%,.0f"), String.format("%.0f", p50.median()), String.format("%.0f", p99.median()),
                        String.format("%.2f", rates.get(c).median() / base));
            }
        } finally {
            try (Writer w = new java.io.OutputStreamWriter(pyServer.getOutputStream(), StandardCharsets.UTF_8)) {
                w.write("STOP\n");
            } catch (IOException e) {
                // already gone
            }
            if (!pyServer.waitFor(20, TimeUnit.SECONDS)) {
                pyServer.destroyForcibly();
            }
            client.stop(Duration.ofSeconds(10));
            server.stop(Duration.ofSeconds(10));
        }
    }

    private Trial trial(String contender, Path script, Connector client) throws Exception {
        switch (contender) {
            case PY_PY:
                return python(script, PY_TOPIC);
            case PY_WARREN:
                return python(script, WARREN_TOPIC);
            case WARREN_PY:
                return warren(client, PY_TOPIC);
            default:
                return warren(client, WARREN_TOPIC);
        }
    }

    private Trial python(Path script, String topic) throws Exception {
        Process p = new ProcessBuilder(PYTHON, script.toString(), "load", broker.transportUrl(), EXCHANGE, topic,
                String.valueOf(trial.toSeconds()), String.valueOf(RpcRoundTrip.PAYLOAD.length())).redirectErrorStream(true).start();
        String result = null;
        StringBuilder all = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                all.append(line).append('\n');
                if (line.startsWith("{\"calls\"")) {
                    result = line;
                }
            }
        }
        if (!p.waitFor(trial.toSeconds() + 60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        if (result == null) {
            throw new IllegalStateException("the Python caller gave no result:\n" + all);
        }
        Map<?, ?> m = json.readValue(result, Map.class);
        double calls = ((Number) m.get("calls")).doubleValue();
        return new Trial(calls / ((Number) m.get("seconds")).doubleValue(), ((Number) m.get("p50_us")).doubleValue(),
                ((Number) m.get("p99_us")).doubleValue());
    }

    private Trial warren(Connector client, String topic) throws Exception {
        Map<String, Object> args = Map.of("payload", RpcRoundTrip.PAYLOAD);
        Latencies l = new Latencies();
        double rate = ClosedLoop.run("bench-py-warren-caller", List.of(() -> {
            Object echoed = client.rpcClient().call(Target.topic(topic), "echo", args);
            if (!(echoed instanceof String s) || s.length() != RpcRoundTrip.PAYLOAD.length()) {
                throw new IllegalStateException("wrong echo: " + echoed);
            }
        }), trial, l);
        return new Trial(rate, l.quantileMicros(0.5), l.quantileMicros(0.99));
    }
}
