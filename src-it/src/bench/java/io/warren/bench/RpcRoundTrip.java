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
 * RPC round trips with a 100-byte payload, 1 and 8 concurrent callers: Warren (oslo reply queue
 * and direct reply-to) against a Warren server, raw amqp-client {@code RpcClient} (direct reply-to)
 * and Spring AMQP {@code RabbitTemplate.sendAndReceive} against a raw echo consumer.
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

        Caller newCaller() throws Exception;
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
        public String echo(String payload) {
            return payload;
        }
    }

    void run(int rounds, Report report) throws Exception {
        Connector server = Connector.create(config("bench-rpc-server", "oslo"));
        server.start();
        server.rpcServer(Target.topic("warren-bench-echo").server("s1"), new Echo());
        Connection rawServer = broker.factory().newConnection("warren-bench-raw-server");
        startRawEcho(rawServer);
        List<Contender> contenders = List.of(warren("oslo"), warren("direct"), raw(), spring());
        try {
            for (int callers : new int[] {1, 8}) {
                Map<String, Samples> rates = new LinkedHashMap<>();
                Map<String, Latencies> latencies = new LinkedHashMap<>();
                for (Contender c : contenders) {
                    rates.put(c.name(), new Samples());
                    latencies.put(c.name(), new Latencies());
                }
                // One unrecorded round for every contender first: Warren's first round ran at about a
                // third of its steady rate (JIT), and no contender should be measured cold.
                for (Contender c : contenders) {
                    trial(c, callers, new Latencies());
                }
                for (int round = 1; round <= rounds; round++) {
                    StringBuilder line = new StringBuilder("  " + callers + " caller(s), round " + round + ":");
                    for (Contender c : contenders) {
                        double rate = trial(c, callers, latencies.get(c.name()));
                        rates.get(c.name()).add(rate);
                        line.append(String.format(" %s %.0f/s", c.name(), rate));
                    }
                    System.out.println(line);
                }
                report.heading("RPC round trip, 100-byte payload, " + callers + " concurrent caller" + (callers == 1 ? "" : "s"));
                report.table("contender", "calls/s median (min–max)", "p50 µs", "p99 µs", "Warren oslo / contender");
                double warren = rates.get("Warren (oslo reply queue)").median();
                for (Contender c : contenders) {
                    Samples s = rates.get(c.name());
                    Latencies l = latencies.get(c.name());
                    report.row(c.name(), s.describe("%,.0f"), String.format("%.0f", l.quantileMicros(0.5)),
                            String.format("%.0f", l.quantileMicros(0.99)), String.format("%.2f", warren / s.median()));
                }
                if (callers == 1) {
                    lastLatencies.putAll(latencies);
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

    private ConnectorConfig config(String name, String replyMode) {
        return ConnectorConfig.builder().transportUrl(broker.transportUrl()).name(name)
                .option("warren_rpc_reply_mode", replyMode).build();
    }

    private double trial(Contender contender, int callers, Latencies latencies) throws Exception {
        List<Caller> perThread = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            perThread.add(contender.newCaller());
        }
        for (Caller c : perThread) {
            c.call(); // warm: reply queue declared, channels open
        }
        double rate;
        try {
            rate = ClosedLoop.run("bench-caller " + contender.name(), perThread.stream()
                    .map(c -> (ClosedLoop.Operation) c::call).toList(), trial, latencies);
        } finally {
            for (Caller c : perThread) {
                c.close();
            }
        }
        return rate;
    }

    private Contender warren(String mode) {
        Connector client = Connector.create(config("bench-rpc-" + mode, mode));
        client.start();
        Target target = Target.topic("warren-bench-echo");
        Map<String, Object> args = Map.of("payload", PAYLOAD);
        return new Contender() {
            @Override
            public String name() {
                return mode.equals("oslo") ? "Warren (oslo reply queue)" : "Warren (direct reply-to)";
            }

            @Override
            public Caller newCaller() {
                return () -> client.rpcClient().call(target, "echo", args);
            }

            @Override
            public void close() {
                client.stop(Duration.ofSeconds(10));
            }
        };
    }

    private Contender raw() throws Exception {
        Connection connection = broker.factory().newConnection("warren-bench-raw-client");
        byte[] body = PAYLOAD.getBytes();
        return new Contender() {
            @Override
            public String name() {
                return "raw amqp-client RpcClient (direct reply-to)";
            }

            @Override
            public Caller newCaller() throws Exception {
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
        byte[] body = PAYLOAD.getBytes();
        return new Contender() {
            @Override
            public String name() {
                return "Spring AMQP RabbitTemplate.sendAndReceive";
            }

            @Override
            public Caller newCaller() {
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
