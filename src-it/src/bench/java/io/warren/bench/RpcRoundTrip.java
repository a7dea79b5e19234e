package io.warren.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.RpcClient;
import com.rabbitmq.client.RpcClientParams;
import io.warren.Connector;
import io.warren.ConnectorConfig;
import io.warren.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * RPC round trips, for each case of payload size and concurrent callers
 * ({@code WARREN_BENCH_RPC_CASES}, e.g. {@code 100x1,100x8}): Warren (oslo reply queue
 * and direct reply-to) against a Warren server, raw amqp-client {@code RpcClient} (direct reply-to)
 * and Spring AMQP {@code RabbitTemplate.sendAndReceive} against a raw echo consumer. Each row
 * has the JVM's CPU time and voluntary context switches per call (client and server are in this
 * JVM for every contender), which a busy machine disturbs far less than calls/s.
 */
final class RpcRoundTrip {
    static final String PAYLOAD = "x".repeat(100);
    private static final String RAW_QUEUE = "warren.bench.raw-echo";

    /** One contender: makes calls on the calling thread. */
    interface Caller extends AutoCloseable {
        void call() throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    /** Builds one caller per calling thread (a raw RpcClient is one channel). */
    interface Contender extends AutoCloseable {
        String name();

        Caller newCaller(String payload) throws Exception;
    }

    private final BenchBroker broker;
    private final Duration trial;
    final Map<String, Latencies> lastLatencies = new LinkedHashMap<>();

    RpcRoundTrip(BenchBroker broker, Duration trial) {
        this.broker = broker;
        this.trial = trial;
    }

    /** The echo endpoint of the Warren server. */
    public static final class Echo {
        /** Served by the worker pool, as every method unless declared quick. */
        @io.warren.RpcMethod
        public String echo(String payload) {
            return payload;
        }

        /** The same, served on the consumer thread that received it. */
        @io.warren.RpcMethod(value = "echo_quick", quick = true)
        public String echoQuick(String payload) {
            return payload;
        }
    }

    /** One row set of the suite: a payload size and a number of concurrent callers. */
    static final class Case {
        final int payloadBytes;
        final int callers;

        Case(int payloadBytes, int callers) {
            this.payloadBytes = payloadBytes;
            this.callers = callers;
        }

