package io.warren;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One option of {@link ConnectorConfig}: its name and oslo group, oslo's deprecated names, type,
 * default, allowed values, unit and what it does. {@link #all()} is the one, fixed table of them:
 * the options of oslo.messaging 14 and 18.1 (with 14's defaults where the two differ) plus
 * Warren's own ({@code warren_*}). Everything about options comes from this table: parsing and
 * range checks, the "did you mean" of an unknown name, {@link ConnectorConfig#options()} and the
 * JMX view, and the configuration reference (docs/CONFIGURATION.md, generated from it).
 *
 * <p>What oslo.messaging 18 removed or deprecated is still accepted and carries a warning
 * ({@link #deprecation()}) that the connector logs at start.
 */
public final class ConfigOption {
    static final String DEFAULT_GROUP = "DEFAULT";
    static final String RABBIT_GROUP = "oslo_messaging_rabbit";
    static final String NOTIFICATIONS_GROUP = "oslo_messaging_notifications";
    static final String WARREN_GROUP = "warren";

    enum Kind { STRING, BOOL, INT, FLOAT, CHOICE, LIST, URL }

    /** The unit of a numeric option; for time units a {@link Duration} can be given for it. */
    enum Unit { NONE, SECONDS, MILLIS, BYTES }

    /** Warren's flat name: oslo's name, except where two oslo groups share one. */
    final String name;
    final String group;
    /** The name inside its oslo group, e.g. {@code transport_url} for notification_transport_url. */
    final String osloName;
    /** oslo's deprecated names, without their group. */
    final List<String> aliases;
    /** oslo's deprecated names as {@code group.name}, group in lower case. */
    final List<String> qualifiedAliases;
    final Kind kind;
    final Unit unit;
    /** The default in string form, or null for "unset". */
    final String defaultText;
    final long min;
    final long max;
    final double floatMin;
    final double floatMax;
    /** Said after the range in errors, e.g. "0 disables heartbeats". */
    final String note;
    /** CHOICE: accepted spelling in lower case to the typed value; LIST: allowed elements. */
    final Map<String, Object> choices;
    /** Spellings (lower case) refused with a reason. */
    final Map<String, String> refused;
    /** Why oslo 18 dropped or deprecated this option and what to do instead, or null. */
    final String retired;
    /** Aliases (flat or {@code group.name}, lower case) oslo 18 no longer knows. */
    final List<String> retiredAliases;
    /** What the option does, one or two sentences. */
    final String help;

    private ConfigOption(Spec s) {
        this.name = s.name;
        this.group = s.group;
        this.osloName = s.osloName == null ? s.name : s.osloName;
        this.aliases = List.copyOf(s.aliases);
        this.qualifiedAliases = List.copyOf(s.qualifiedAliases);
        this.kind = s.kind;
        this.unit = s.unit;
        this.defaultText = s.defaultText;
        this.min = s.min;
        this.max = s.max;
        this.floatMin = s.floatMin;
        this.floatMax = s.floatMax;
        this.note = s.note;
        this.choices = Collections.unmodifiableMap(new LinkedHashMap<>(s.choices));
        this.refused = Map.copyOf(s.refused);
        this.retired = s.retired;
        this.retiredAliases = List.copyOf(s.retiredAliases);
        this.help = s.help;
    }

    /** Every option, in documentation order. */
    static final List<ConfigOption> ALL = List.of(
            // [DEFAULT]
            new Spec(DEFAULT_GROUP, "transport_url", Kind.URL).def("rabbit://")
                    .help("The broker: "
                            + "rabbit://user:password@host:port[,user:password@host2:port2]/virtual_host[?option=value], "
                            + "oslo's format; amqp:// and amqps:// (TLS) too. Percent-encode @ : / , ? # % in user "
                            + "names and passwords.").build(),
            new Spec(DEFAULT_GROUP, "control_exchange", Kind.STRING).def("openstack").range(1, 255)
                    .note("an AMQP exchange name")
                    .help("The exchange RPC calls, casts and notifications go to unless a target names another.").build(),
            new Spec(DEFAULT_GROUP, "rpc_response_timeout", Kind.INT).def("60").range(1, 86400)
                    .unit(Unit.SECONDS)
                    .help("How long a call waits for its reply unless its CallOptions set a timeout.").build(),
            new Spec(DEFAULT_GROUP, "executor_thread_pool_size", Kind.INT).def("64").range(1, 1024)
                    .alias18("DEFAULT/rpc_thread_pool_size")
                    .help("Worker threads of each RPC server; also its prefetch, so no more requests wait in memory "
                            + "than it can run.").build(),
            new Spec(DEFAULT_GROUP, "rpc_ping_enabled", Kind.BOOL).def("false")
                    .help("Adds oslo's ping endpoint (oslo_rpc_server_ping) to every RPC server.").build(),
            // [oslo_messaging_rabbit]
            new Spec(RABBIT_GROUP, "ssl", Kind.BOOL).def("false").alias("oslo_messaging_rabbit/rabbit_use_ssl")
                    .help("Connect with TLS (amqps:// in the URL does the same).").build(),
            new Spec(RABBIT_GROUP, "ssl_version", Kind.CHOICE).def("")
                    .choice("", "").choice("sslv23", "").choice("tls", "")
                    .choice("tlsv1_2", "TLSv1.2").choice("tlsv1.2", "TLSv1.2")
                    .choice("tlsv1_3", "TLSv1.3").choice("tlsv1.3", "TLSv1.3")
                    .refuse("insecure and not supported by Warren; use TLSv1_2 or TLSv1_3",
                            "sslv2", "sslv3", "tlsv1", "tlsv1_1", "tlsv1.1", "tlsv1.0")
                    .alias("oslo_messaging_rabbit/kombu_ssl_version")
                    .help("The TLS protocol; empty takes the JVM's best.").build(),
            new Spec(RABBIT_GROUP, "ssl_key_file", Kind.STRING).def("").alias("oslo_messaging_rabbit/kombu_ssl_keyfile")
                    .help("The client certificate's private key: PEM, unencrypted PKCS#8.").build(),
            new Spec(RABBIT_GROUP, "ssl_cert_file", Kind.STRING).def("").alias("oslo_messaging_rabbit/kombu_ssl_certfile")
                    .help("The client certificate (PEM), with ssl_key_file.").build(),
            new Spec(RABBIT_GROUP, "ssl_ca_file", Kind.STRING).def("").alias("oslo_messaging_rabbit/kombu_ssl_ca_certs")
                    .help("The certificates to trust (PEM); empty uses the JVM's trust store.").build(),
            // Warren's default deviates from oslo's false on purpose: see ConnectorConfig.
            new Spec(RABBIT_GROUP, "ssl_enforce_hostname_verification", Kind.BOOL).def("true")
                    .retiredIn18("deprecated in oslo.messaging 18, which defaults it to true as Warren"
                            + " does and will drop it; keep hostname verification on")
                    .help("Check that the broker's certificate names the host connected to. Warren's default is "
                            + "true (oslo 14's was false).").build(),
            new Spec(RABBIT_GROUP, "ssl_enforce_fips_mode", Kind.CHOICE).def("false")
                    .choice("false", Boolean.FALSE).choice("0", Boolean.FALSE).choice("no", Boolean.FALSE)
                    .choice("off", Boolean.FALSE)
                    .refuse("not supported by Warren: FIPS mode is a property of the JVM's security"
                            + " providers; configure it there", "true", "1", "yes", "on")
                    .retiredIn18("deprecated in oslo.messaging 18, which ignores it (OpenSSL 3 removed"
                            + " FIPS_mode_set); remove it")
                    .help("Accepted only as false: FIPS mode is configured in the JVM's security providers.").build(),
            new Spec(RABBIT_GROUP, "heartbeat_in_pthread", Kind.BOOL).def("false")
                    .retiredIn18("removed in oslo.messaging 18 (heartbeats always run in a thread of"
                            + " their own, as Warren's do); remove it")
                    .help("Accepted and ignored: Warren's heartbeats always run on a thread of their own.").build(),
            new Spec(RABBIT_GROUP, "kombu_reconnect_delay", Kind.FLOAT).def("1.0").floatRange(0.0, 4.5)
                    .unit(Unit.SECONDS).alias("DEFAULT/kombu_reconnect_delay")
                    .help("oslo's wait before reconnecting after a consumer cancel notification; accepted, Warren's "
                            + "consumers recover with the connection.").build(),
            // oslo 18: a random extra wait after a consumer cancel; Warren's reconnect waits
            // already carry a random part (see ReconnectBackoff), so it is accepted and unused.
            new Spec(RABBIT_GROUP, "kombu_reconnect_splay", Kind.FLOAT).def("0.0")
                    .floatRange(0.0, 3600.0).unit(Unit.SECONDS)
                    .help("oslo 18's random extra wait after a consumer cancel; accepted, Warren's reconnect waits "
                            + "already carry a random part.").build(),
            new Spec(RABBIT_GROUP, "kombu_compression", Kind.CHOICE).def(null)
                    .choice("", null).choice("gzip", "gzip").choice("zlib", "gzip")
                    .choice("application/x-gzip", "gzip")
                    .refuse("not supported by Warren; use gzip or leave it unset",
                            "bz2", "bzip2", "application/x-bz2", "brotli", "lzma", "xz", "zstd", "snappy")
                    .help("Compression of messages: gzip is read; Warren does not compress what it sends yet.").build(),
            new Spec(RABBIT_GROUP, "kombu_missing_consumer_retry_timeout", Kind.INT).def("60")
                    .range(0, 3600).unit(Unit.SECONDS).alias18("oslo_messaging_rabbit/kombu_reconnect_timeout")
                    .help("How long a server keeps retrying a reply whose reply queue is missing (the broker "
                            + "returned it).").build(),
            new Spec(RABBIT_GROUP, "kombu_failover_strategy", Kind.CHOICE).def("round-robin")
                    .choice("round-robin", FailoverStrategy.ROUND_ROBIN)
                    .choice("round_robin", FailoverStrategy.ROUND_ROBIN)
                    .choice("shuffle", FailoverStrategy.SHUFFLE)
                    .help("Which URL host a reconnect tries next: the next one in order, or a random one.").build(),
            new Spec(RABBIT_GROUP, "rabbit_login_method", Kind.CHOICE).def("AMQPLAIN").alias("DEFAULT/rabbit_login_method")
                    .choice("plain", "PLAIN").choice("amqplain", "AMQPLAIN").choice("external", "EXTERNAL")
                    .choice("rabbit-cr-demo", "RABBIT-CR-DEMO")
                    .help("The SASL mechanism: AMQPLAIN, PLAIN, or EXTERNAL (the client certificate).").build(),
            new Spec(RABBIT_GROUP, "rabbit_retry_interval", Kind.INT).def("1").range(1, 300)
                    .unit(Unit.SECONDS)
                    .help("The first wait before reconnecting.").build(),
            new Spec(RABBIT_GROUP, "rabbit_retry_backoff", Kind.INT).def("2").alias("DEFAULT/rabbit_retry_backoff").range(0, 300)
                    .unit(Unit.SECONDS)
                    .help("How much longer each further reconnect attempt waits.").build(),
            new Spec(RABBIT_GROUP, "rabbit_interval_max", Kind.INT).def("30").range(1, 3600)
                    .unit(Unit.SECONDS)
                    .help("The longest wait between reconnect attempts.").build(),
            new Spec(RABBIT_GROUP, "rabbit_ha_queues", Kind.BOOL).def("false").alias("DEFAULT/rabbit_ha_queues")
                    .help("Declare queues with x-ha-policy: all (classic mirrored queues, RabbitMQ before 4).").build(),
            new Spec(RABBIT_GROUP, "rabbit_quorum_queue", Kind.BOOL).def("false")
                    .help("Declare the topic, server and notification queues as quorum queues (durable, "
                            + "replicated).").build(),
            new Spec(RABBIT_GROUP, "rabbit_transient_quorum_queue", Kind.BOOL).def("false")
                    .help("Declare reply and fanout queues as quorum queues (oslo 18).").build(),
            new Spec(RABBIT_GROUP, "rabbit_quorum_delivery_limit", Kind.INT).def("0")
                    .range(0, Integer.MAX_VALUE).note("0 means no limit")
                    .help("x-delivery-limit of quorum queues: redeliveries before a message is dropped or dead- "
                            + "lettered.").build(),
            // oslo 14 spelled these "quroum" (sic); oslo 18 fixed the names and dropped the old ones.
            new Spec(RABBIT_GROUP, "rabbit_quorum_max_memory_length", Kind.INT).def("0")
                    .range(0, Integer.MAX_VALUE).note("0 means no limit")
                    .alias("oslo_messaging_rabbit/rabbit_quroum_max_memory_length")
                    .help("x-max-in-memory-length of quorum queues (messages).").build(),
            new Spec(RABBIT_GROUP, "rabbit_quorum_max_memory_bytes", Kind.INT).def("0")
                    .range(0, Long.MAX_VALUE).unit(Unit.BYTES).note("0 means no limit")
                    .alias("oslo_messaging_rabbit/rabbit_quroum_max_memory_bytes")
                    .help("x-max-in-memory-bytes of quorum queues.").build(),
            // oslo 14 allowed 1 and up; 18 allows 0 for no x-expires (no x-max-age on a stream).
            new Spec(RABBIT_GROUP, "rabbit_transient_queues_ttl", Kind.INT).def("1800")
                    .range(0, Integer.MAX_VALUE / 1000).unit(Unit.SECONDS)
                    .note("0 means reply and fanout queues never expire")
                    .help("x-expires of reply and fanout queues: unused this long, the broker deletes them (x-max- "
                            + "age with rabbit_stream_fanout).").build(),
            new Spec(RABBIT_GROUP, "rabbit_qos_prefetch_count", Kind.INT).def("0").range(0, 65535)
                    .note("0 means unlimited")
                    .help("oslo's consumer prefetch; Warren's consumers use their worker pool size instead. Must be "
                            + "above 0 with rabbit_stream_fanout.").build(),
            new Spec(RABBIT_GROUP, "heartbeat_timeout_threshold", Kind.INT).def("60").range(0, 3600)
                    .unit(Unit.SECONDS).note("0 disables heartbeats")
                    .help("The AMQP heartbeat asked of the broker: a connection silent this long is dead.").build(),
            new Spec(RABBIT_GROUP, "heartbeat_rate", Kind.INT).def("2").range(1, 100)
                    .help("oslo's heartbeat checks per threshold; accepted, amqp-client keeps its own heartbeat "
                            + "schedule for the negotiated interval.").build(),
            new Spec(RABBIT_GROUP, "direct_mandatory_flag", Kind.BOOL).def("true")
                    .retiredIn18("deprecated in oslo.messaging 18, which will always send replies"
                            + " mandatory; remove it")
                    .help("Send replies mandatory, so a missing reply queue is noticed and the reply retried.").build(),
            new Spec(RABBIT_GROUP, "enable_cancel_on_failover", Kind.BOOL).def("false")
                    .help("Ask RabbitMQ to cancel consumers when a mirrored queue fails over (x-cancel-on-ha- "
                            + "failover).").build(),
            new Spec(RABBIT_GROUP, "use_queue_manager", Kind.BOOL).def("false")
                    .help("oslo 18: reply and fanout queue names that stay the same across restarts (from hostname "
                            + "and processname) instead of random ones.").build(),
            // Unset: this machine's host name (oslo: socket.gethostname()).
            new Spec(RABBIT_GROUP, "hostname", Kind.STRING).def(null).range(0, 100)
                    .note("empty means this machine's host name")
                    .help("The host name in queue-manager queue names (use_queue_manager).").build(),
            // Unset: the connector's name (oslo: the program's name, which would be "java" for every JVM).
            new Spec(RABBIT_GROUP, "processname", Kind.STRING).def(null).range(0, 100)
                    .note("empty means the connector's name")
                    .help("The process name in queue-manager queue names (use_queue_manager).").build(),
            new Spec(RABBIT_GROUP, "rabbit_stream_fanout", Kind.BOOL).def("false")
                    .help("oslo 18: one stream queue per fanout exchange instead of a queue per server.").build(),
            new Spec(RABBIT_GROUP, "amqp_durable_queues", Kind.BOOL).def("false")
                    .help("Declare the topic, server and notification queues and their exchanges durable.").build(),
            new Spec(RABBIT_GROUP, "amqp_auto_delete", Kind.BOOL).def("false").alias("DEFAULT/amqp_auto_delete")
                    .help("Declare queues and exchanges auto-delete.").build(),
            new Spec(RABBIT_GROUP, "rpc_conn_pool_size", Kind.INT).def("30").alias("DEFAULT/rpc_conn_pool_size").range(1, 1024)
                    .help("Publishing channels of the connector's pool (oslo: connections).").build(),
            new Spec(RABBIT_GROUP, "conn_pool_min_size", Kind.INT).def("2").range(0, 1024)
                    .help("oslo's idle-connection floor; accepted (at most rpc_conn_pool_size), Warren's pool keeps "
                            + "its channels.").build(),
            new Spec(RABBIT_GROUP, "conn_pool_ttl", Kind.INT).def("1200").range(1, 86400)
                    .unit(Unit.SECONDS)
                    .help("oslo's idle-connection lifetime; accepted, Warren's pool keeps its channels.").build(),
            // [oslo_messaging_notifications]
            new Spec(NOTIFICATIONS_GROUP, "driver", Kind.LIST).def("")
                    .allowed("messagingv2", "messaging", "log", "noop").alias("DEFAULT/notification_driver")
                    .help("Notification drivers: messagingv2 (oslo's envelope), messaging (plain), log, noop; none "
                            + "sends nothing, as in oslo.").build(),
            new Spec(NOTIFICATIONS_GROUP, "notification_transport_url", Kind.URL).osloName("transport_url")
                    .alias("DEFAULT/notification_transport_url").def(null)
                    .help("[oslo_messaging_notifications] transport_url: accepted only when it equals "
                            + "transport_url; Warren notifies over its one broker connection.").build(),
            new Spec(NOTIFICATIONS_GROUP, "topics", Kind.LIST).def("notifications").range(1, 64)
                    .alias("rpc_notifier2/topics").alias("DEFAULT/notification_topics")
                    .help("Notification topics: each notification goes to <topic>.<priority> of every topic.").build(),
            new Spec(NOTIFICATIONS_GROUP, "retry", Kind.INT).def("-1").range(-1, 1_000_000)
                    .note("-1 retries forever, 0 never")
                    .help("oslo's resend attempts for a notification; accepted, a Warren notification waits for its "
                            + "confirm within warren_publish_timeout_ms.").build(),
            // Warren's own
            new Spec(WARREN_GROUP, "warren_publish_timeout_ms", Kind.INT).def("10000").range(1, 600_000)
                    .unit(Unit.MILLIS)
                    .help("How long a publish waits for its broker confirm, and for a blocked or recovering broker.").build(),
            new Spec(WARREN_GROUP, "warren_channel_checkout_timeout_ms", Kind.INT).def("5000")
                    .range(1, 600_000).unit(Unit.MILLIS)
                    .help("How long a publish waits for a free channel of the pool (rpc_conn_pool_size channels).").build(),
            new Spec(WARREN_GROUP, "warren_shutdown_timeout_ms", Kind.INT).def("10000")
                    .range(100, 600_000).unit(Unit.MILLIS)
                    .help("The bound on close() and contextDestroyed.").build(),
            new Spec(WARREN_GROUP, "warren_connection_timeout_ms", Kind.INT).def("10000")
                    .range(100, 600_000).unit(Unit.MILLIS)
                    .help("TCP connect, AMQP handshake, and every AMQP method call (declare, close). At most "
                            + "heartbeat_timeout_threshold when heartbeats are on.").build(),
            new Spec(WARREN_GROUP, "warren_max_message_bytes", Kind.INT).def("4194304")
                    .range(1024, 134_217_728).unit(Unit.BYTES)
                    .help("The largest message body: bigger incoming ones are refused before parsing, bigger "
                            + "outgoing ones fail at once.").build(),
            new Spec(WARREN_GROUP, "warren_rpc_reply_mode", Kind.CHOICE).def("oslo")
                    .choice("oslo", ReplyMode.OSLO).choice("direct", ReplyMode.DIRECT)
                    .help("oslo: a reply_<uuid> queue (works with Python peers); direct: RabbitMQ's direct reply-to "
                            + "(Warren to Warren).").build(),
            new Spec(WARREN_GROUP, "warren_jmx_write_operations", Kind.BOOL).def("false")
                    .help("Whether JMX operations that change anything (reconnect) are allowed.").build(),
            new Spec(WARREN_GROUP, "warren_consumer_threads", Kind.INT).def("4").range(1, 256)
                    .help("Threads that run amqp-client's consumer callbacks.").build(),
            new Spec(WARREN_GROUP, "warren_call_expiration", Kind.BOOL).def("true")
                    .help("Give each call request an AMQP expiration equal to its timeout, so the broker drops a "
                            + "request nobody took in time.").build(),
            new Spec(WARREN_GROUP, "warren_traceback", Kind.CHOICE).def("endpoint").allowed("endpoint", "none", "all")
                    .help("The traceback an RPC server sends with a failure: endpoint (the endpoint's own frames, "
                            + "without reflection and Warren's dispatch), none, or all (the whole Java stack).").build(),
            new Spec(WARREN_GROUP, "warren_rpc_call_confirms", Kind.BOOL).def("true")
                    .help("Have the broker confirm each call request, as oslo does (kombu's confirm_publish): a "
                            + "request refused or lost with its connection fails the call at once. false sends calls "
                            + "on channels without confirms (one broker frame and one wake-up less per call); such a "
                            + "request then fails only at its timeout. Casts, notifications and replies are always "
                            + "confirmed.").build());

    /** Lower-case name, alias or "group.name" to option. */
    private static final Map<String, ConfigOption> BY_ANY_NAME = indexByName();

    /** @return every option, in documentation order: [DEFAULT], [oslo_messaging_rabbit], [oslo_messaging_notifications], Warren's own */
    public static List<ConfigOption> all() {
        return ALL;
    }

    /**
     * @param anyName a name, an oslo deprecated name or {@code group.name}, any case
     * @return the option, or null when there is none of that name
     */
    public static ConfigOption named(String anyName) {
        return find(anyName);
    }

    /** @return the name {@link ConnectorConfig.Builder#option(String, String)} takes, e.g. {@code heartbeat_timeout_threshold} */
    public String name() {
        return name;
    }

    /** @return the oslo configuration group ({@code DEFAULT}, {@code oslo_messaging_rabbit}, {@code oslo_messaging_notifications}), or {@code warren} */
    public String group() {
        return group;
    }

    /** @return the name inside its oslo group; differs from {@link #name()} only for {@code notification_transport_url} */
    public String osloName() {
        return osloName;
    }

    /** @return oslo's deprecated names, also accepted, as {@code group.name} or a bare name */
    public List<String> deprecatedNames() {
        List<String> out = new ArrayList<>(qualifiedAliases);
        for (String alias : aliases) {
            if (qualifiedAliases.stream().noneMatch(q -> q.endsWith("." + alias))) {
                out.add(alias);
            }
        }
        return List.copyOf(out);
    }

    /** @return what the option does */
    public String description() {
        return help;
    }

    /** @return the type in words: {@code boolean}, {@code integer}, {@code number}, {@code string}, {@code choice}, {@code list}, {@code transport URL} */
    public String type() {
        switch (kind) {
            case BOOL:
                return "boolean";
            case INT:
                return "integer";
            case FLOAT:
                return "number";
            case CHOICE:
                return "choice";
            case LIST:
                return "list";
            case URL:
                return "transport URL";
            default:
                return "string";
        }
    }

    /** @return the default in the form a setting is written, {@code ""} when the default is unset */
    public String defaultValue() {
        return defaultText == null ? "" : format(parse(defaultText));
    }

    /** @return what values are allowed, in words, e.g. {@code 0 to 3600 (0 disables heartbeats)}; {@code ""} when any */
    public String allowedValues() {
        switch (kind) {
            case BOOL:
                return "true, false (also yes/no, on/off, 1/0)";
            case INT:
                return min + " to " + max + (note == null ? "" : " (" + note + ")");
            case FLOAT:
                return floatMin + " to " + floatMax + (note == null ? "" : " (" + note + ")");
            case CHOICE:
                return choiceList();
            case LIST:
                return (choices.isEmpty() ? "comma-separated names" : "comma-separated, of " + choiceList())
                        + (max == Integer.MAX_VALUE ? "" : ", " + min + " to " + max);
            case STRING:
                return max > 0 ? min + " to " + max + " characters" + (note == null ? "" : " (" + note + ")")
                        : note == null ? "" : note;
            default:
                return "";
        }
    }

    /** @return the unit of a number: {@code seconds}, {@code milliseconds}, {@code bytes}, or {@code ""} */
    public String unit() {
        switch (unit) {
            case SECONDS:
                return "seconds";
            case MILLIS:
                return "milliseconds";
            case BYTES:
                return "bytes";
            default:
                return "";
        }
    }

    /** @return why oslo.messaging 18 dropped or deprecated this option and what to do instead, or null */
    public String deprecation() {
        return retired;
    }

    private static Map<String, ConfigOption> indexByName() {
        Map<String, ConfigOption> index = new LinkedHashMap<>();
        for (ConfigOption option : ALL) {
            index.put(option.name, option);
            index.put(option.group.toLowerCase(Locale.ROOT) + "." + option.osloName, option);
            for (String alias : option.aliases) {
                index.putIfAbsent(alias, option);
            }
            for (String alias : option.qualifiedAliases) {
                index.putIfAbsent(alias, option);
            }
        }
        return Collections.unmodifiableMap(index);
    }

    /**
     * Finds an option by its name, an alias (oslo's deprecated names) or {@code group.name}, ignoring
     * case.
     *
     * @return the option, or null when unknown
     */
    static ConfigOption find(String anyName) {
        return anyName == null ? null : BY_ANY_NAME.get(anyName.strip().toLowerCase(Locale.ROOT));
    }

    /** The error for an unknown option name, with close matches when there are any. */
    static ConfigException unknown(String anyName, String prefix) {
        return unknown(anyName, prefix, null);
    }

    /**
     * The error for an unknown option name, suggesting and listing only options of {@code group}
     * (all options when null).
     */
    static ConfigException unknown(String anyName, String prefix, String group) {
        List<String> close = closeMatches(anyName, group);
        String names = ALL.stream().filter(o -> group == null || o.group.equals(group)).map(o -> o.name)
                .collect(Collectors.joining(", "));
        return new ConfigException(prefix + "unknown option '" + anyName + "'"
                + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?")
                + "; known options are " + (group == null ? "" : "(in [" + group + "]) ") + names, anyName);
    }

    private static List<String> closeMatches(String anyName, String group) {
        List<String> names = new ArrayList<>();
        for (ConfigOption option : ALL) {
            if (group == null || option.group.equals(group)) {
                names.add(option.name);
            }
        }
        return similarNames(anyName, names);
    }

    /**
     * The "did you mean" of Warren's configuration errors, for any list of names (the servlet
     * layer's settings use it too): the names within a small edit distance of {@code given}, or
     * containing it, in the order given, at most five.
     *
     * @param given the unknown name, any case
     * @param names the known names, lower case
     * @return the close ones; empty when none is close, or {@code given} is shorter than 3
     */
    public static List<String> similarNames(String given, Collection<String> names) {
        String wanted = given == null ? "" : given.strip().toLowerCase(Locale.ROOT);
        List<String> close = new ArrayList<>();
        if (wanted.length() < 3) {
            return close;
        }
        for (String name : names) {
            int limit = Math.max(2, name.length() / 6);
            if ((editDistance(wanted, name) <= limit || (wanted.length() >= 5 && name.contains(wanted)))
                    && !close.contains(name)) {
                close.add(name);
            }
        }
        return close.size() > 5 ? List.copyOf(close.subList(0, 5)) : close;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /**
     * Converts a value from its string form, checking type and range.
     *
     * @return Boolean, Long, Double, List&lt;String&gt;, TransportUrl, String, an enum, or null
     * @throws ConfigException naming this option, the value and what is allowed
     */
    Object parse(String raw) {
        String text = raw == null ? null : raw.strip();
        switch (kind) {
            case BOOL:
                switch (text == null ? "" : text.toLowerCase(Locale.ROOT)) {
                    case "true": case "1": case "yes": case "on":
                        return Boolean.TRUE;
                    case "false": case "0": case "no": case "off":
                        return Boolean.FALSE;
                    default:
                        throw bad(raw, "a boolean (true/false, yes/no, on/off, 1/0)");
                }
            case INT: {
                long value;
                try {
                    value = Long.parseLong(text == null ? "" : text);
                } catch (NumberFormatException e) {
                    throw bad(raw, rangeText("an integer"));
                }
                if (value < min || value > max) {
                    throw bad(raw, rangeText("an integer"));
                }
                return value;
            }
            case FLOAT: {
                double value;
                try {
                    value = Double.parseDouble(text == null ? "" : text);
                } catch (NumberFormatException e) {
                    throw bad(raw, rangeText("a number"));
                }
                if (!(value >= floatMin && value <= floatMax)) {
                    throw bad(raw, rangeText("a number"));
                }
                return value;
            }
            case CHOICE: {
                String key = text == null ? "" : text.toLowerCase(Locale.ROOT);
                if (refused.containsKey(key)) {
                    throw new ConfigException("option " + name + ": '" + raw + "' is " + refused.get(key),
                            name);
                }
                if (!choices.containsKey(key)) {
                    throw bad(raw, "one of " + choiceList());
                }
                return choices.get(key);
            }
            case LIST: {
                List<String> items = new ArrayList<>();
                if (text != null) {
                    for (String item : text.split(",", -1)) {
                        String trimmed = item.strip();
                        if (trimmed.isEmpty()) {
                            continue;
                        }
                        if (!choices.isEmpty() && !choices.containsKey(trimmed.toLowerCase(Locale.ROOT))) {
                            throw bad(raw, "a comma-separated list of " + choiceList());
                        }
                        items.add(choices.isEmpty() ? trimmed : (String) choices.get(trimmed.toLowerCase(Locale.ROOT)));
                    }
                }
                if (items.size() < min || items.size() > max) {
                    throw bad(raw, "a comma-separated list of " + min + " to " + max + " names");
                }
                return List.copyOf(items);
            }
            case URL:
                if (text == null || text.isEmpty()) {
                    if (defaultText == null) {
                        return null;
                    }
                    throw new ConfigException("option " + name + ": the transport URL is empty", name);
                }
                try {
                    return TransportUrl.parse(text);
                } catch (ConfigException e) {
                    throw new ConfigException("option " + name + ": " + e.getMessage(), name);
                }
            case STRING:
            default: {
                String value = raw == null ? "" : raw;
                if (max > 0 && (value.length() < min || value.length() > max)) {
                    throw bad(raw, "a string of " + min + " to " + max + " characters"
                            + (note == null ? "" : " (" + note + ")"));
                }
                return value;
            }
        }
    }

    private String choiceList() {
        List<String> shown = new ArrayList<>();
        for (Map.Entry<String, Object> choice : choices.entrySet()) {
            String text = format(choice.getValue());
            if (!text.isEmpty() && !shown.contains(text)) {
                shown.add(text);
            }
        }
        if (choices.containsKey("")) {
            shown.add("'' (unset)");
        }
        return String.join(", ", shown);
    }

    private String rangeText(String what) {
        String range = kind == Kind.FLOAT ? floatMin + " to " + floatMax : min + " to " + max;
        String unitText = unit == Unit.NONE ? "" : " " + unit();
        return what + " from " + range + unitText + (note == null ? "" : " (" + note + ")");
    }

    private ConfigException bad(String raw, String expected) {
        return new ConfigException("option " + name + ": got '" + raw + "', expected " + expected, name);
    }

    /** The string form of a typed value, as {@link ConnectorConfig#options()} shows it. */
    String format(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof TransportUrl) {
            return ((TransportUrl) value).toSafeString();
        }
        if (value instanceof FailoverStrategy) {
            return ((FailoverStrategy) value).optionValue();
        }
        if (value instanceof ReplyMode) {
            return ((ReplyMode) value).optionValue();
        }
        if (value instanceof Collection) {
            return ((Collection<?>) value).stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }

    /**
     * The string form of a convenience value given as an object (number, boolean, list, enum,
     * {@link Duration} for time options).
     */
    String toText(Object value) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof Duration) {
            Duration d = (Duration) value;
            if (kind == Kind.FLOAT && unit == Unit.SECONDS) {
                return Double.toString(d.toNanos() / 1e9);
            }
            if (unit == Unit.SECONDS && d.getNano() == 0) {
                return Long.toString(d.getSeconds());
            }
            if (unit == Unit.MILLIS && d.toNanos() % 1_000_000 == 0) {
                return Long.toString(d.toMillis());
            }
            throw new ConfigException("option " + name + ": got a Duration of " + d + ", expected "
                    + (unit == Unit.SECONDS ? "whole seconds" : unit == Unit.MILLIS ? "whole milliseconds"
                            : "no Duration (this option is not a time)"), name);
        }
        if (value instanceof Boolean || value instanceof Number || value instanceof FailoverStrategy
                || value instanceof ReplyMode || value instanceof Collection) {
            return format(value);
        }
        throw new ConfigException("option " + name + ": a value of type " + value.getClass().getName()
                + " cannot be converted; give a String", name);
    }

    @Override
    public String toString() {
        return "[" + group + "] " + osloName;
    }

    /** Fills in the table above. */
    private static final class Spec {
        final String group;
        final String name;
        final Kind kind;
        String osloName;
        final List<String> aliases = new ArrayList<>();
        final List<String> qualifiedAliases = new ArrayList<>();
        Unit unit = Unit.NONE;
        String defaultText;
        long min;
        long max;
        double floatMin;
        double floatMax;
        String note;
        final Map<String, Object> choices = new LinkedHashMap<>();
        final Map<String, String> refused = new LinkedHashMap<>();
        String retired;
        final List<String> retiredAliases = new ArrayList<>();
        String help;

        Spec(String group, String name, Kind kind) {
            this.group = group;
            this.name = name;
            this.kind = kind;
        }

        Spec osloName(String value) {
            osloName = value;
            return this;
        }

        Spec def(String value) {
            defaultText = value;
            return this;
        }

        Spec range(long low, long high) {
            min = low;
            max = high;
            return this;
        }

        Spec floatRange(double low, double high) {
            floatMin = low;
            floatMax = high;
            return this;
        }

        Spec unit(Unit value) {
            unit = value;
            return this;
        }

        Spec note(String value) {
            note = value;
            return this;
        }

        /**
         * An oslo 14 deprecated name that oslo 18 no longer knows: still accepted, with a warning.
         *
         * @param deprecated {@code group/name} or just {@code name}
         */
        Spec alias(String deprecated) {
            int slash = deprecated.indexOf('/');
            String flat = deprecated.substring(slash + 1).toLowerCase(Locale.ROOT);
            if (!flat.equals(name)) {
                retiredAliases.add(flat);
            }
            if (slash > 0) {
                retiredAliases.add(deprecated.substring(0, slash).toLowerCase(Locale.ROOT) + "." + flat);
            }
            return alias18(deprecated);
        }

        /** What the option does: the configuration reference's text for it. */
        Spec help(String text) {
            help = text;
            return this;
        }

        /** oslo 18 removed or deprecated this option: still accepted, with this warning. */
        Spec retiredIn18(String why) {
            retired = why;
            return this;
        }

        /** @param deprecated a deprecated name oslo 18 still knows, {@code group/name} or {@code name} */
        Spec alias18(String deprecated) {
            int slash = deprecated.indexOf('/');
            String flat = deprecated.substring(slash + 1);
            if (!flat.equals(name) && !aliases.contains(flat)) {
                aliases.add(flat);
            }
            if (slash > 0) {
                qualifiedAliases.add(deprecated.substring(0, slash).toLowerCase(Locale.ROOT) + "." + flat);
            }
            return this;
        }

        Spec choice(String spelling, Object value) {
            choices.put(spelling, value);
            return this;
        }

        Spec allowed(String... values) {
            for (String value : values) {
                choices.put(value, value);
            }
            return this;
        }

        Spec refuse(String reason, String... spellings) {
            for (String spelling : spellings) {
                refused.put(spelling, reason);
            }
            return this;
        }

        ConfigOption build() {
            if (help == null || help.isBlank()) {
                // The configuration reference is generated from this table: no option goes undocumented.
                throw new IllegalStateException("option " + name + " has no help text");
            }
            if (kind == Kind.LIST && max == 0) {
                max = Integer.MAX_VALUE;
            }
            return new ConfigOption(this);
        }
    }
}
