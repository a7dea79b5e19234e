package io.warren.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.rabbitmq.client.AMQP;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.DeflaterOutputStream;

/**
 * A seeded generator of oslo messages for fuzzing: valid ones, and ones mutated from captured oslo
 * messages (the wire fixtures) at the JSON level, the byte level and the AMQP-property level, plus
 * random bytes, random JSON, deep nesting and bodies over the size cap. Same seed, same messages.
 */
final class OsloFuzzer {
    /** Writes every non-ASCII character as an escape, lone surrogates included (valid JSON, odd text). */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final List<String> SEED_FILES = List.of("rpc_call_request", "rpc_cast_topic",
            "rpc_call_with_call_monitor_request", "rpc_call_unknown_method_request", "notification_v2_info",
            "notification_v2_error", "notification_v1_info");
    private static final List<String> PRIORITIES = List.of("info", "warn", "error");

    /** One message to publish. */
    static final class Fuzzed {
        final boolean notification;
        final String strategy;
        final String priority;
        final byte[] body;
        final AMQP.BasicProperties properties;

        Fuzzed(boolean notification, String strategy, String priority, byte[] body, AMQP.BasicProperties properties) {
            this.notification = notification;
            this.strategy = strategy;
            this.priority = priority;
            this.body = body;
            this.properties = properties;
        }
    }

    private static final class Seed {
        final boolean notification;
        final byte[] body;

        Seed(boolean notification, byte[] body) {
            this.notification = notification;
            this.body = body;
        }
    }

    private final Random random;
    private final int sizeCap;
    private final List<Seed> seeds = new ArrayList<>();
    private final Map<String, Integer> strategies = new TreeMap<>();

