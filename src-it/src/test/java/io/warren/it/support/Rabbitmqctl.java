package io.warren.it.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs {@code rabbitmqctl} against a RabbitMQ node, every call bounded (30 s by default), output
 * captured; a non-zero exit or a time-out is an {@link IllegalStateException} carrying the output.
 *
 * <p>{@link #forSharedBroker(TestBroker, String)} drives the machine's broker (and skips the test on
 * the embedded one); {@link ThrowawayNodes#rabbitmqctl(String)} drives a throw-away node.
 *
 * <p><b>The machine's broker is shared</b> with every other test run on the machine: a memory
 * watermark of 0 blocks every publisher there. Tests that change node-wide settings should prefer
 * a throw-away node, and must restore what they change in {@code finally}. Never close
 * connections you did not open: select them by your own {@code connection_name}.
 */
public final class Rabbitmqctl {
    /** Default bound on one rabbitmqctl call (each boots an Erlang VM: 0.5-1.5 s here). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> prefix;
    private final Map<String, String> environment;
    private final Duration timeout;
    private final String target;

    Rabbitmqctl(List<String> prefix, Map<String, String> environment, Duration timeout, String target) {
        this.prefix = List.copyOf(prefix);
        this.environment = Map.copyOf(environment);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.target = target;
    }

    /**
     * The CLI for the broker the tests use; on the embedded broker the test is skipped (or fails
     * when skips are forbidden), see {@link TestBroker#requireRabbitMq(String)}.
     *
     * @param why what the test needs rabbitmqctl for, shown in the skip summary
     */
    public static Rabbitmqctl forSharedBroker(TestBroker broker, String why) {
        broker.requireRabbitMq(why + " (rabbitmqctl)");
        if (!broker.host().equals("127.0.0.1") && !broker.host().equals("localhost")) {
            throw new IllegalStateException("rabbitmqctl drives the local node only, but the test broker is "
                    + broker + "; needed for " + why);
        }
        return new Rabbitmqctl(List.of("rabbitmqctl"), Map.of(), DEFAULT_TIMEOUT, "local node");
    }

    /** The same CLI with another bound per call. */
    public Rabbitmqctl withTimeout(Duration perCall) {
        if (perCall.isNegative() || perCall.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + perCall);
        }
        return new Rabbitmqctl(prefix, environment, perCall, target);
    }

    /**
     * Runs {@code rabbitmqctl <args>} and returns its merged output.
     *
     * @throws IllegalStateException on a non-zero exit or when the call exceeds the time-out
     */
    public String run(String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(args));
        return BoundedProcess.run(timeout, command, environment).requireSuccess().output();
    }

    /** Every client connection with its name, pid, state, user and client properties. */
    public List<ConnectionInfo> listConnections() {
        // JSON renders pids without their node (#PID<12576.1280.0>), which close_connection cannot
        // take; the table output keeps <rabbit@host.N.M.0>. Hence two calls, joined by name.
        Map<String, String> pids = new LinkedHashMap<>();
        for (String line : run("-q", "list_connections", "--no-table-headers", "name", "pid").split("\n")) {
            int tab = line.lastIndexOf('\t');
            if (tab > 0) {
                pids.put(line.substring(0, tab), line.substring(tab + 1).strip());
            }
        }
        List<ConnectionInfo> connections = new ArrayList<>();
        for (JsonNode row : listJson("list_connections", "name", "state", "user", "vhost", "client_properties")) {
            String name = row.path("name").asText();
            connections.add(new ConnectionInfo(name, pids.getOrDefault(name, ""), row.path("state").asText(),
                    row.path("user").asText(), row.path("vhost").asText(), table(row.path("client_properties"))));
        }
        return connections;
    }

    /**
     * Closes one connection; the client receives connection.close 320 with {@code reason}.
     *
     * @param connection a row of {@link #listConnections()}
     */
    public void closeConnection(ConnectionInfo connection, String reason) {
        if (connection.pid().isEmpty()) {
            throw new IllegalStateException("no pid known for connection " + connection + "; list it again");
        }
        run("close_connection", connection.pid(), reason);
    }

    /**
     * Closes the connection with this broker-side name ({@link ConnectionInfo#name()}, e.g.
     * {@code 127.0.0.1:45194 -> 127.0.0.1:5672}).
     *
     * @throws IllegalStateException when no such connection is listed
     */
    public void closeConnection(String name, String reason) {
        ConnectionInfo connection = listConnections().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no connection named '" + name + "' on " + target));
        closeConnection(connection, reason);
    }

    /**
     * Closes every connection whose client property {@code connection_name} equals
     * {@code connectionName}; returns how many were closed.
     */
    public int closeConnectionsNamed(String connectionName, String reason) {
        int closed = 0;
        for (ConnectionInfo connection : listConnections()) {
            if (connectionName.equals(connection.connectionName())) {
                closeConnection(connection, reason);
                closed++;
            }
        }
        return closed;
    }

    /** The node's current memory high watermark, to hand back to {@link #setVmMemoryHighWatermark}. */
    public MemoryWatermark vmMemoryHighWatermark() {
        String value = run("eval", "vm_memory_monitor:get_vm_memory_high_watermark().").strip();
        return MemoryWatermark.parse(value);
    }

    /**
     * Sets the memory high watermark; {@code MemoryWatermark.relative(0)} raises the memory alarm at
     * once (publishing connections get connection.blocked). Restore the previous value in finally.
     */
    public void setVmMemoryHighWatermark(MemoryWatermark watermark) {
        List<String> args = new ArrayList<>();
        args.add("set_vm_memory_high_watermark");
        args.addAll(watermark.arguments());
        run(args.toArray(String[]::new));
    }

    /** The names of the running nodes of this node's cluster (from {@code cluster_status}). */
    public List<String> runningNodes() {
        String output = run("-q", "cluster_status", "--formatter", "json");
        int start = output.indexOf('{');
        try {
            JsonNode status = JSON.readTree(output.substring(Math.max(start, 0)));
            List<String> nodes = new ArrayList<>();
            status.path("running_nodes").forEach(node -> nodes.add(node.asText()));
            return nodes;
        } catch (Exception e) {
            throw new IllegalStateException("rabbitmqctl cluster_status printed unreadable JSON:\n" + output, e);
        }
    }

    /** Every queue of the default virtual host. */
    public List<QueueInfo> listQueues() {
        List<QueueInfo> queues = new ArrayList<>();
        for (JsonNode row : listJson("list_queues", "name", "messages", "consumers", "durable", "auto_delete",
                "arguments")) {
            queues.add(new QueueInfo(row.path("name").asText(), row.path("messages").asLong(),
                    row.path("consumers").asLong(), row.path("durable").asBoolean(),
                    row.path("auto_delete").asBoolean(), table(row.path("arguments"))));
        }
        return queues;
    }

    /** Deletes a queue of the default virtual host (with its messages). */
    public void deleteQueue(String name) {
        run("delete_queue", name);
    }

    /** Every exchange of the default virtual host, the pre-declared ones included. */
    public List<ExchangeInfo> listExchanges() {
        List<ExchangeInfo> exchanges = new ArrayList<>();
        for (JsonNode row : listJson("list_exchanges", "name", "type", "durable", "auto_delete")) {
            exchanges.add(new ExchangeInfo(row.path("name").asText(), row.path("type").asText(),
                    row.path("durable").asBoolean(), row.path("auto_delete").asBoolean()));
        }
        return exchanges;
    }

    @Override
    public String toString() {
        return "Rabbitmqctl[" + target + ", " + timeout.toSeconds() + " s per call]";
    }

    private List<JsonNode> listJson(String command, String... columns) {
        List<String> args = new ArrayList<>(List.of("-q", command));
        args.addAll(List.of(columns));
        args.add("--formatter");
        args.add("json");
        String output = run(args.toArray(String[]::new));
        // Warnings (e.g. a deprecated cookie variable) can precede the JSON array.
        int start = output.indexOf('[');
        if (start < 0) {
            throw new IllegalStateException("rabbitmqctl " + command + " printed no JSON list:\n" + output);
        }
        try {
            JsonNode rows = JSON.readTree(output.substring(start));
            List<JsonNode> list = new ArrayList<>();
            rows.forEach(list::add);
            return list;
        } catch (Exception e) {
            throw new IllegalStateException("rabbitmqctl " + command + " printed unreadable JSON:\n" + output, e);
        }
    }

    /** rabbitmqctl's JSON for an AMQP table: [[key, type, value], ...], nested tables likewise. */
    private static Map<String, Object> table(JsonNode node) {
        Map<String, Object> table = new LinkedHashMap<>();
        if (!node.isArray()) {
            return table;
        }
        for (JsonNode entry : node) {
            if (entry.isArray() && entry.size() == 3) {
                String type = entry.get(1).asText();
                JsonNode value = entry.get(2);
                table.put(entry.get(0).asText(), type.equals("table") ? table(value) : scalar(value));
            }
        }
        return Collections.unmodifiableMap(table);
    }

    private static Object scalar(JsonNode value) {
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** One row of {@code list_connections}. */
    public static final class ConnectionInfo {
        private final String name;
        private final String pid;
        private final String state;
        private final String user;
        private final String vhost;
        private final Map<String, Object> clientProperties;

        ConnectionInfo(String name, String pid, String state, String user, String vhost,
                Map<String, Object> clientProperties) {
            this.name = name;
            this.pid = pid;
            this.state = state;
            this.user = user;
            this.vhost = vhost;
            this.clientProperties = clientProperties;
        }

        /** Broker-side name, e.g. {@code 127.0.0.1:45194 -> 127.0.0.1:5672}; what closeConnection takes. */
        public String name() {
            return name;
        }

        /** Erlang pid of the connection process, e.g. {@code <rabbit@localhost.1795543407.2467.0>}. */
        public String pid() {
            return pid;
        }

        /** running, blocking, blocked, flow, closing... */
        public String state() {
            return state;
        }

        /** Logged-in user. */
        public String user() {
            return user;
        }

        /** The virtual host the connection is open on. */
        public String vhost() {
            return vhost;
        }

        /** Client properties as sent by the client; nested tables are maps. */
        public Map<String, Object> clientProperties() {
            return clientProperties;
        }

        /** The client property connection_name, or null. */
        public String connectionName() {
            Object value = clientProperties.get("connection_name");
            return value == null ? null : value.toString();
        }

        @Override
        public String toString() {
            return name + " [" + connectionName() + ", " + state + ", " + user + "]";
        }
    }

    /** One row of {@code list_queues}. */
    public static final class QueueInfo {
        private final String name;
        private final long messages;
        private final long consumers;
        private final boolean durable;
        private final boolean autoDelete;
        private final Map<String, Object> arguments;

        QueueInfo(String name, long messages, long consumers, boolean durable, boolean autoDelete,
                Map<String, Object> arguments) {
            this.name = name;
            this.messages = messages;
            this.consumers = consumers;
            this.durable = durable;
            this.autoDelete = autoDelete;
            this.arguments = arguments;
        }

        /** Queue name. */
        public String name() {
            return name;
        }

        /** Ready + unacknowledged messages (lags for quorum queues). */
        public long messages() {
            return messages;
        }

        /** Number of consumers. */
        public long consumers() {
            return consumers;
        }

        /** Durable flag. */
        public boolean durable() {
            return durable;
        }

        /** Auto-delete flag. */
        public boolean autoDelete() {
            return autoDelete;
        }

        /** Declare arguments, e.g. x-expires as a Long. */
        public Map<String, Object> arguments() {
            return arguments;
        }

        @Override
        public String toString() {
            return name + " [messages=" + messages + ", consumers=" + consumers + ", durable=" + durable
                    + ", autoDelete=" + autoDelete + ", arguments=" + arguments + "]";
        }
    }

    /** One row of {@code list_exchanges}. */
    public static final class ExchangeInfo {
        private final String name;
        private final String type;
        private final boolean durable;
        private final boolean autoDelete;

        ExchangeInfo(String name, String type, boolean durable, boolean autoDelete) {
            this.name = name;
            this.type = type;
            this.durable = durable;
            this.autoDelete = autoDelete;
        }

        /** Exchange name ("" is the default exchange). */
        public String name() {
            return name;
        }

        /** direct, topic, fanout, headers. */
        public String type() {
            return type;
        }

        /** Durable flag. */
        public boolean durable() {
            return durable;
        }

        /** Auto-delete flag. */
        public boolean autoDelete() {
            return autoDelete;
        }

        @Override
        public String toString() {
            return name + " [" + type + ", durable=" + durable + ", autoDelete=" + autoDelete + "]";
        }
    }

    /** A memory high watermark: a fraction of the machine's memory, or an absolute number of bytes. */
    public static final class MemoryWatermark {
        private final Double fraction;
        private final Long bytes;

        private MemoryWatermark(Double fraction, Long bytes) {
            this.fraction = fraction;
            this.bytes = bytes;
        }

        /** A fraction of installed memory, 0 (alarm at once) to 1. */
        public static MemoryWatermark relative(double fraction) {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("relative memory watermark must be within 0..1, was " + fraction);
            }
            return new MemoryWatermark(fraction, null);
        }

        /** An absolute limit in bytes. */
        public static MemoryWatermark absolute(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("absolute memory watermark must be >= 0 bytes, was " + bytes);
            }
            return new MemoryWatermark(null, bytes);
        }

        /** Parses what vm_memory_monitor:get_vm_memory_high_watermark() prints: 0.4 or {absolute,N}. */
        static MemoryWatermark parse(String erlangTerm) {
            String term = erlangTerm.strip();
            try {
                if (term.startsWith("{absolute,")) {
                    return absolute(Long.parseLong(term.substring("{absolute,".length(), term.length() - 1).strip()));
                }
                return relative(Double.parseDouble(term));
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot read the memory watermark from '" + erlangTerm + "'", e);
            }
        }

        List<String> arguments() {
            return fraction != null ? List.of(String.format(Locale.ROOT, "%s", fraction))
                    : List.of("absolute", Long.toString(bytes));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof MemoryWatermark that && Objects.equals(fraction, that.fraction)
                    && Objects.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return Objects.hash(fraction, bytes);
        }

        @Override
        public String toString() {
            return fraction != null ? "relative " + fraction : "absolute " + bytes + " bytes";
        }
    }
}
