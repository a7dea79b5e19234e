package io.warren;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The complete, validated configuration of one connector. Immutable.
 *
 * <p>Options carry oslo.messaging's names and defaults (the options of oslo.messaging 14 and 18.1,
 * with 14's defaults where they differ), so a Python service's
 * {@code [DEFAULT]}, {@code [oslo_messaging_rabbit]} and {@code [oslo_messaging_notifications]}
 * values can be copied over as they are; oslo's deprecated names are accepted as aliases, and
 * {@code group.name} (e.g. {@code oslo_messaging_notifications.transport_url}) works too. Names are
 * matched ignoring case. Warren's own options start with {@code warren_}. As in oslo, query
 * parameters of the transport URL override options of the {@code [oslo_messaging_rabbit]} group
 * (and only those).
 *
 * <p>Deviations from oslo, all deliberate:
 *
 * <ul>
 *   <li>{@code ssl_enforce_hostname_verification} defaults to <b>true</b> (oslo: false): with TLS,
 *       Warren checks that the broker's certificate names the host it connected to. Set it to false
 *       only for test brokers.
 *   <li>{@code ssl_version} accepts TLSv1_2 / TLSv1_3 (or empty for the JVM's best); older protocols
 *       are refused. {@code ssl_enforce_fips_mode=true} is refused (FIPS is a JVM setting).
 *   <li>{@code kombu_compression} accepts only gzip (zlib); bz2 is refused.
 *   <li>{@code heartbeat_in_pthread} is accepted and ignored: Java heartbeats always run on their own
 *       thread.
 *   <li>All hosts of the URL must share one user name and password (amqp-client takes one
 *       credential set); hosts without credentials use guest/guest, as the AMQP layer does.
 *   <li>A separate {@code [oslo_messaging_notifications] transport_url} is refused unless it equals
 *       the main transport URL: Warren sends notifications over its one broker connection.
 * </ul>
 *
 * <p>What oslo.messaging 18 removed or deprecated (options such as {@code heartbeat_in_pthread},
 * deprecated names such as {@code rabbit_use_ssl} or {@code rabbit_quroum_max_memory_length}) is
 * still accepted; {@link #warnings()} says what to change, and the connector logs it at start.
 *
 * <p>Cross-option rules checked at construction: {@code rabbit_quorum_queue} and
 * {@code rabbit_ha_queues} exclude each other; {@code rabbit_stream_fanout} needs
 * {@code rabbit_transient_quorum_queue} and a {@code rabbit_qos_prefetch_count} above 0 (oslo
 * 18's rules); {@code rabbit_interval_max} &ge;
 * {@code rabbit_retry_interval}; {@code conn_pool_min_size} &le; {@code rpc_conn_pool_size};
 * {@code ssl_cert_file} and {@code ssl_key_file} come together; with heartbeats on,
 * {@code warren_connection_timeout_ms} must not exceed {@code heartbeat_timeout_threshold} (a broker
 * that cannot even be reached within the time that would declare a live connection dead is treated
 * the same way).
 *
 * <p>{@link #toString()} and {@link #options()} never contain a password.
 */
public final class ConnectorConfig {
    /** The owner name used when none is given. */
    public static final String DEFAULT_NAME = "warren";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String GUEST = "guest";

    private final String name;
    private final Map<String, Object> values;
    private final Map<ConfigOption, Object> settings;
    private final TransportUrl transportUrl;
    private final String username;
    private final String password;
    private final List<String> warnings;
    private final Map<ConfigOption, String> spellingsGiven;

    private ConnectorConfig(Builder builder) {
        this.name = checkName(builder.name);
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(builder.settings));
        this.spellingsGiven = Collections.unmodifiableMap(new LinkedHashMap<>(builder.spellings));
        Map<ConfigOption, String> spellings = new LinkedHashMap<>(builder.spellings);
        Map<String, Object> effective = new LinkedHashMap<>();
        for (ConfigOption option : ConfigOption.ALL) {
            effective.put(option.name, option.parse(option.defaultText));
        }
        for (Map.Entry<ConfigOption, Object> setting : settings.entrySet()) {
            ConfigOption option = setting.getKey();
            Object value = setting.getValue();
            effective.put(option.name, value instanceof String ? option.parse((String) value) : value);
        }
        this.transportUrl = (TransportUrl) effective.get("transport_url");
        applyQuery(transportUrl, effective, spellings);
        this.values = Collections.unmodifiableMap(effective);
        checkCombinations();
        List<String> lines = new java.util.ArrayList<>(retiredWarnings(spellings));
        if (transientQuorumQueues() && !durableQueues()) {
            lines.add("option rabbit_transient_quorum_queue is true but the topic, server and notification"
                    + " queues stay transient and non-exclusive, as oslo.messaging declares them: RabbitMQ 4.3"
                    + " refuses such queues; set rabbit_quorum_queue=true (or amqp_durable_queues=true) here"
                    + " and in the Python services' [oslo_messaging_rabbit]");
        }
        if (enableCancelOnFailover() && quorumQueues()) {
            lines.add("option enable_cancel_on_failover is true with rabbit_quorum_queue: RabbitMQ refuses"
                    + " x-cancel-on-ha-failover on quorum queues (406 PRECONDITION_FAILED; oslo.messaging's"
                    + " consumers then never start), so Warren leaves it out for them; a quorum queue keeps its"
                    + " consumers when its leader moves, and a consumer the broker does cancel is consumed again");
        }
        this.warnings = List.copyOf(lines);
        String[] credentials = credentials(transportUrl);
        this.username = credentials[0];
        this.password = credentials[1];
    }

    private static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ConfigException("name: got '" + name + "', expected 1 to 64 characters from"
                    + " A-Z a-z 0-9 . _ - (it becomes part of thread and connection names)", "name");
        }
        return name;
    }

    /** oslo's rule: URL query parameters override [oslo_messaging_rabbit] options, and only those. */
    private static void applyQuery(TransportUrl url, Map<String, Object> effective,
                                   Map<ConfigOption, String> spellings) {
        for (Map.Entry<String, String> parameter : url.query().entrySet()) {
            String key = parameter.getKey();
            ConfigOption option = ConfigOption.find(key);
            if (option == null) {
                ConfigException unknown = ConfigOption.unknown(key, "transport URL query: ",
                        ConfigOption.RABBIT_GROUP);
                throw new ConfigException(unknown.getMessage() + " (oslo fails the same way: NoSuchOptError:"
                        + " no such option " + key + " in group [" + ConfigOption.RABBIT_GROUP + "])", key);
            }
            if (!ConfigOption.RABBIT_GROUP.equals(option.group)) {
                throw new ConfigException("transport URL query: '" + key + "' is an option of ["
                        + option.group + "]; a transport URL can only set options of ["
                        + ConfigOption.RABBIT_GROUP + "] (oslo's rule); set " + option.name
                        + " as a connector option instead", option.name);
            }
            spellings.put(option, key.strip().toLowerCase(java.util.Locale.ROOT));
            try {
                effective.put(option.name, option.parse(parameter.getValue()));
            } catch (ConfigException e) {
                throw new ConfigException(e.getMessage() + " (in the transport URL query)", option.name);
            }
        }
    }

    /** One line for every option or name given that oslo.messaging 18 removed or deprecated. */
    private static List<String> retiredWarnings(Map<ConfigOption, String> spellings) {
        List<String> out = new java.util.ArrayList<>();
        for (Map.Entry<ConfigOption, String> given : spellings.entrySet()) {
            ConfigOption option = given.getKey();
            if (option.retiredAliases.contains(given.getValue())) {
                out.add("option " + given.getValue() + " is an old name of " + option + ", which"
                        + " oslo.messaging 18 no longer knows; write " + option.name + " instead");
            }
            if (option.retired != null) {
                out.add("option " + option.name + ": " + option.retired);
            }
        }
        return List.copyOf(out);
    }

    private void checkCombinations() {
        if (streamFanout() && !transientQuorumQueues()) {
            throw new ConfigException("option rabbit_stream_fanout is true but rabbit_transient_quorum_queue"
                    + " is false; oslo.messaging refuses the same (stream fanout needs transient quorum"
                    + " queues): set rabbit_transient_quorum_queue=true", "rabbit_stream_fanout");
        }
        if (streamFanout() && qosPrefetchCount() <= 0) {
            throw new ConfigException("option rabbit_stream_fanout is true but rabbit_qos_prefetch_count is "
                    + qosPrefetchCount() + "; a stream is consumed with a prefetch limit, and oslo.messaging"
                    + " refuses the same: set rabbit_qos_prefetch_count to a value above 0", "rabbit_stream_fanout");
        }
        if (transientQuorumQueues() && haQueues()) {
            throw new ConfigException("options rabbit_transient_quorum_queue and rabbit_ha_queues are both"
                    + " true; oslo.messaging refuses to declare a reply queue that is quorum and mirrored at"
                    + " once: pick one", "rabbit_transient_quorum_queue");
        }
        if (quorumQueues() && haQueues()) {
            throw new ConfigException("options rabbit_quorum_queue and rabbit_ha_queues are both true;"
                    + " they exclude each other (quorum queues are replicated by themselves): pick one",
                    "rabbit_quorum_queue");
        }
        if (intLong("rabbit_interval_max") < intLong("rabbit_retry_interval")) {
            throw new ConfigException("option rabbit_interval_max: got " + intLong("rabbit_interval_max")
                    + ", expected at least rabbit_retry_interval (" + intLong("rabbit_retry_interval")
                    + " s): the reconnect wait cannot start above its own maximum", "rabbit_interval_max");
        }
        if (connPoolMinSize() > channelPoolSize()) {
            throw new ConfigException("option conn_pool_min_size: got " + connPoolMinSize()
                    + ", expected at most rpc_conn_pool_size (" + channelPoolSize() + ")",
                    "conn_pool_min_size");
        }
        if (sslCertFile().isEmpty() != sslKeyFile().isEmpty()) {
            throw new ConfigException("options ssl_cert_file and ssl_key_file: "
                    + (sslCertFile().isEmpty() ? "ssl_key_file is set but ssl_cert_file is not"
                            : "ssl_cert_file is set but ssl_key_file is not")
                    + "; a client certificate needs both (or neither)",
                    sslCertFile().isEmpty() ? "ssl_cert_file" : "ssl_key_file");
        }
        TransportUrl notificationUrl = (TransportUrl) values.get("notification_transport_url");
        if (notificationUrl != null && !notificationUrl.equals(transportUrl)) {
            throw new ConfigException("option notification_transport_url ([oslo_messaging_notifications]"
                    + " transport_url): got " + notificationUrl.toSafeString() + ", which differs from"
                    + " transport_url; Warren sends notifications over the transport_url connection, a"
                    + " separate notification broker is not supported", "notification_transport_url");
        }
    }

    /** One user name and password for all hosts, or guest/guest when no host has credentials. */
    private static String[] credentials(TransportUrl url) {
        List<TransportUrl.Host> hosts = url.hosts();
        TransportUrl.Host first = null;
        TransportUrl.Host without = null;
        for (TransportUrl.Host host : hosts) {
            String user = host.username() == null ? "" : host.username();
            String pass = host.password() == null ? "" : host.password();
            if (user.isEmpty() && !pass.isEmpty()) {
                throw new ConfigException("transport URL: host " + host.address()
                        + " has a password but no user name", "transport_url");
            }
            if (user.isEmpty()) {
                without = without == null ? host : without;
                continue;
            }
            if (first == null) {
                first = host;
            } else if (!user.equals(first.username())) {
                throw new ConfigException("transport URL: hosts carry different credentials (" + first
                        + " and " + host + "); Warren uses one user name and password for all hosts"
                        + " (the AMQP client takes one credential set): give every host the same ones",
                        "transport_url");
            } else if (!pass.equals(first.password() == null ? "" : first.password())) {
                throw new ConfigException("transport URL: hosts " + first.address() + " and "
                        + host.address() + " have the same user '" + user + "' but different passwords;"
                        + " Warren uses one user name and password for all hosts", "transport_url");
            }
        }
        if (first != null && without != null) {
            throw new ConfigException("transport URL: host " + without.address() + " has no credentials"
                    + " but " + first + " has; oslo would log in to " + without.address() + " as"
                    + " guest/guest. Warren uses one user name and password for all hosts: give every"
                    + " host the same credentials, or none (guest/guest)", "transport_url");
        }
        if (first == null) {
            return new String[] {GUEST, GUEST};
        }
        return new String[] {first.username(), first.password() == null ? "" : first.password()};
    }

    /** @return a builder with every option at its default */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A configuration from a transport URL alone (every other option at its default, or as the
     * URL's query sets it).
     *
     * @param transportUrl e.g. {@code rabbit://user:pass@host:5672/?heartbeat_timeout_threshold=30}
     * @return the configuration
     * @throws ConfigException when the URL or one of its query options is bad
     */
    public static ConnectorConfig fromUrl(String transportUrl) {
        return builder().transportUrl(transportUrl).build();
    }

    /** @return a builder holding this configuration's name and every option set on it */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.name = name;
        builder.settings.putAll(settings);
        builder.spellings.putAll(spellingsGiven);
        return builder;
    }

    /**
     * The names of all options, as Warren spells them (oslo's name; {@code notification_transport_url}
     * for {@code [oslo_messaging_notifications] transport_url}). Aliases are accepted as well but not
     * listed.
     *
     * @return the names, in documentation order, unmodifiable
     */
    public static Set<String> knownOptionNames() {
        Set<String> names = new LinkedHashSet<>();
        for (ConfigOption option : ConfigOption.ALL) {
            names.add(option.name);
        }
        return Collections.unmodifiableSet(names);
    }

    private Object value(String optionName) {
        return values.get(optionName);
    }

    private boolean bool(String optionName) {
        return (Boolean) value(optionName);
    }

    private long intLong(String optionName) {
        return (Long) value(optionName);
    }

    private int integer(String optionName) {
        return Math.toIntExact((Long) value(optionName));
    }

    private Duration seconds(String optionName) {
        return Duration.ofSeconds(intLong(optionName));
    }

    private Duration millis(String optionName) {
        return Duration.ofMillis(intLong(optionName));
    }

    private String string(String optionName) {
        return (String) value(optionName);
    }

    @SuppressWarnings("unchecked")
    private List<String> list(String optionName) {
        return (List<String>) value(optionName);
    }

    /** @return the owner name used in thread and connection names; default {@code warren} */
    public String name() {
        return name;
    }

    /** @return the transport URL ({@code transport_url}); default {@code rabbit://} */
    public TransportUrl transportUrl() {
        return transportUrl;
    }

    /**
     * @return the user name for every broker host: the URL's, or {@code guest} when the URL has no
     *     credentials
     */
    public String username() {
        return username;
    }

    /**
     * The password for every broker host. A secret: never log it.
     *
     * @return the URL's password ("" for {@code user@host}), or {@code guest} without credentials
     */
    public String password() {
        return password;
    }

    /** @return {@code control_exchange}: the topic exchange for RPC and notifications; default openstack */
    public String controlExchange() {
        return string("control_exchange");
    }

    /** @return {@code rpc_response_timeout}: how long a call waits for its reply; default 60 s */
    public Duration rpcResponseTimeout() {
        return seconds("rpc_response_timeout");
    }

    /** @return {@code executor_thread_pool_size}: server-side dispatch threads; default 64 */
    public int executorThreadPoolSize() {
        return integer("executor_thread_pool_size");
    }

    /** @return {@code rpc_ping_enabled}: servers answer {@code oslo_rpc_server_ping}; default false */
    public boolean rpcPingEnabled() {
        return bool("rpc_ping_enabled");
    }

    /** @return {@code heartbeat_timeout_threshold} in seconds, the requested AMQP heartbeat; 0 = off */
    public int heartbeatTimeoutThreshold() {
        return integer("heartbeat_timeout_threshold");
    }

    /** @return {@code heartbeat_rate}: checks per heartbeat timeout in oslo; default 2 */
    public int heartbeatRate() {
        return integer("heartbeat_rate");
    }

    /** @return {@code rabbit_retry_interval}: the first reconnect wait; default 1 s */
    public Duration retryInterval() {
        return seconds("rabbit_retry_interval");
    }

    /** @return {@code rabbit_retry_backoff}: how much each further reconnect wait grows; default 2 s */
    public Duration retryBackoff() {
        return seconds("rabbit_retry_backoff");
    }

    /** @return {@code rabbit_interval_max}: the longest reconnect wait; default 30 s */
    public Duration intervalMax() {
        return seconds("rabbit_interval_max");
    }

    /** @return {@code kombu_reconnect_delay}: extra wait before reconnecting during an operation; 1 s */
    public Duration kombuReconnectDelay() {
        return Duration.ofNanos(Math.round((Double) value("kombu_reconnect_delay") * 1e9));
    }

    /** @return {@code kombu_failover_strategy}; default {@link FailoverStrategy#ROUND_ROBIN} */
    public FailoverStrategy failoverStrategy() {
        return (FailoverStrategy) value("kombu_failover_strategy");
    }

    /**
     * @return {@code rabbit_login_method} in upper case: AMQPLAIN (default), PLAIN, EXTERNAL or
     *     RABBIT-CR-DEMO (RabbitMQ accepts PLAIN for AMQPLAIN users)
     */
    public String loginMethod() {
        return string("rabbit_login_method");
    }

    /** @return true when TLS is on: option {@code ssl} is true or the URL scheme is {@code amqps} */
    public boolean ssl() {
        return bool("ssl") || transportUrl.isTls();
    }

    /**
     * @return {@code ssl_version} as a Java protocol name ({@code TLSv1.2}, {@code TLSv1.3}), or "" for
     *     the JVM's best
     */
    public String sslVersion() {
        return string("ssl_version");
    }

    /** @return {@code ssl_ca_file}: PEM file of trusted CAs, "" for the JVM's trust store */
    public String sslCaFile() {
        return string("ssl_ca_file");
    }

    /** @return {@code ssl_cert_file}: PEM client certificate, "" when unset */
    public String sslCertFile() {
        return string("ssl_cert_file");
    }

    /** @return {@code ssl_key_file}: PEM client private key, "" when unset */
    public String sslKeyFile() {
        return string("ssl_key_file");
    }

    /**
     * @return {@code ssl_enforce_hostname_verification}; Warren's default is <b>true</b> (oslo's is
     *     false): the broker certificate must name the host connected to
     */
    public boolean sslEnforceHostnameVerification() {
        return bool("ssl_enforce_hostname_verification");
    }

    /**
     * @return whether shared exchanges and queues are durable: {@code amqp_durable_queues} OR
     *     {@code rabbit_quorum_queue} (oslo's rule)
     */
    public boolean durableQueues() {
        return bool("amqp_durable_queues") || quorumQueues();
    }

    /** @return {@code amqp_auto_delete}: auto-delete of the control exchange and topic queues */
    public boolean autoDelete() {
        return bool("amqp_auto_delete");
    }

    /** @return {@code rabbit_ha_queues}: {@code x-ha-policy: all} on every queue */
    public boolean haQueues() {
        return bool("rabbit_ha_queues");
    }

    /** @return {@code rabbit_quorum_queue}: topic and notification queues are quorum queues */
    public boolean quorumQueues() {
        return bool("rabbit_quorum_queue");
    }

    /** @return {@code rabbit_quorum_delivery_limit}; 0 = no {@code x-delivery-limit} */
    public int quorumDeliveryLimit() {
        return integer("rabbit_quorum_delivery_limit");
    }

    /** @return {@code rabbit_quorum_max_memory_length}; 0 = no {@code x-max-in-memory-length} */
    public int quorumMaxMemoryLength() {
        return integer("rabbit_quorum_max_memory_length");
    }

    /** @return {@code rabbit_quorum_max_memory_bytes}; 0 = no {@code x-max-in-memory-bytes} */
    public long quorumMaxMemoryBytes() {
        return intLong("rabbit_quorum_max_memory_bytes");
    }

    /**
     * @return {@code rabbit_transient_quorum_queue}: reply and fanout queues are durable quorum
     *     queues (and the fanout exchanges durable), as oslo 18 declares them
     */
    public boolean transientQuorumQueues() {
        return bool("rabbit_transient_quorum_queue");
    }

    /**
     * @return {@code rabbit_stream_fanout}: one {@code <topic>_fanout} stream queue shared by all
     *     servers of a topic, read from an offset, instead of a queue per server
     */
    public boolean streamFanout() {
        return bool("rabbit_stream_fanout");
    }

    /**
     * @return {@code use_queue_manager}: reply and fanout queues get stable names,
     *     {@code <hostname>:<processname>:<n>}, instead of random ones
     */
    public boolean useQueueManager() {
        return bool("use_queue_manager");
    }

    /** @return {@code hostname} for the queue manager: as set, or this machine's host name */
    public String queueManagerHostname() {
        String set = string("hostname");
        if (!set.isEmpty()) {
            return set;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /** @return {@code processname} for the queue manager: as set, or the connector's {@link #name()} */
    public String queueManagerProcessname() {
        String set = string("processname");
        return set.isEmpty() ? name : set;
    }

    /**
     * What to change in this configuration: one line for every option given that oslo.messaging 18
     * removed or deprecated, every old name given that 18 no longer knows (each still works), and
     * transient quorum queues beside transient shared queues (which RabbitMQ 4.3 refuses). The
     * connector logs these lines as warnings when it is created.
     *
     * @return the lines, empty when there is nothing to change; unmodifiable
     */
    public List<String> warnings() {
        return warnings;
    }

    /** @return {@code rabbit_transient_queues_ttl}: {@code x-expires} of reply and fanout queues; 1800 s */
    public Duration transientQueuesTtl() {
        return seconds("rabbit_transient_queues_ttl");
    }

    /** @return {@code rabbit_qos_prefetch_count}; 0 = unlimited (no basic.qos sent) */
    public int qosPrefetchCount() {
        return integer("rabbit_qos_prefetch_count");
    }

    /** @return {@code direct_mandatory_flag}: replies are published as mandatory; default true */
    public boolean directMandatoryFlag() {
        return bool("direct_mandatory_flag");
    }

    /** @return {@code enable_cancel_on_failover}: consumer argument {@code x-cancel-on-ha-failover} */
    public boolean enableCancelOnFailover() {
        return bool("enable_cancel_on_failover");
    }

    /** @return {@code kombu_compression}: {@code gzip}, or null for none (the default) */
    public String compression() {
        return string("kombu_compression");
    }

    /** @return {@code kombu_missing_consumer_retry_timeout}: how long a reply to a missing queue is retried */
    public Duration missingConsumerRetryTimeout() {
        return seconds("kombu_missing_consumer_retry_timeout");
    }

    /** @return {@code rpc_conn_pool_size}: Warren's publishing channel pool size; default 30 */
    public int channelPoolSize() {
        return integer("rpc_conn_pool_size");
    }

    /** @return {@code conn_pool_min_size}: pooled channels kept open when idle; default 2 */
    public int connPoolMinSize() {
        return integer("conn_pool_min_size");
    }

    /** @return {@code conn_pool_ttl}: idle time after which pooled channels above the minimum close */
    public Duration connPoolTtl() {
        return seconds("conn_pool_ttl");
    }

    /**
     * @return {@code [oslo_messaging_notifications] driver}: messagingv2, messaging, log or noop; empty
     *     (the default) means no notifications are sent
     */
    public List<String> notificationDrivers() {
        return list("driver");
    }

    /** @return {@code [oslo_messaging_notifications] topics}; default [notifications] */
    public List<String> notificationTopics() {
        return list("topics");
    }

    /** @return {@code [oslo_messaging_notifications] retry}: -1 = forever (default), 0 = never */
    public int notificationRetry() {
        return integer("retry");
    }

    /** @return {@code warren_publish_timeout_ms}: the wait for a broker confirm; default 10 s */
    public Duration publishTimeout() {
        return millis("warren_publish_timeout_ms");
    }

    /** @return {@code warren_channel_checkout_timeout_ms}: the wait for a pooled channel; default 5 s */
    public Duration channelCheckoutTimeout() {
        return millis("warren_channel_checkout_timeout_ms");
    }

    /** @return {@code warren_shutdown_timeout_ms}: how long stop drains in-flight work; default 10 s */
    public Duration shutdownTimeout() {
        return millis("warren_shutdown_timeout_ms");
    }

    /** @return {@code warren_connection_timeout_ms}: the TCP connect timeout; default 10 s */
    public Duration connectionTimeout() {
        return millis("warren_connection_timeout_ms");
    }

    /** @return {@code warren_max_message_bytes}: the largest message body accepted; default 4 MiB */
    public int maxMessageBytes() {
        return integer("warren_max_message_bytes");
    }

    /** @return {@code warren_rpc_reply_mode}; default {@link ReplyMode#OSLO} */
    public ReplyMode replyMode() {
        return (ReplyMode) value("warren_rpc_reply_mode");
    }

    /** @return {@code warren_jmx_write_operations}: JMX may change state (not only read); default false */
    public boolean jmxWriteOperations() {
        return bool("warren_jmx_write_operations");
    }

    /**
     * @return {@code warren_call_expiration}: whether RPC calls carry their timeout as the AMQP
     *         {@code expiration}, as oslo's do (a request nobody took in time is dropped by the
     *         broker); default true. Turn it off only for a broker that reads {@code expiration} as
     *         an absolute time: Qpid Broker-J, the embedded demo broker, drops such requests at once.
     */
    public boolean callExpiration() {
        return bool("warren_call_expiration");
    }

    /**
     * @return {@code warren_traceback}: which Java frames an RPC server sends with a failure,
     *         {@code endpoint} (the default: the endpoint's own frames), {@code none} or {@code all}
     */
    public String traceback() {
        return (String) value("warren_traceback");
    }

    /**
     * @return {@code warren_rpc_call_confirms}: whether call requests wait for the broker's confirm,
     *         as oslo's do; default true. Without, a request the broker refuses or loses with its
     *         connection fails only when the call times out.
     */
    public boolean rpcCallConfirms() {
        return bool("warren_rpc_call_confirms");
    }

    /** @return {@code warren_consumer_threads}: amqp-client consumer dispatch threads; default 4 */
    public int consumerThreads() {
        return integer("warren_consumer_threads");
    }

    /**
     * Every option's effective value in string form, by Warren's option name, in documentation order.
     * Values are those set or defaulted (after the URL query overrides); transport URLs are shown
     * with passwords masked, unset values as "".
     *
     * @return the options, unmodifiable
     */
    public Map<String, String> options() {
        Map<String, String> out = new LinkedHashMap<>();
        for (ConfigOption option : ConfigOption.ALL) {
            out.put(option.name, option.format(values.get(option.name)));
        }
        return Collections.unmodifiableMap(out);
    }

    /** @return the masked transport URL, the name and every option that differs from its default */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("ConnectorConfig{name=").append(name)
                .append(", transportUrl=").append(transportUrl.toSafeString());
        StringBuilder changed = new StringBuilder();
        for (ConfigOption option : ConfigOption.ALL) {
            if (option.name.equals("transport_url")) {
                continue;
            }
            String text = option.format(values.get(option.name));
            if (!text.equals(option.format(option.parse(option.defaultText)))) {
                changed.append(changed.length() == 0 ? "" : ", ").append(option.name).append('=').append(text);
            }
        }
        if (changed.length() > 0) {
            out.append(", ").append(changed);
        }
        return out.append('}').toString();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ConnectorConfig)) {
            return false;
        }
        ConnectorConfig other = (ConnectorConfig) o;
        return name.equals(other.name) && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, values);
    }

    /**
     * Collects a name and options, then {@link #build()} validates everything at once. Not thread-safe.
     * Option names and values are checked as they are given too, so a mistake fails at its own line.
     */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private final Map<ConfigOption, Object> settings = new LinkedHashMap<>();
        /** The name each option was given under, lower case, for {@link #warnings()}. */
        private final Map<ConfigOption, String> spellings = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * @param url the transport URL ({@code transport_url})
         * @return this builder
         * @throws ConfigException when the URL is malformed
         */
        public Builder transportUrl(String url) {
            return option("transport_url", url);
        }

        /**
         * @param url the transport URL ({@code transport_url})
         * @return this builder
         */
        public Builder transportUrl(TransportUrl url) {
            Objects.requireNonNull(url, "url");
            settings.put(ConfigOption.find("transport_url"), url);
            return this;
        }

        /**
         * @param name the owner name used in thread and connection names: 1 to 64 of
         *     {@code A-Z a-z 0-9 . _ -}
         * @return this builder
         * @throws ConfigException when the name has other characters or a bad length
         */
        public Builder name(String name) {
            this.name = checkName(name);
            return this;
        }

        /**
         * Sets an option from its string form (as found in a URL, web.xml or the environment).
         *
         * @param name the option's name, an oslo alias or {@code group.name}, any case
         * @param value the value; null restores the default
         * @return this builder
         * @throws ConfigException when the name is unknown or the value is bad
         */
        public Builder option(String name, String value) {
            ConfigOption option = ConfigOption.find(name);
            if (option == null) {
                throw ConfigOption.unknown(name, "");
            }
            if (value == null) {
                settings.remove(option);
                spellings.remove(option);
            } else {
                option.parse(value);
                settings.put(option, value);
                spellings.put(option, name.strip().toLowerCase(java.util.Locale.ROOT));
            }
            return this;
        }

        /**
         * Sets an option from a typed value: Boolean, a number, a Collection (a list option),
         * {@link FailoverStrategy}, {@link ReplyMode}, a {@link Duration} for a time option,
         * {@link TransportUrl} for a URL option, or a String.
         *
         * @param name the option's name, an oslo alias or {@code group.name}, any case
         * @param value the value; null restores the default
         * @return this builder
         * @throws ConfigException when the name is unknown or the value is bad
         */
        public Builder option(String name, Object value) {
            ConfigOption option = ConfigOption.find(name);
            if (option == null) {
                throw ConfigOption.unknown(name, "");
            }
            if (value instanceof TransportUrl) {
                if (option.kind != ConfigOption.Kind.URL) {
                    throw new ConfigException("option " + option.name + ": got a TransportUrl, but this"
                            + " option is not a transport URL", option.name);
                }
                settings.put(option, value);
                spellings.put(option, name.strip().toLowerCase(java.util.Locale.ROOT));
                return this;
            }
            option(option.name, option.toText(value));
            if (value != null) {
                spellings.put(option, name.strip().toLowerCase(java.util.Locale.ROOT));
            }
            return this;
        }

        /**
         * Sets several options from their string forms, as {@link #option(String, String)} does.
         *
         * @param options option names to values
         * @return this builder
         * @throws ConfigException at the first unknown name or bad value
         */
        public Builder options(Map<String, String> options) {
            for (Map.Entry<String, String> entry : options.entrySet()) {
                option(entry.getKey(), entry.getValue());
            }
            return this;
        }

        /**
         * @return the validated configuration
         * @throws ConfigException when an option, the URL, or a combination of options is bad
         */
        public ConnectorConfig build() {
            return new ConnectorConfig(this);
        }
    }
}