        /** "100x8": 100-byte payload, 8 callers. */
        static List<Case> parse(String list) {
            List<Case> cases = new ArrayList<>();
            for (String c : list.split(",")) {
                String[] parts = c.trim().split("x");
                cases.add(new Case(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
            }
            return cases;
        }

        String describe() {
            String size = payloadBytes >= 1024 ? payloadBytes / 1024 + " KB" : payloadBytes + "-byte";
            return "RPC round trip, " + size + " payload, " + callers + " concurrent caller" + (callers == 1 ? "" : "s");
        }
    }

    static final String DEFAULT_CASES = "100x1,100x8,100x32,4096x1,4096x8,65536x1,65536x8";

    /** The 8-caller rate of Warren (oslo reply queue), 100 bytes, once run: the HTTP target compares with it. */
    double warrenOslo8CallerRate = Double.NaN;
    /** Its JVM CPU per call, µs. */
    double warrenOslo8CallerCpu = Double.NaN;

    void run(int rounds, Report report) throws Exception {
        run(rounds, report, Case.parse(System.getenv().getOrDefault("WARREN_BENCH_RPC_CASES", DEFAULT_CASES)));
    }

    void run(int rounds, Report report, List<Case> cases) throws Exception {
        Connector server = Connector.create(config("bench-rpc-server", Map.of()));
        server.start();
        server.rpcServer(Target.topic("warren-bench-echo").server("s1"), new Echo());
        Connection rawServer = broker.factory().newConnection("warren-bench-raw-server");
        startRawEcho(rawServer);
        List<Contender> contenders = new ArrayList<>(List.of(warren(OSLO, Map.of()), warren(DIRECT, Map.of("warren_rpc_reply_mode", "direct")),
                raw(), spring()));
        contenders.addAll(variants());
        String only = System.getenv("WARREN_BENCH_CONTENDERS");
        if (only != null) {
            // A profile of one contender: the others' samples would only hide it.
            List<String> wanted = List.of(only.split(","));
            for (Contender c : List.copyOf(contenders)) {
                if (wanted.stream().noneMatch(w -> c.name().contains(w.trim()))) {
                    c.close();
                    contenders.remove(c);
                }
            }
        }
        try {
            for (Case k : cases) {
                String payload = "x".repeat(k.payloadBytes);
                int callers = k.callers;
                Map<String, Samples> rates = new LinkedHashMap<>();
                Map<String, Samples> cpu = new LinkedHashMap<>();
                Map<String, Samples> switches = new LinkedHashMap<>();
                Map<String, Latencies> latencies = new LinkedHashMap<>();
                for (Contender c : contenders) {
                    rates.put(c.name(), new Samples());
                    cpu.put(c.name(), new Samples());
                    switches.put(c.name(), new Samples());
                    latencies.put(c.name(), new Latencies());
                }
                // One unrecorded round for every contender first: Warren's first round ran at about a
                // third of its steady rate (JIT), and no contender should be measured cold.
                for (Contender c : contenders) {
                    trial(c, payload, callers, new Latencies());
                }
                for (int round = 1; round <= rounds; round++) {
                    StringBuilder line = new StringBuilder("  " + k.payloadBytes + " B, " + callers + " caller(s), round " + round + ":");
                    for (Contender c : contenders) {
                        ClosedLoop.Result r = trial(c, payload, callers, latencies.get(c.name()));
                        rates.get(c.name()).add(r.perSecond);
                        cpu.get(c.name()).add(r.cpuMicrosEach());
                        switches.get(c.name()).add(r.voluntarySwitchesEach());
                        line.append(String.format(" %s %.0f/s %.0fµs %.1fcs;", c.name(), r.perSecond, r.cpuMicrosEach(),
                                r.voluntarySwitchesEach()));
                    }
                    System.out.println(line);
                }
                report.heading(k.describe());
                report.table("contender", "calls/s median (min–max)", "p50 µs", "p99 µs", "JVM CPU µs/call", "context switches/call",
                        "Warren oslo / contender (calls/s)", "JVM CPU contender / Warren oslo");
                double warren = rates.containsKey(OSLO) ? rates.get(OSLO).median() : Double.NaN;
                double warrenCpu = cpu.containsKey(OSLO) ? cpu.get(OSLO).median() : Double.NaN;
                for (Contender c : contenders) {
                    Samples s = rates.get(c.name());
                    Latencies l = latencies.get(c.name());
                    report.row(c.name(), s.describe("%,.0f"), String.format("%.0f", l.quantileMicros(0.5)),
                            String.format("%.0f", l.quantileMicros(0.99)), cpu.get(c.name()).describe("%.0f"),
                            switches.get(c.name()).describe("%.1f"), String.format("%.2f", warren / s.median()),
                            String.format("%.2f", cpu.get(c.name()).median() / warrenCpu));
                }
                if (callers == 1 && k.payloadBytes == 100) {
                    lastLatencies.putAll(latencies);
                }
                if (callers == 8 && k.payloadBytes == 100) {
                    warrenOslo8CallerRate = warren;
                    warrenOslo8CallerCpu = warrenCpu;
                }
            }
        } finally {
            for (Contender c : contenders) {
                c.close();
            }
            try (Channel ch = rawServer.createChannel()) {
                ch.queueDelete(RAW_QUEUE);
                ch.queueDelete("warren-bench-echo");
                ch.queueDelete("warren-bench-echo.s1");
            }
            rawServer.close();
            server.stop(Duration.ofSeconds(10));

        }
    }

    static final String OSLO = "Warren (oslo reply queue)";
    static final String DIRECT = "Warren (direct reply-to)";
    static final String QUICK = "Warren (oslo, method declared quick)";
    static final String UNCONFIRMED = "Warren (oslo, quick, warren_rpc_call_confirms=false)";

    /** Warren with a setting changed, beside the defaults: what a guarantee or a lever costs. */
    private List<Contender> variants() {
        List<Contender> list = new ArrayList<>();
        list.add(warren(QUICK, Map.of(), "echo_quick"));
        list.add(warren(UNCONFIRMED, Map.of("warren_rpc_call_confirms", "false"), "echo_quick"));
        return list;
    }

    private ConnectorConfig config(String name, Map<String, String> options) {
        ConnectorConfig.Builder b = ConnectorConfig.builder().transportUrl(broker.transportUrl()).name(name);
        options.forEach(b::option);
        return b.build();
    }

    private ClosedLoop.Result trial(Contender contender, String payload, int callers, Latencies latencies) throws Exception {
        List<Caller> perThread = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            perThread.add(contender.newCaller(payload));
        }
        for (Caller c : perThread) {
            c.call(); // warm: reply queue declared, channels open
        }
        ClosedLoop.Result rate;
        try {
            rate = ClosedLoop.measure("bench-caller " + contender.name(), perThread.stream()
                    .map(c -> (ClosedLoop.Operation) c::call).toList(), trial, latencies);
        } finally {
            for (Caller c : perThread) {
                c.close();
            }
        }
        return rate;
    }

