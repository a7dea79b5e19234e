package io.warren.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;

/**
 * Warren beside the baselines a user would pick instead, in one run on one broker, printed and
 * written as Markdown ratios. Contenders alternate within each round and every figure is a median
 * over the rounds with its min–max: the machine is small and noisy.
 *
 * <p>Run: {@code mvn -B -Pbench -pl src-it -am verify -DskipTests}. Knobs (environment):
 * {@code WARREN_BENCH_URL} (amqp:// URI of a RabbitMQ), {@code WARREN_BENCH_ROUNDS} (5),
 * {@code WARREN_BENCH_SECONDS} (seconds per trial, 5), {@code WARREN_BENCH_ONLY} (comma-separated
 * subset of {@code rpc,http,cast,python,cost}; all when unset: a quick iteration on one path need not wait
 * for the others), {@code WARREN_BENCH_RPC_CASES} (payload bytes x callers, comma-separated;
 * {@value RpcRoundTrip#DEFAULT_CASES}).
 */
public final class BenchmarkSuite {
    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/bench");
        int rounds = Integer.parseInt(System.getenv().getOrDefault("WARREN_BENCH_ROUNDS", "5"));
        Duration trial = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("WARREN_BENCH_SECONDS", "5")));
        BenchBroker broker = BenchBroker.fromEnvironment();
        Report report = new Report();

        java.util.Set<String> only = java.util.Set.of(System.getenv().getOrDefault("WARREN_BENCH_ONLY",
                "rpc,http,cast,python,cost").split(","));

        RpcRoundTrip rpc = new RpcRoundTrip(broker, trial);
        if (only.contains("rpc") || only.contains("http")) {
            rpc.run(rounds, report);
            if (!rpc.lastLatencies.isEmpty()) LatencyChart.write(out.resolve("rpc-latency.svg"), "RPC round trip latency, 100-byte payload, 1 caller",
                    rpc.lastLatencies);
        }
        if (only.contains("http")) {
            Latencies raw = rpc.lastLatencies.get("raw amqp-client RpcClient (direct reply-to)");
            Latencies warren = rpc.lastLatencies.get(RpcRoundTrip.OSLO);
            new HttpOverhead(broker, trial).run(rounds, report, raw == null ? Double.NaN : raw.quantileMicros(0.5),
                    warren == null ? Double.NaN : warren.quantileMicros(0.5), rpc.warrenOslo8CallerRate, rpc.warrenOslo8CallerCpu);
        }
        if (only.contains("cast")) {
            new CastWithConfirms(broker, trial).run(rounds, report);
        }
        if (only.contains("python")) {
            new PythonPeers(broker, trial).run(rounds, report);
        }
        if (only.contains("cost")) {
            new ConnectorCost(broker).run(rounds, report);
        }

        String preamble = "# Warren benchmarks\n\n"
                + "- date: " + LocalDate.now() + "\n"
                + "- machine: " + Runtime.getRuntime().availableProcessors() + " cores, load average at the end "
                + String.format("%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()) + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + "\n"
                + "- JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + "\n"
                + "- broker: RabbitMQ at " + broker + "\n"
                + "- rounds: " + rounds + ", " + trial.toSeconds() + " s per trial, contenders alternated in each round (RPC: after one unrecorded warm-up trial each)\n"
                + "- command: `mvn -B -Pbench -pl src-it -am verify -DskipTests`\n"
                + (System.getenv("WARREN_BENCH_ONLY") == null ? "" : "- only: " + String.join(",", only) + "\n");
        report.write(out.resolve("results.md"), preamble);
        System.out.println("\nWritten: " + out.resolve("results.md"));
    }
}
