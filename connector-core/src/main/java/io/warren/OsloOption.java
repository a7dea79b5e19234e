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
 * One configuration option: its oslo name and group, aliases, type, default and allowed values.
 * {@link #ALL} is the complete, fixed table: the options of oslo.messaging 14 and 18.1 (with 14's
 * defaults where the two differ) plus Warren's own. What 18 removed or deprecated is still accepted
 * and carries the warning ({@link #retired}, {@link #retiredAliases}) the connector logs for it.
 */
final class OsloOption {
    static final String DEFAULT_GROUP = "DEFAULT";
    static final String RABBIT_GROUP = "oslo_messaging_rabbit";
    static final String NOTIFICATIONS_GROUP = "oslo_messaging_notifications";
    static final String WARREN_GROUP = "warren";

    enum Kind { STRING, BOOL, INT, FLOAT, CHOICE, LIST, URL }

    /** The time unit of a numeric option, so that a {@link Duration} can be given for it. */
    enum Unit { NONE, SECONDS, MILLIS }

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

    private OsloOption(Spec s) {
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
    }

    /** Every option, in documentation order. */
    static final List<OsloOption> ALL = List.of(
            // [DEFAULT]
            new Spec(DEFAULT_GROUP, "transport_url", Kind.URL).def("rabbit://").build(),
            new Spec(DEFAULT_GROUP, "control_exchange", Kind.STRING).def("openstack").range(1, 255)
                    .note("an AMQP exchange name").build(),
            new Spec(DEFAULT_GROUP, "rpc_response_timeout", Kind.INT).def("60").range(1, 86400)
                    .unit(Unit.SECONDS).build(),
            new Spec(DEFAULT_GROUP, "executor_thread_pool_size", Kind.INT).def("64").range(1, 1024)
                    .alias18("DEFAULT/rpc_thread_pool_size").build(),
            new Spec(DEFAULT_GROUP, "rpc_ping_enabled", Kind.BOOL).def("false").build(),
            // [oslo_messaging_rabbit]
            new Spec(RABBIT_GROUP, "ssl", Kind.BOOL).def("false").alias("oslo_messaging_rabbit/rabbit_use_ssl").build(),
            new Spec(RABBIT_GROUP, "ssl_version", Kind.CHOICE).def("")
                    .choice("", "").choice("sslv23", "").choice("tls", "")
                    .choice("tlsv1_2", "TLSv1.2").choice("tlsv1.2", "TLSv1.2")
                    .choice("tlsv1_3", "TLSv1.3").choice("tlsv1.3", "TLSv1.3")
                    .refuse("insecure and not supported by Warren; use TLSv1_2 or TLSv1_3",
                            "sslv2", "sslv3", "tlsv1", "tlsv1_1", "tlsv1.1", "tlsv1.0")
                    .alias("oslo_messaging_rabbit/kombu_ssl_version").build(),
            new Spec(RABBIT_GROUP, "ssl_key_file", Kind.STRING).def("").alias("oslo_messaging_rabbit/kombu_ssl_keyfile").build(),
            new Spec(RABBIT_GROUP, "ssl_cert_file", Kind.STRING).def("").alias("oslo_messaging_rabbit/kombu_ssl_certfile").build(),
            new Spec(RABBIT_GROUP, "ssl_ca_file", Kind.STRING).def("").alias("oslo_messaging_rabbit/kombu_ssl_ca_certs").build(),
            // Warren's default deviates from oslo's false on purpose: see ConnectorConfig.
            new Spec(RABBIT_GROUP, "ssl_enforce_hostname_verification", Kind.BOOL).def("true")
                    .retiredIn18("deprecated in oslo.messaging 18, which defaults it to true as Warren"
                            + " does and will drop it; keep hostname verification on").build(),
            new Spec(RABBIT_GROUP, "ssl_enforce_fips_mode", Kind.CHOICE).def("false")
                    .choice("false", Boolean.FALSE).choice("0", Boolean.FALSE).choice("no", Boolean.FALSE)
                    .choice("off", Boolean.FALSE)
                    .refuse("not supported by Warren: FIPS mode is a property of the JVM's security"
                            + " providers; configure it there", "true", "1", "yes", "on")
                    .retiredIn18("deprecated in oslo.messaging 18, which ignores it (OpenSSL 3 removed"
                            + " FIPS_mode_set); remove it").build(),
            new Spec(RABBIT_GROUP, "heartbeat_in_pthread", Kind.BOOL).def("false")
                    .retiredIn18("removed in oslo.messaging 18 (heartbeats always run in a thread of"
                            + " their own, as Warren's do); remove it").build(),
            new Spec(RABBIT_GROUP, "kombu_reconnect_delay", Kind.FLOAT).def("1.0").floatRange(0.0, 4.5)
                    .unit(Unit.SECONDS).alias("DEFAULT/kombu_reconnect_delay").build(),
            // oslo 18: a random extra wait after a consumer cancel; Warren's reconnect waits
            // already carry a random part (see ReconnectBackoff), so it is accepted and unused.
            new Spec(RABBIT_GROUP, "kombu_reconnect_splay", Kind.FLOAT).def("0.0")
                    .floatRange(0.0, 3600.0).unit(Unit.SECONDS).build(),
            new Spec(RABBIT_GROUP, "kombu_compression", Kind.CHOICE).def(null)
                    .choice("", null).choice("gzip", "gzip").choice("zlib", "gzip")
                    .choice("application/x-gzip", "gzip")
                    .refuse("not supported by Warren; use gzip or leave it unset",
                            "bz2", "bzip2", "application/x-bz2", "brotli", "lzma", "xz", "zstd", "snappy")
                    .build(),
            new Spec(RABBIT_GROUP, "kombu_missing_consumer_retry_timeout", Kind.INT).def("60")
                    .range(0, 3600).unit(Unit.SECONDS).alias18("oslo_messaging_rabbit/kombu_reconnect_timeout").build(),
            new Spec(RABBIT_GROUP, "kombu_failover_strategy", Kind.CHOICE).def("round-robin")
                    .choice("round-robin", FailoverStrategy.ROUND_ROBIN)
                    .choice("round_robin", FailoverStrategy.ROUND_ROBIN)
                    .choice("shuffle", FailoverStrategy.SHUFFLE).build(),
            new Spec(RABBIT_GROUP, "rabbit_login_method", Kind.CHOICE).def("AMQPLAIN").alias("DEFAULT/rabbit_login_method")
                    .choice("plain", "PLAIN").choice("amqplain", "AMQPLAIN").choice("external", "EXTERNAL")
                    .choice("rabbit-cr-demo", "RABBIT-CR-DEMO").build(),
            new Spec(RABBIT_GROUP, "rabbit_retry_interval", Kind.INT).def("1").range(1, 300)
                    .unit(Unit.SECONDS).build(),
            new Spec(RABBIT_GROUP, "rabbit_retry_backoff", Kind.INT).def("2").alias("DEFAULT/rabbit_retry_backoff").range(0, 300)
                    .unit(Unit.SECONDS).build(),
            new Spec(RABBIT_GROUP, "rabbit_interval_max", Kind.INT).def("30").range(1, 3600)
                    .unit(Unit.SECONDS).build(),
            new Spec(RABBIT_GROUP, "rabbit_ha_queues", Kind.BOOL).def("false").alias("DEFAULT/rabbit_ha_queues").build(),
            new Spec(RABBIT_GROUP, "rabbit_quorum_queue", Kind.BOOL).def("false").build(),
            new Spec(RABBIT_GROUP, "rabbit_transient_quorum_queue", Kind.BOOL).def("false").build(),
            new Spec(RABBIT_GROUP, "rabbit_quorum_delivery_limit", Kind.INT).def("0")
                    .range(0, Integer.MAX_VALUE).note("0 means no limit").build(),
            // oslo 14 spelled these "quroum" (sic); oslo 18 fixed the names and dropped the old ones.
            new Spec(RABBIT_GROUP, "rabbit_quorum_max_memory_length", Kind.INT).def("0")
                    .range(0, Integer.MAX_VALUE).note("0 means no limit")
                    .alias("oslo_messaging_rabbit/rabbit_quroum_max_memory_length").build(),
            new Spec(RABBIT_GROUP, "rabbit_quorum_max_memory_bytes", Kind.INT).def("0")
                    .range(0, Long.MAX_VALUE).note("0 means no limit")
                    .alias("oslo_messaging_rabbit/rabbit_quroum_max_memory_bytes").build(),
            // oslo 14 allowed 1 and up; 18 allows 0 for no x-expires (no x-max-age on a stream).
            new Spec(RABBIT_GROUP, "rabbit_transient_queues_ttl", Kind.INT).def("1800")
                    .range(0, Integer.MAX_VALUE / 1000).unit(Unit.SECONDS)
                    .note("0 means reply and fanout queues never expire").build(),
            new Spec(RABBIT_GROUP, "rabbit_qos_prefetch_count", Kind.INT).def("0").range(0, 65535)
                    .note("0 means unlimited").build(),
            new Spec(RABBIT_GROUP, "heartbeat_timeout_threshold", Kind.INT).def("60").range(0, 3600)
                    .unit(Unit.SECONDS).note("0 disables heartbeats").build(),
            new Spec(RABBIT_GROUP, "heartbeat_rate", Kind.INT).def("2").range(1, 100).build(),
            new Spec(RABBIT_GROUP, "direct_mandatory_flag", Kind.BOOL).def("true")
                    .retiredIn18("deprecated in oslo.messaging 18, which will always send replies"
                            + " mandatory; remove it").build(),
            new Spec(RABBIT_GROUP, "enable_cancel_on_failover", Kind.BOOL).def("false").build(),
            new Spec(RABBIT_GROUP, "use_queue_manager", Kind.BOOL).def("false").build(),
            // Unset: this machine's host name (oslo: socket.gethostname()).
            new Spec(RABBIT_GROUP, "hostname", Kind.STRING).def(null).range(0, 100)
                    .note("empty means this machine's host name").build(),
            // Unset: the connector's name (oslo: the program's name, which would be "java" for every JVM).
            new Spec(RABBIT_GROUP, "processname", Kind.STRING).def(null).range(0, 100)
                    .note("empty means the connector's name").build(),
            new Spec(RABBIT_GROUP, "rabbit_stream_fanout", Kind.BOOL).def("false").build(),
            new Spec(RABBIT_GROUP, "amqp_durable_queues", Kind.BOOL).def("false").build(),
            new Spec(RABBIT_GROUP, "amqp_auto_delete", Kind.BOOL).def("false").alias("DEFAULT/amqp_auto_delete").build(),
            new Spec(RABBIT_GROUP, "rpc_conn_pool_size", Kind.INT).def("30").alias("DEFAULT/rpc_conn_pool_size").range(1, 1024).build(),
            new Spec(RABBIT_GROUP, "conn_pool_min_size", Kind.INT).def("2").range(0, 1024).build(),
            new Spec(RABBIT_GROUP, "conn_pool_ttl", Kind.INT).def("1200").range(1, 86400)
                    .unit(Unit.SECONDS).build(),
            // [oslo_messaging_notifications]
            new Spec(NOTIFICATIONS_GROUP, "driver", Kind.LIST).def("")
                    .allowed("messagingv2", "messaging", "log", "noop").alias("DEFAULT/notification_driver").build(),
            new Spec(NOTIFICATIONS_GROUP, "notification_transport_url", Kind.URL).osloName("transport_url")
                    .alias("DEFAULT/notification_transport_url").def(null).build(),
            new Spec(NOTIFICATIONS_GROUP, "topics", Kind.LIST).def("notifications").range(1, 64)
                    .alias("rpc_notifier2/topics").alias("DEFAULT/notification_topics").build(),
            new Spec(NOTIFICATIONS_GROUP, "retry", Kind.INT).def("-1").range(-1, 1_000_000)
                    .note("-1 retries forever, 0 never").build(),
            // Warren's own
            new Spec(WARREN_GROUP, "warren_publish_timeout_ms", Kind.INT).def("10000").range(1, 600_000)
                    .unit(Unit.MILLIS).build(),
            new Spec(WARREN_GROUP, "warren_channel_checkout_timeout_ms", Kind.INT).def("5000")
                    .range(1, 600_000).unit(Unit.MILLIS).build(),
            new Spec(WARREN_GROUP, "warren_shutdown_timeout_ms", Kind.INT).def("10000")
                    .range(100, 600_000).unit(Unit.MILLIS).build(),
            new Spec(WARREN_GROUP, "warren_connection_timeout_ms", Kind.INT).def("10000")
                    .range(100, 600_000).unit(Unit.MILLIS).build(),
            new Spec(WARREN_GROUP, "warren_max_message_bytes", Kind.INT).def("4194304")
                    .range(1024, 134_217_728).build(),
            new Spec(WARREN_GROUP, "warren_rpc_reply_mode", Kind.CHOICE).def("oslo")
                    .choice("oslo", ReplyMode.OSLO).choice("direct", ReplyMode.DIRECT).build(),
            new Spec(WARREN_GROUP, "warren_jmx_write_operations", Kind.BOOL).def("false").build(),
            new Spec(WARREN_GROUP, "warren_consumer_threads", Kind.INT).def("4").range(1, 256).build(),
            new Spec(WARREN_GROUP, "warren_call_expiration", Kind.BOOL).def("true").build());

    /** Lower-case name, alias or "group.name" to option. */
    private static final Map<String, OsloOption> BY_ANY_NAME = indexByName();

    private static Map<String, OsloOption> indexByName() {
        Map<String, OsloOption> index = new LinkedHashMap<>();
        for (OsloOption option : ALL) {
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
    static OsloOption find(String anyName) {
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
        String wanted = anyName == null ? "" : anyName.strip().toLowerCase(Locale.ROOT);
        List<String> close = new ArrayList<>();
        if (wanted.length() < 3) {
            return close;
        }
        for (OsloOption option : ALL) {
            if (group != null && !option.group.equals(group)) {
                continue;
            }
            int limit = Math.max(2, option.name.length() / 6);
            if (editDistance(wanted, option.name) <= limit
                    || (wanted.length() >= 5 && option.name.contains(wanted))) {
                close.add(option.name);
            }
        }
        return close.size() > 5 ? close.subList(0, 5) : close;
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
        String unitText = unit == Unit.SECONDS ? " seconds" : unit == Unit.MILLIS ? " milliseconds" : "";
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

        OsloOption build() {
            if (kind == Kind.LIST && max == 0) {
                max = Integer.MAX_VALUE;
            }
            return new OsloOption(this);
        }
    }
}