    private Contender warren(String name, Map<String, String> options) {
        return warren(name, options, "echo");
    }

    private Contender warren(String name, Map<String, String> options, String method) {
        return warren(name, options, method, "warren-bench-echo");
    }

    private Contender warren(String name, Map<String, String> options, String method, String topic) {
        Connector client = Connector.create(config("bench-rpc-" + Math.abs(name.hashCode()), options));
        client.start();
        Target target = Target.topic(topic);
        return new Contender() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Caller newCaller(String payload) {
                Map<String, Object> args = Map.of("payload", payload);
                return () -> {
                    Object echoed = client.rpcClient().call(target, method, args);
                    if (!(echoed instanceof String s) || s.length() != payload.length()) {
                        throw new IllegalStateException("wrong echo: " + echoed);
                    }
                };
            }

            @Override
            public void close() {
                client.stop(Duration.ofSeconds(10));
            }
        };
    }

    private Contender raw() throws Exception {
        Connection connection = broker.factory().newConnection("warren-bench-raw-client");
        return new Contender() {
            @Override
            public String name() {
                return "raw amqp-client RpcClient (direct reply-to)";
            }

            @Override
            public Caller newCaller(String payload) throws Exception {
                byte[] body = payload.getBytes();
                Channel ch = connection.createChannel();
                RpcClient rpc = new RpcClient(new RpcClientParams().channel(ch).exchange("").routingKey(RAW_QUEUE).timeout(10_000));
                return new Caller() {
                    @Override
                    public void call() throws Exception {
                        rpc.primitiveCall(body);
                    }

                    @Override
                    public void close() throws Exception {
                        rpc.close();
                        ch.close();
                    }
                };
            }

            @Override
            public void close() throws Exception {
                connection.close();
            }
        };
    }

    private Contender spring() {
        java.net.URI uri = java.net.URI.create(broker.amqpUri());
        CachingConnectionFactory cf = new CachingConnectionFactory(uri);
        RabbitTemplate template = new RabbitTemplate(cf);
        template.setReplyTimeout(10_000);
        return new Contender() {
            @Override
            public String name() {
                return "Spring AMQP RabbitTemplate.sendAndReceive";
            }

            @Override
            public Caller newCaller(String payload) {
                byte[] body = payload.getBytes();
                return () -> {
                    Message reply = template.sendAndReceive("", RAW_QUEUE, new Message(body, new MessageProperties()));
                    if (reply == null) {
                        throw new IllegalStateException("no reply");
                    }
                };
            }

            @Override
            public void close() {
                // Its reply-to listener containers first: destroyed under them, they reconnect on
                // non-daemon threads and the JVM never exits.
                template.stop();
                cf.destroy();
            }
        };
    }

    /** A plain echo consumer: what a raw amqp-client or Spring server would be. */
    private static void startRawEcho(Connection connection) throws Exception {
        Channel ch = connection.createChannel();
        ch.queueDeclare(RAW_QUEUE, false, false, true, null);
        ch.basicQos(64);
        ch.basicConsume(RAW_QUEUE, false, new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) throws java.io.IOException {
                AMQP.BasicProperties reply = new AMQP.BasicProperties.Builder().correlationId(props.getCorrelationId()).build();
                synchronized (this) {
                    ch.basicPublish("", props.getReplyTo(), reply, body);
                    ch.basicAck(env.getDeliveryTag(), false);
                }
            }
        });
    }
}
