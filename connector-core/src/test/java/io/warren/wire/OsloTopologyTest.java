package io.warren.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.impl.AMQImpl;
import io.warren.ConfigException;
import io.warren.ConnectorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every exchange and queue Warren declares, per option set, against what oslo.messaging 14.0.3 and
 * 18.1.0 declared on RabbitMQ 3.10.8 with the same options (captured by src-it's
 * {@code oslo-peer/capture_topology.py} into {@code oslo-wire/topology/}). Flags or arguments that
 * differ from the Python peer's mean a 406 PRECONDITION_FAILED when both serve one topic.
 */
class OsloTopologyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One declaration, as rabbitmqctl lists it: name pattern, kind, flags, arguments. */
    static final class Declared {
        final String what;
        final String name;
        final String type;
        final boolean durable;
        final boolean autoDelete;
        final boolean exclusive;
        final Map<String, String> arguments;

        Declared(String what, String name, String type, boolean durable, boolean autoDelete, boolean exclusive,
                 Map<String, String> arguments) {
            this.what = what;
            this.name = name;
            this.type = type;
            this.durable = durable;
            this.autoDelete = autoDelete;
            this.exclusive = exclusive;
            this.arguments = new TreeMap<>(arguments);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Declared d && d.toString().equals(toString());
        }

        @Override
        public int hashCode() {
            return toString().hashCode();
        }

        @Override
        public String toString() {
            return what + " " + name + " " + type + (durable ? " durable" : " transient")
                    + (autoDelete ? " auto-delete" : "") + (exclusive ? " exclusive" : "") + " " + arguments;
        }
    }

    /** A Channel that records declarations; a queue has {@code consumers} consumers already. */
    private static Channel recorder(List<Declared> out, Function<String, Integer> consumers) {
        return (Channel) Proxy.newProxyInstance(Channel.class.getClassLoader(), new Class<?>[] {Channel.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "exchangeDeclare":
                            out.add(new Declared("exchange", (String) args[0], (String) args[1], (Boolean) args[2],
                                    (Boolean) args[3], false, typed(args[4])));
                            return new AMQImpl.Exchange.DeclareOk();
                        case "queueDeclare":
                            @SuppressWarnings("unchecked")
                            Map<String, Object> a = (Map<String, Object>) args[4];
                            String type = a != null && a.get("x-queue-type") != null ? (String) a.get("x-queue-type") : "classic";
                            out.add(new Declared("queue", (String) args[0], type, (Boolean) args[1], (Boolean) args[3],
                                    (Boolean) args[2], typed(a)));
                            return new AMQImpl.Queue.DeclareOk((String) args[0], 0, consumers.apply((String) args[0]));
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    /** Arguments as rabbitmqctl renders them: name to "type:value". */
    private static Map<String, String> typed(Object arguments) {
        Map<String, String> out = new TreeMap<>();
        if (arguments != null) {
            ((Map<?, ?>) arguments).forEach((k, v) -> out.put((String) k, (v instanceof Integer ? "signedint"
                    : v instanceof Long ? "long" : v instanceof String ? "longstr" : v.getClass().getSimpleName()) + ":" + v));
        }
        return out;
    }

    /** What a Warren RPC server, its client's reply queue, a notifier and a pooled listener declare. */
    private static List<Declared> warrenDeclares(ConnectorConfig config, JsonNode names) throws IOException {
        List<Declared> out = new ArrayList<>();
        Channel ch = recorder(out, q -> 0);
        OsloTopology topology = new OsloTopology(config);
        String topic = names.get("topic").asText();
        topology.declareTopicExchange(ch, names.get("exchange").asText());
        topology.declareSharedQueue(ch, topic);
        topology.declareSharedQueue(ch, topic + "." + names.get("server").asText());
        topology.declareFanoutExchange(ch, topic);
        topology.declareFanoutQueue(ch, topic);
        topology.declareReplyQueue(ch);
        topology.declareSharedQueue(ch, names.get("notification_topic").asText() + ".info");
        topology.declareSharedQueue(ch, names.get("pool").asText());
        return normalized(out, names);
    }

    /** What oslo declared in one captured variant, in the same form. */
    private static List<Declared> osloDeclared(JsonNode variant) {
        List<Declared> out = new ArrayList<>();
        for (JsonNode e : variant.get("exchanges")) {
            out.add(new Declared("exchange", e.get("name").asText(), e.get("type").asText(), e.get("durable").asBoolean(),
                    e.get("auto_delete").asBoolean(), false, arguments(e.get("arguments"))));
        }
        for (JsonNode q : variant.get("queues")) {
            out.add(new Declared("queue", q.get("name").asText(), q.get("type").asText(), q.get("durable").asBoolean(),
                    q.get("auto_delete").asBoolean(), q.get("exclusive").asBoolean(false), arguments(q.get("arguments"))));
        }
        return normalized(out, variant.get("names"));
    }

    private static Map<String, String> arguments(JsonNode list) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode a : list) {
            out.put(a.get(0).asText(), a.get(1).asText() + ":" + a.get(2).asText());
        }
        return out;
    }

    /** Names as patterns: the run's names by role, random ids as {@code <id>}, queue manager counters as {@code <n>}. */
    private static List<Declared> normalized(List<Declared> in, JsonNode names) {
        List<Declared> out = new ArrayList<>();
        for (Declared d : in) {
            String name = d.name.replaceAll("[0-9a-f]{32}$", "<id>").replaceAll(":[0-9]+$", ":<n>");
            for (String role : List.of("notification_topic", "pool", "exchange", "topic")) {
                String real = names.get(role).asText();
                if (name.startsWith(real)) {
                    name = "<" + role + ">" + name.substring(real.length());
                    break;
                }
            }
            out.add(new Declared(d.what, name, d.type, d.durable, d.autoDelete, d.exclusive, d.arguments));
        }
        out.sort((a, b) -> a.toString().compareTo(b.toString()));
        return out;
    }

    private static ConnectorConfig configFor(JsonNode variant) {
        ConnectorConfig.Builder b = ConnectorConfig.builder().option("control_exchange", variant.get("names").get("exchange").asText());
        for (Iterator<Map.Entry<String, JsonNode>> it = variant.get("options").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> option = it.next();
            b.option(option.getKey(), option.getValue().asText());
        }
        return b.build();
    }

    private static List<JsonNode> variants(String version) throws IOException {
        try (InputStream in = OsloTopologyTest.class.getResourceAsStream("/oslo-wire/topology/" + version + ".json")) {
            assertThat(in).as(version + " capture").isNotNull();
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(in).get("variants").forEach(out::add);
            return out;
        }
    }

    @Test
    void warrenDeclaresWhatOslo18DeclaresForEveryCapturedOptionSet() throws IOException {
        List<String> seen = new ArrayList<>();
        for (JsonNode variant : variants("oslo18")) {
            ConnectorConfig config = configFor(variant);
            assertThat(warrenDeclares(config, variant.get("names")))
                    .as("oslo 18 variant " + variant.get("variant") + " " + variant.get("options"))
                    .containsExactlyElementsOf(osloDeclared(variant));
            seen.add(variant.get("variant").asText());
        }
        assertThat(seen).containsExactly("default", "durable", "ha_and_auto_delete", "quorum", "transient_quorum",
                "quorum_and_transient_quorum", "stream_fanout", "queue_manager", "all_four");
    }

    @Test
    void warrenDeclaresWhatOslo14DeclaresForTheOptionsItHas() throws IOException {
        List<String> seen = new ArrayList<>();
        for (JsonNode variant : variants("oslo14")) {
            assertThat(warrenDeclares(configFor(variant), variant.get("names")))
                    .as("oslo 14 variant " + variant.get("variant"))
                    .containsExactlyElementsOf(osloDeclared(variant));
            seen.add(variant.get("variant").asText());
        }
        assertThat(seen).containsExactly("default", "durable", "ha_and_auto_delete", "quorum");
    }

    /** The full listing for the modern set, spelled out, so a change shows here as a readable diff. */
    @Test
    void allFourModernOptions() throws IOException {
        ConnectorConfig config = ConnectorConfig.builder().option("control_exchange", "x")
                .option("rabbit_quorum_queue", "true").option("rabbit_transient_quorum_queue", "true")
                .option("rabbit_stream_fanout", "true").option("rabbit_qos_prefetch_count", "10")
                .option("use_queue_manager", "true").option("hostname", "h1").option("processname", "nova-api").build();
        JsonNode names = JSON.readTree("{\"exchange\": \"x\", \"topic\": \"t\", \"server\": \"s\","
                + " \"notification_topic\": \"n\", \"pool\": \"p\"}");
        List<String> listing = warrenDeclares(config, names).stream().map(Declared::toString).collect(Collectors.toList());
        assertThat(listing).containsExactly(
                "exchange <exchange> topic durable {}",
                "exchange <topic>_fanout fanout durable auto-delete {}",
                "queue <notification_topic>.info quorum durable {x-queue-type=longstr:quorum}",
                "queue <pool> quorum durable {x-queue-type=longstr:quorum}",
                "queue <topic> quorum durable {x-queue-type=longstr:quorum}",
                "queue <topic>.s quorum durable {x-queue-type=longstr:quorum}",
                "queue <topic>_fanout stream durable {x-max-age=longstr:1800s, x-queue-type=longstr:stream}",
                "queue reply_h1:nova-api:<n> quorum durable {x-expires=signedint:1800000, x-queue-type=longstr:quorum}");
    }

    /**
     * RabbitMQ 4.3 refuses transient non-exclusive queues. With rabbit_transient_quorum_queue and
     * durable shared queues (rabbit_quorum_queue or amqp_durable_queues), Warren declares none.
     */
    @Test
    void withTransientQuorumQueuesNoQueueIsTransientAndNonExclusive() throws IOException {
        JsonNode names = JSON.readTree("{\"exchange\": \"x\", \"topic\": \"t\", \"server\": \"s\","
                + " \"notification_topic\": \"n\", \"pool\": \"p\"}");
        List<Map<String, String>> sets = List.of(
                Map.of("rabbit_quorum_queue", "true"),
                Map.of("amqp_durable_queues", "true"),
                Map.of("rabbit_quorum_queue", "true", "rabbit_stream_fanout", "true", "rabbit_qos_prefetch_count", "1"),
                Map.of("rabbit_quorum_queue", "true", "use_queue_manager", "true"),
                Map.of("rabbit_quorum_queue", "true", "rabbit_stream_fanout", "true", "rabbit_qos_prefetch_count", "1",
                        "use_queue_manager", "true", "rabbit_transient_queues_ttl", "0"));
        for (Map<String, String> set : sets) {
            ConnectorConfig config = ConnectorConfig.builder().options(set)
                    .option("rabbit_transient_quorum_queue", "true").build();
            List<Declared> queues = warrenDeclares(config, names).stream().filter(d -> d.what.equals("queue"))
                    .collect(Collectors.toList());
            assertThat(queues).as(set.toString()).hasSize(6)
                    .allSatisfy(q -> assertThat(q.durable || q.exclusive).as(q.toString()).isTrue());
            assertThat(config.warnings()).as(set.toString()).isEmpty();
        }
    }

    /**
     * oslo 18 with rabbit_transient_quorum_queue alone still declares its topic and notification
     * queues transient (the capture shows it); Warren must declare the same to share them, and says
     * at start that RabbitMQ 4.3 would refuse them.
     */
    @Test
    void transientQuorumQueuesAloneLeaveTheSharedQueuesTransientAndSaySo() throws IOException {
        JsonNode variant = variants("oslo18").stream().filter(v -> v.get("variant").asText().equals("transient_quorum"))
                .findFirst().orElseThrow();
        ConnectorConfig config = configFor(variant);
        List<String> transientShared = warrenDeclares(config, variant.get("names")).stream()
                .filter(d -> d.what.equals("queue") && !d.durable && !d.exclusive).map(d -> d.name).collect(Collectors.toList());
        assertThat(transientShared).containsExactly("<notification_topic>.info", "<pool>", "<topic>", "<topic>.cap-server");
        assertThat(config.warnings()).singleElement().asString()
                .contains("RabbitMQ 4.3").contains("rabbit_quorum_queue=true");
    }

    @Test
    void theQueueManagerSkipsStableNamesSomeoneConsumes() throws IOException {
        ConnectorConfig config = ConnectorConfig.builder().name("api").option("use_queue_manager", "true")
                .option("hostname", "h1").build();
        List<Declared> out = new ArrayList<>();
        Channel ch = recorder(out, q -> q.endsWith(":1") || q.endsWith(":2") ? 1 : 0);
        OsloTopology topology = new OsloTopology(config);
        assertThat(topology.declareReplyQueue(ch)).isEqualTo("reply_h1:api:3");
        assertThat(topology.declareFanoutQueue(recorder(new ArrayList<>(), q -> 0), "compute"))
                .isEqualTo("compute_fanout_h1:api:1");
        assertThat(topology.deletesReplyQueueOnStop()).isFalse();
        assertThat(topology.deletesFanoutQueueOnStop()).isFalse();

        Channel allTaken = recorder(new ArrayList<>(), q -> 1);
        assertThatThrownBy(() -> topology.declareReplyQueue(allTaken)).isInstanceOf(IOException.class)
                .hasMessageContaining("reply_h1:api:1 to reply_h1:api:1000 all have consumers");
    }

    @Test
    void randomNamesAreDeletedOnStopAndStreamsAreNot() {
        assertThat(new OsloTopology(ConnectorConfig.builder().build()).deletesFanoutQueueOnStop()).isTrue();
        assertThat(new OsloTopology(ConnectorConfig.builder().build()).deletesReplyQueueOnStop()).isTrue();
        OsloTopology streams = new OsloTopology(ConnectorConfig.builder().option("rabbit_transient_quorum_queue", "true")
                .option("rabbit_quorum_queue", "true").option("rabbit_stream_fanout", "true")
                .option("rabbit_qos_prefetch_count", "4").build());
        assertThat(streams.deletesFanoutQueueOnStop()).isFalse();
        assertThat(streams.deletesReplyQueueOnStop()).isTrue();
    }

    @Test
    void oslo18sRulesForTheCombinations() {
        assertThatThrownBy(() -> ConnectorConfig.builder().option("rabbit_stream_fanout", "true")
                .option("rabbit_qos_prefetch_count", "10").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("set rabbit_transient_quorum_queue=true");
        assertThatThrownBy(() -> ConnectorConfig.builder().option("rabbit_stream_fanout", "true")
                .option("rabbit_transient_quorum_queue", "true").build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rabbit_qos_prefetch_count is 0")
                .hasMessageContaining("to a value above 0");
        assertThatThrownBy(() -> ConnectorConfig.builder().option("rabbit_transient_quorum_queue", "true")
                .option("rabbit_ha_queues", "true").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("pick one");
        assertThatThrownBy(() -> ConnectorConfig.fromUrl("rabbit://h/?rabbit_stream_fanout=true"
                + "&rabbit_transient_quorum_queue=true"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rabbit_qos_prefetch_count");
    }
}