    OsloFuzzer(long seed, int sizeCap) {
        this.random = new Random(seed);
        this.sizeCap = sizeCap;
        for (String name : SEED_FILES) {
            String path = "fuzz-seeds/" + name + ".json";
            try (InputStream in = OsloFuzzer.class.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("missing test resource " + path);
                }
                JsonNode fixture = JSON.readTree(in);
                seeds.add(new Seed(name.startsWith("notification"),
                        fixture.get("body").asText().getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** @return how many messages each strategy made so far */
    Map<String, Integer> strategies() {
        return strategies;
    }

    Fuzzed next() {
        try {
            return generate();
        } catch (RuntimeException e) {
            // The generator's own JSON writer refused something: send bytes it cannot refuse.
            byte[] body = new byte[1 + random.nextInt(100)];
            random.nextBytes(body);
            strategies.merge("random-bytes", 1, Integer::sum);
            return new Fuzzed(random.nextBoolean(), "random-bytes", "info", body, oslo());
        }
    }

    private Fuzzed generate() {
        Seed seed = seeds.get(random.nextInt(seeds.size()));
        int roll = random.nextInt(1000);
        String strategy;
        byte[] body;
        AMQP.BasicProperties props = oslo();
        if (roll < 60) {
            strategy = "valid";
            body = freshIds(seed.body);
        } else if (roll < 460) {
            strategy = "json-mutation";
            body = mutateJson(seed.body);
        } else if (roll < 710) {
            strategy = "byte-mutation";
            body = mutateBytes(seed.body);
        } else if (roll < 790) {
            strategy = "random-bytes";
            body = new byte[random.nextInt(2000)];
            random.nextBytes(body);
        } else if (roll < 850) {
            strategy = "random-json";
            body = write(randomValue(4));
        } else if (roll < 880) {
            strategy = "deep-nesting";
            body = deepNesting(seed.body);
        } else if (roll < 995) {
            strategy = "properties";
            body = random.nextBoolean() ? seed.body : mutateBytes(seed.body);
            props = mutateProperties(body);
            if (props.getHeaders() != null && "application/x-gzip".equals(props.getHeaders().get("compression"))
                    && random.nextBoolean()) {
                body = deflate(body);
            }
        } else {
            strategy = "over-size-cap";
            body = new byte[sizeCap + 1 + random.nextInt(4096)];
            java.util.Arrays.fill(body, (byte) '[');
        }
        strategies.merge(strategy, 1, Integer::sum);
        return new Fuzzed(seed.notification, strategy, PRIORITIES.get(random.nextInt(PRIORITIES.size())), body, props);
    }

    private static AMQP.BasicProperties oslo() {
        return new AMQP.BasicProperties.Builder().contentType("application/json").contentEncoding("utf-8")
                .headers(Map.of()).deliveryMode(2).priority(0).build();
    }

    private AMQP.BasicProperties mutateProperties(byte[] body) {
        AMQP.BasicProperties.Builder b = oslo().builder();
        switch (random.nextInt(6)) {
            case 0:
                b.contentType(null);
                break;
            case 1:
                b.contentType(random.nextBoolean() ? "text/plain" : randomString(12));
                break;
            case 2:
                b.headers(Map.of("compression", "application/x-gzip")); // body deflated or not, at random
                break;
            case 3:
                b.headers(Map.of("compression", random.nextBoolean() ? "br" : randomString(8)));
                break;
            case 4:
                Map<String, Object> headers = new HashMap<>();
                headers.put("compression", random.nextInt());
                headers.put(randomString(5), randomString(20));
                b.headers(headers);
                break;
            default:
                b.contentEncoding(randomString(6)).headers(null);
                break;
        }
        return b.build();
    }

    /** The seed with new _unique_id and _msg_id, so duplicate detection does not swallow it. */
    private byte[] freshIds(byte[] seedBody) {
        try {
            Map<String, Object> outer = readMap(seedBody);
            boolean enveloped = outer.containsKey("oslo.message");
            Map<String, Object> inner = enveloped ? readMap(((String) outer.get("oslo.message")).getBytes(StandardCharsets.UTF_8)) : outer;
            inner.put("_unique_id", hex(32));
            if (inner.containsKey("_msg_id")) {
                inner.put("_msg_id", hex(32));
            }
            if (enveloped) {
                outer.put("oslo.message", JSON.writeValueAsString(inner));
                return write(outer);
            }
            return write(inner);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] mutateJson(byte[] seedBody) {
        try {
            Map<String, Object> outer = readMap(seedBody);
            boolean enveloped = outer.containsKey("oslo.message");
            Map<String, Object> inner = enveloped ? readMap(((String) outer.get("oslo.message")).getBytes(StandardCharsets.UTF_8)) : outer;
            int mutations = 1 + random.nextInt(3);
            for (int i = 0; i < mutations; i++) {
                mutateMap(inner);
            }
            inner.put("_unique_id", hex(32));
            if (!enveloped) {
                return write(inner);
            }
            outer.put("oslo.message", JSON.writeValueAsString(inner));
            switch (random.nextInt(8)) {
                case 0:
                    outer.put("oslo.version", random.nextBoolean() ? randomValue(1) : random.nextInt(5) + "." + random.nextInt(5));
                    break;
                case 1:
                    outer.put("oslo.message", randomValue(2));
                    break;
                case 2:
                    outer.put("oslo.message", randomString(30));
                    break;
                default:
                    break; // inner mutations only
            }
            return write(outer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void mutateMap(Map<String, Object> map) {
        List<String> keys = new ArrayList<>(map.keySet());
        String key = keys.isEmpty() ? randomString(6) : keys.get(random.nextInt(keys.size()));
        switch (random.nextInt(5)) {
            case 0:
                map.remove(key);
                break;
            case 1:
                map.put(key, randomValue(3));
                break;
            case 2:
                map.put(random.nextBoolean() ? "_context_" + randomString(6) : randomString(8), randomValue(2));
                break;
            case 3:
                Object args = map.get("args");
                if (args instanceof Map<?, ?> a) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) a;
                    mutateMap(m);
                } else {
                    map.put("args", randomValue(2));
                }
                break;
            default:
                map.put(random.nextBoolean() ? "method" : "event_type", randomString(10));
                break;
        }
    }

    private byte[] mutateBytes(byte[] seedBody) {
        byte[] b = seedBody.clone();
        int edits = 1 + random.nextInt(8);
        for (int i = 0; i < edits && b.length > 0; i++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(4)) {
                case 0:
                    b[at] = (byte) random.nextInt(256);
                    break;
                case 1:
                    b = java.util.Arrays.copyOf(b, at); // truncate
                    break;
                case 2: {
                    byte[] longer = new byte[b.length + 1];
                    System.arraycopy(b, 0, longer, 0, at);
                    longer[at] = (byte) "{}[]\",:\\\u0000".charAt(random.nextInt(10));
                    System.arraycopy(b, at, longer, at + 1, b.length - at);
                    b = longer;
                    break;
                }
                default: {
                    byte[] shorter = new byte[b.length - 1];
                    System.arraycopy(b, 0, shorter, 0, at);
                    System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
                    b = shorter;
                    break;
                }
            }
        }
        return b;
    }

    private byte[] deepNesting(byte[] seedBody) {
        int depth = 100 + random.nextInt(5000);
        StringBuilder s = new StringBuilder();
        boolean objects = random.nextBoolean();
        for (int i = 0; i < depth; i++) {
            s.append(objects ? "{\"a\":" : "[");
        }
        s.append("1");
        for (int i = 0; i < depth; i++) {
            s.append(objects ? "}" : "]");
        }
        if (random.nextBoolean()) {
            return s.toString().getBytes(StandardCharsets.UTF_8);
        }
        // Nested inside an otherwise valid oslo message, as an argument.
        String message = "{\"method\": \"echo\", \"args\": {\"name\": " + s + "}, \"_unique_id\": \"" + hex(32) + "\"}";
        try {
            return write(Map.of("oslo.version", "2.0", "oslo.message", message));
        } catch (RuntimeException e) {
            return seedBody;
        }
    }

    private Object randomValue(int depth) {
        int kind = random.nextInt(depth <= 0 ? 7 : 9);
        switch (kind) {
            case 0:
                return null;
            case 1:
                return random.nextBoolean();
            case 2:
                return random.nextInt();
            case 3:
                return random.nextLong();
            case 4:
                return random.nextBoolean() ? random.nextDouble() * 1e300 : -0.0;
            case 5:
                return new java.math.BigInteger(200, random);
            case 6:
                return randomString(random.nextInt(40));
            case 7: {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    list.add(randomValue(depth - 1));
                }
                return list;
            }
            default: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    map.put(randomString(6), randomValue(depth - 1));
                }
                return map;
            }
        }
    }

    private String randomString(int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(10);
            if (pick < 6) {
                s.append((char) ('a' + random.nextInt(26)));
            } else if (pick < 8) {
                s.append((char) random.nextInt(0x20)); // control characters
            } else if (pick < 9) {
                s.append((char) (0xD800 + random.nextInt(0x800))); // lone surrogates
            } else {
                s.append((char) (0x80 + random.nextInt(0xFF00)));
            }
        }
        return s.toString();
    }

    private String hex(int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(Character.forDigit(random.nextInt(16), 16));
        }
        return s.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readMap(byte[] json) throws IOException {
        return JSON.readValue(json, LinkedHashMap.class);
    }

    private static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] deflate(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
            z.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
