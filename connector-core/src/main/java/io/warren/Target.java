package io.warren;

import java.util.Objects;

/**
 * Where an RPC message goes or is served, in oslo.messaging's terms: a topic, optionally one
 * server of that topic, or all servers of it (fanout); the exchange (the connector's
 * {@code control_exchange} when unset); and the namespace and version that endpoints are matched
 * against. Immutable; the {@code with...} methods return changed copies.
 *
 * <pre>{@code
 * Target compute = Target.topic("compute").version("2.1");
 * client.call(compute.server("host1"), "get_console", Map.of("instance", id));
 * }</pre>
 */
public final class Target {
    private final String exchange;
    private final String topic;
    private final String server;
    private final boolean fanout;
    private final String namespace;
    private final String version;

    private Target(String exchange, String topic, String server, boolean fanout, String namespace, String version) {
        this.exchange = exchange;
        this.topic = topic;
        this.server = server;
        this.fanout = fanout;
        this.namespace = namespace;
        this.version = version;
    }

    /**
     * @param topic the topic; literal (a {@code *} or {@code #} would become a wildcard in the binding)
     * @return a target for any server of the topic
     */
    public static Target topic(String topic) {
        Objects.requireNonNull(topic, "topic");
        if (topic.isEmpty() || topic.contains("*") || topic.contains("#")) {
            throw new IllegalArgumentException("topic must be a non-empty literal name without * or #, got '" + topic + "'");
        }
        return new Target(null, topic, null, false, null, null);
    }

    /**
     * @param server a server's name ({@code T.S} queue), or null for any server of the topic
     * @return this target for one server of the topic
     */
    public Target server(String server) {
        if (server != null && (server.contains("*") || server.contains("#"))) {
            throw new IllegalArgumentException("server must be a literal name without * or #, got '" + server + "'");
        }
        return new Target(exchange, topic, server, fanout, namespace, version);
    }

    /**
     * @param fanout whether to reach every server of the topic (casts only)
     * @return this target, fanout or not
     */
    public Target fanout(boolean fanout) {
        return new Target(exchange, topic, server, fanout, namespace, version);
    }

    /**
     * @param exchange an exchange, or null for the connector's {@code control_exchange}
     * @return this target on that exchange
     */
    public Target exchange(String exchange) {
        return new Target(exchange, topic, server, fanout, namespace, version);
    }

    /**
     * @param namespace an endpoint namespace, or null for oslo's default namespace
     * @return this target with that namespace
     */
    public Target namespace(String namespace) {
        return new Target(exchange, topic, server, fanout, namespace, version);
    }

    /**
     * @param version {@code "major.minor"}, as oslo versions endpoints
     * @return this target with a version
     */
    public Target version(String version) {
        if (version != null && !version.matches("\\d+\\.\\d+(\\.\\d+)?")) {
            throw new IllegalArgumentException("version must look like \"2.1\", got '" + version + "'");
        }
        return new Target(exchange, topic, server, fanout, namespace, version);
    }

    /** @return the exchange, or null for the connector's {@code control_exchange} */
    public String exchange() {
        return exchange;
    }

    /** @return the topic */
    public String topic() {
        return topic;
    }

    /** @return the server, or null for any server of the topic */
    public String server() {
        return server;
    }

    /** @return whether a cast reaches every server of the topic */
    public boolean isFanout() {
        return fanout;
    }

    /** @return the namespace, or null */
    public String namespace() {
        return namespace;
    }

    /** @return the version, or null (oslo then assumes 1.0) */
    public String version() {
        return version;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Target t && fanout == t.fanout && Objects.equals(exchange, t.exchange)
                && topic.equals(t.topic) && Objects.equals(server, t.server)
                && Objects.equals(namespace, t.namespace) && Objects.equals(version, t.version);
    }

    @Override
    public int hashCode() {
        return Objects.hash(exchange, topic, server, fanout, namespace, version);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Target[topic=").append(topic);
        if (server != null) {
            b.append(", server=").append(server);
        }
        if (fanout) {
            b.append(", fanout");
        }
        if (exchange != null) {
            b.append(", exchange=").append(exchange);
        }
        if (namespace != null) {
            b.append(", namespace=").append(namespace);
        }
        if (version != null) {
            b.append(", version=").append(version);
        }
        return b.append(']').toString();
    }
}
