package io.warren;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class ConnectorConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> fixtureOptions() throws IOException {
        List<JsonNode> options = new ArrayList<>();
        TransportUrlTest.fixture("option_defaults.json").get("options").forEach(options::add);
        return options;
    }

    private static String qualified(JsonNode option) {
        return option.get("group").asText() + "." + option.get("name").asText();
    }

    /** Every oslo option that has a getter, keyed "group.name", as the fixture's JSON types. */
    private static Map<String, Function<ConnectorConfig, Object>> getters() {
        Map<String, Function<ConnectorConfig, Object>> g = new LinkedHashMap<>();
        g.put("DEFAULT.transport_url", c -> c.transportUrl().toString());
        g.put("DEFAULT.control_exchange", ConnectorConfig::controlExchange);
        g.put("DEFAULT.rpc_response_timeout", c -> (int) c.rpcResponseTimeout().getSeconds());
        g.put("DEFAULT.executor_thread_pool_size", ConnectorConfig::executorThreadPoolSize);
        g.put("DEFAULT.rpc_ping_enabled", ConnectorConfig::rpcPingEnabled);
        String r = "oslo_messaging_rabbit.";
        g.put(r + "ssl", ConnectorConfig::ssl);
        g.put(r + "ssl_version", ConnectorConfig::sslVersion);
        g.put(r + "ssl_key_file", ConnectorConfig::sslKeyFile);
        g.put(r + "ssl_cert_file", ConnectorConfig::sslCertFile);
        g.put(r + "ssl_ca_file", ConnectorConfig::sslCaFile);
        g.put(r + "kombu_reconnect_delay", c -> c.kombuReconnectDelay().toNanos() / 1e9);
        g.put(r + "kombu_compression", ConnectorConfig::compression);
        g.put(r + "kombu_missing_consumer_retry_timeout",
                c -> (int) c.missingConsumerRetryTimeout().getSeconds());
        g.put(r + "kombu_failover_strategy", c -> c.failoverStrategy().optionValue());
        g.put(r + "rabbit_login_method", ConnectorConfig::loginMethod);
        g.put(r + "rabbit_retry_interval", c -> (int) c.retryInterval().getSeconds());
        g.put(r + "rabbit_retry_backoff", c -> (int) c.retryBackoff().getSeconds());
        g.put(r + "rabbit_interval_max", c -> (int) c.intervalMax().getSeconds());
        g.put(r + "rabbit_ha_queues", ConnectorConfig::haQueues);
        g.put(r + "rabbit_quorum_queue", ConnectorConfig::quorumQueues);
        g.put(r + "rabbit_quorum_delivery_limit", ConnectorConfig::quorumDeliveryLimit);
        // oslo 14's names ("quroum", sic); 18 renamed them
        g.put(r + "rabbit_quroum_max_memory_length", ConnectorConfig::quorumMaxMemoryLength);
        g.put(r + "rabbit_quroum_max_memory_bytes", c -> (int) c.quorumMaxMemoryBytes());
        g.put(r + "rabbit_transient_queues_ttl", c -> (int) c.transientQueuesTtl().getSeconds());
        g.put(r + "rabbit_qos_prefetch_count", ConnectorConfig::qosPrefetchCount);
        g.put(r + "heartbeat_timeout_threshold", ConnectorConfig::heartbeatTimeoutThreshold);
        g.put(r + "heartbeat_rate", ConnectorConfig::heartbeatRate);
        g.put(r + "direct_mandatory_flag", ConnectorConfig::directMandatoryFlag);
        g.put(r + "enable_cancel_on_failover", ConnectorConfig::enableCancelOnFailover);
        g.put(r + "amqp_durable_queues", ConnectorConfig::durableQueues);
        g.put(r + "amqp_auto_delete", ConnectorConfig::autoDelete);
        g.put(r + "rpc_conn_pool_size", ConnectorConfig::channelPoolSize);
        g.put(r + "conn_pool_min_size", ConnectorConfig::connPoolMinSize);
        g.put(r + "conn_pool_ttl", c -> (int) c.connPoolTtl().getSeconds());
        String n = "oslo_messaging_notifications.";
        g.put(n + "driver", ConnectorConfig::notificationDrivers);
        g.put(n + "topics", ConnectorConfig::notificationTopics);
        g.put(n + "retry", ConnectorConfig::notificationRetry);
        return g;
    }

    /** Options without a getter, or whose Warren default deviates on purpose. */
    private static final Set<String> NO_GETTER = Set.of(
            "oslo_messaging_rabbit.ssl_enforce_hostname_verification",
            "oslo_messaging_rabbit.ssl_enforce_fips_mode",
            "oslo_messaging_rabbit.heartbeat_in_pthread",
            "oslo_messaging_notifications.transport_url");

    @Test
    void everyGetterDefaultsToOslosDefault() throws IOException {
        ConnectorConfig config = ConnectorConfig.builder().build();
        Map<String, Function<ConnectorConfig, Object>> getters = getters();
        List<JsonNode> options = fixtureOptions();
        assertThat(options).hasSize(41);
        int compared = 0;
        for (JsonNode option : options) {
            String key = qualified(option);
            if (NO_GETTER.contains(key)) {
                continue;
            }
            assertThat(getters).as("a getter for " + key).containsKey(key);
            Object expected = JSON.treeToValue(option.get("default"), Object.class);
            assertThat(getters.get(key).apply(config)).as(key).isEqualTo(expected);
            compared++;
        }
        assertThat(compared).isEqualTo(getters.size()).isEqualTo(37);
    }

    @Test
    void everyOptionsValueDefaultsToOslosDefault() throws IOException {
        Map<String, String> shown = ConnectorConfig.builder().build().options();
        for (JsonNode option : fixtureOptions()) {
            String key = qualified(option);
            String warrenName = ConfigOption.find(key).name;
            JsonNode value = option.get("default");
            String expected = value.isNull() ? ""
                    : value.isArray() ? String.join(",", JSON.convertValue(value, List.class))
                    : value.asText();
            if (key.equals("oslo_messaging_rabbit.ssl_enforce_hostname_verification")) {
                // Warren's deliberate deviation: hostname verification is on unless switched off.
                assertThat(expected).isEqualTo("false");
                assertThat(shown.get(warrenName)).isEqualTo("true");
                continue;
            }
            assertThat(shown.get(warrenName)).as(key).isEqualTo(expected);
        }
    }

    @Test
    void everyFixtureOptionIsKnownByItsQualifiedNameAndItsDeprecatedNames() throws IOException {
        for (JsonNode option : fixtureOptions()) {
            ConfigOption found = ConfigOption.find(qualified(option));
            assertThat(found).as(qualified(option)).isNotNull();
            assertThat(found.group).isEqualTo(option.get("group").asText());
            // oslo 18 fixed the spelling of two names; 14's are aliases now
            assertThat(found.osloName).isEqualTo(option.get("name").asText().replace("quroum", "quorum"));
            assertThat(ConnectorConfig.knownOptionNames()).contains(found.name);
            for (JsonNode deprecated : option.get("deprecated_names")) {
                String text = deprecated.asText();
                String flat = text.substring(text.indexOf('/') + 1);
                String dotted = text.replace('/', '.');
                if (!flat.equals("transport_url")) {
                    assertThat(ConfigOption.find(flat)).as(text).isSameAs(found);
                }
                assertThat(ConfigOption.find(dotted)).as(text).isSameAs(found);
            }
            // the unqualified name works too, except where two groups share it
            if (!qualified(option).equals("oslo_messaging_notifications.transport_url")) {
                assertThat(ConfigOption.find(option.get("name").asText())).isSameAs(found);
            }
        }
    }

    @Test
    void warrenTracebackIsEndpointNoneOrAll() {
        assertThat(ConnectorConfig.builder().build().traceback()).isEqualTo("endpoint");
        assertThat(ConnectorConfig.builder().option("warren_traceback", "none").build().traceback()).isEqualTo("none");
        assertThat(ConnectorConfig.builder().option("warren_traceback", "all").build().traceback()).isEqualTo("all");
        assertThatThrownBy(() -> ConnectorConfig.builder().option("warren_traceback", "java").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("warren_traceback")
                .hasMessageContaining("endpoint, none, all");
    }

    @Test
    void knownOptionNamesAreOslosFortySevenPlusWarrensEleven() {
        Set<String> names = ConnectorConfig.knownOptionNames();
        // oslo 14's 41, and 18's six new ones: kombu_reconnect_splay, rabbit_transient_quorum_queue,
        // use_queue_manager, hostname, processname, rabbit_stream_fanout
        assertThat(names).hasSize(58)
                .contains("transport_url", "notification_transport_url", "heartbeat_timeout_threshold",
                        "driver", "topics", "retry", "warren_publish_timeout_ms",
                        "warren_channel_checkout_timeout_ms", "warren_shutdown_timeout_ms",
                        "warren_connection_timeout_ms", "warren_max_message_bytes",
                        "warren_rpc_reply_mode", "warren_jmx_write_operations", "warren_consumer_threads",
                        "warren_call_expiration", "warren_traceback", "warren_rpc_call_confirms");
        assertThat(ConnectorConfig.builder().build().options()).containsOnlyKeys(names);
        assertThatThrownBy(() -> names.add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void warrenDefaults() {
        ConnectorConfig config = ConnectorConfig.builder().build();
        assertThat(config.name()).isEqualTo("warren");
        assertThat(config.publishTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.channelCheckoutTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.connectionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.maxMessageBytes()).isEqualTo(4 * 1024 * 1024);
        assertThat(config.replyMode()).isEqualTo(ReplyMode.OSLO);
        assertThat(config.jmxWriteOperations()).isFalse();
        assertThat(config.consumerThreads()).isEqualTo(4);
        assertThat(config.sslEnforceHostnameVerification()).isTrue();
        assertThat(config.failoverStrategy()).isEqualTo(FailoverStrategy.ROUND_ROBIN);
        assertThat(config.kombuReconnectDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.transportUrl().virtualHost()).isEqualTo("/");
        assertThat(config.username()).isEqualTo("guest");
        assertThat(config.password()).isEqualTo("guest");
    }

    @Test
    void everyFixtureUrlBuildsOrFailsAsWarrenPromises() throws IOException {
        for (JsonNode example : TransportUrlTest.urlExamples()) {
            String url = example.get("url").asText();
            if (example.has("override_error")) {
                assertThat(example.get("override_error").asText()).contains("no_such_option");
                assertThatThrownBy(() -> ConnectorConfig.fromUrl(url)).as(url)
                        .isInstanceOf(ConfigException.class)
                        .hasMessageContaining("unknown option 'no_such_option'")
                        .hasMessageContaining("NoSuchOptError")
                        .extracting(e -> ((ConfigException) e).option()).isEqualTo("no_such_option");
                continue;
            }
            Set<String> users = new HashSet<>();
            example.get("hosts").forEach(h -> users.add(h.get("username").asText() + ":" + h.get("password").asText()));
            if (users.size() > 1) {
                // oslo logs in to each host with its own credentials; amqp-client takes one set.
                assertThatThrownBy(() -> ConnectorConfig.fromUrl(url)).as(url)
                        .isInstanceOf(ConfigException.class)
                        .hasMessageContaining("different credentials")
                        .hasMessageNotContaining("p1").hasMessageNotContaining("p2");
                continue;
            }
            ConnectorConfig config = ConnectorConfig.fromUrl(url);
            JsonNode overrides = example.get("effective_overrides");
            overrides.fields().forEachRemaining(e ->
                    assertThat(config.options().get(e.getKey())).as(url + " " + e.getKey())
                            .isEqualTo(e.getValue().asText()));
        }
    }

    @Test
    void urlQueryOverridesRabbitOptions() {
        ConnectorConfig config = ConnectorConfig.builder()
                .option("heartbeat_timeout_threshold", "10")
                .transportUrl("rabbit://u:p@h1:5672/?heartbeat_timeout_threshold=30"
                        + "&rabbit_quorum_queue=true&kombu_failover_strategy=shuffle&ssl=1")
                .build();
        assertThat(config.heartbeatTimeoutThreshold()).isEqualTo(30);
        assertThat(config.quorumQueues()).isTrue();
        assertThat(config.durableQueues()).isTrue();
        assertThat(config.failoverStrategy()).isEqualTo(FailoverStrategy.SHUFFLE);
        assertThat(config.ssl()).isTrue();
        assertThat(config.username()).isEqualTo("u");
        assertThat(config.password()).isEqualTo("p");
    }

    @Test
    void unknownUrlQueryKeyListsOnlyRabbitOptions() {
        assertThatThrownBy(() -> ConnectorConfig.fromUrl("rabbit://h1/?heartbeat_timeout=5"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("transport URL query: unknown option 'heartbeat_timeout'; did you mean")
                .hasMessageContaining("known options are (in [oslo_messaging_rabbit]) ssl, ")
                .hasMessageNotContaining("control_exchange")
                .hasMessageNotContaining("warren_");
    }

    @Test
    void urlQueryAcceptsOslosDeprecatedNames() {
        assertThat(ConnectorConfig.fromUrl("rabbit://h1/?rabbit_use_ssl=true").ssl()).isTrue();
    }

    @Test
    void urlQueryCannotSetOptionsOutsideTheRabbitGroup() {
        assertThatThrownBy(() -> ConnectorConfig.fromUrl("rabbit://h1/?control_exchange=nova"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'control_exchange' is an option of [DEFAULT]")
                .hasMessageContaining("[oslo_messaging_rabbit]");
        assertThatThrownBy(() -> ConnectorConfig.fromUrl("rabbit://h1/?warren_publish_timeout_ms=5"))
                .hasMessageContaining("'warren_publish_timeout_ms' is an option of [warren]");
    }

    @Test
    void badUrlQueryValueNamesOptionAndSource() {
        assertThatThrownBy(() -> ConnectorConfig.fromUrl("rabbit://u:s3cret@h1/?heartbeat_rate=zero"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("option heartbeat_rate: got 'zero', expected an integer from 1 to 100"
                        + " (in the transport URL query)");
    }

    @Test
    void unknownOptionListsKnownOnes() {
        assertThatThrownBy(() -> ConnectorConfig.builder().option("no_such_option", "1"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown option 'no_such_option'; known options are ")
                .hasMessageContaining("heartbeat_timeout_threshold")
                .hasMessageContaining("warren_consumer_threads")
                .extracting(e -> ((ConfigException) e).option()).isEqualTo("no_such_option");
    }

    @Test
    void unknownOptionSuggestsCloseMatches() {
        assertThatThrownBy(() -> ConnectorConfig.builder().option("heartbeat_timout_threshold", "1"))
                .hasMessageContaining("did you mean heartbeat_timeout_threshold?");
        assertThatThrownBy(() -> ConnectorConfig.builder().option("warren_publish_timeout", "1"))
                .hasMessageContaining("did you mean warren_publish_timeout_ms?");
    }

    @Test
    void optionNamesIgnoreCaseAndAcceptGroups() {
        ConnectorConfig config = ConnectorConfig.builder()
                .option("HEARTBEAT_TIMEOUT_THRESHOLD", "20")
                .option("DEFAULT.control_exchange", "nova")
                .option("oslo_messaging_notifications.topics", "a, b")
                .build();
        assertThat(config.heartbeatTimeoutThreshold()).isEqualTo(20);
        assertThat(config.controlExchange()).isEqualTo("nova");
        assertThat(config.notificationTopics()).containsExactly("a", "b");
    }

    @Test
    void deprecatedNamesSetTheirOption() {
        ConnectorConfig config = ConnectorConfig.builder()
                .option("rabbit_use_ssl", "yes")
                .option("kombu_reconnect_timeout", "5")
                .option("rpc_thread_pool_size", "8")
                .option("notification_topics", "audit")
                .option("notification_driver", "messagingv2")
                .option("kombu_ssl_ca_certs", "/etc/ca.pem")
                .option("rabbit_quorum_max_memory_length", "100")
                .build();
        assertThat(config.ssl()).isTrue();
        assertThat(config.missingConsumerRetryTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.executorThreadPoolSize()).isEqualTo(8);
        assertThat(config.notificationTopics()).containsExactly("audit");
        assertThat(config.notificationDrivers()).containsExactly("messagingv2");
        assertThat(config.sslCaFile()).isEqualTo("/etc/ca.pem");
        assertThat(config.quorumMaxMemoryLength()).isEqualTo(100);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> badOption(String name, String value) {
        return assertThatThrownBy(() -> ConnectorConfig.builder().option(name, value).build())
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void badBoolean() {
        badOption("ssl", "maybe")
                .hasMessage("option ssl: got 'maybe', expected a boolean (true/false, yes/no, on/off, 1/0)")
                .extracting(e -> ((ConfigException) e).option()).isEqualTo("ssl");
    }

    @Test
    void booleanSpellings() {
        for (String yes : List.of("true", "TRUE", "1", "yes", "On", " on ")) {
            assertThat(ConnectorConfig.builder().option("rpc_ping_enabled", yes).build().rpcPingEnabled())
                    .as(yes).isTrue();
        }
        for (String no : List.of("false", "False", "0", "no", "OFF")) {
            assertThat(ConnectorConfig.builder().option("direct_mandatory_flag", no).build().directMandatoryFlag())
                    .as(no).isFalse();
        }
    }

    @Test
    void integerOutOfRangeNamesOptionValueAndRange() {
        badOption("heartbeat_timeout_threshold", "-1")
                .hasMessage("option heartbeat_timeout_threshold: got '-1', expected an integer from 0 to"
                        + " 3600 seconds (0 disables heartbeats)");
        badOption("warren_publish_timeout_ms", "0")
                .hasMessage("option warren_publish_timeout_ms: got '0', expected an integer from 1 to"
                        + " 600000 milliseconds");
        badOption("warren_max_message_bytes", "1023").hasMessageContaining("from 1024 to 134217728");
        badOption("warren_consumer_threads", "257").hasMessageContaining("from 1 to 256");
        badOption("warren_shutdown_timeout_ms", "99").hasMessageContaining("from 100 to 600000");
        badOption("rabbit_transient_queues_ttl", "-1").hasMessageContaining("from 0 to")
                .hasMessageContaining("0 means reply and fanout queues never expire");
        badOption("retry", "-2").hasMessageContaining("-1 retries forever");
    }

    @Test
    void integerThatIsNotANumber() {
        badOption("rpc_response_timeout", "60s")
                .hasMessage("option rpc_response_timeout: got '60s', expected an integer from 1 to 86400 seconds");
        badOption("rpc_conn_pool_size", "1.5").hasMessageContaining("got '1.5', expected an integer");
        badOption("rpc_conn_pool_size", "").hasMessageContaining("got '', expected an integer");
    }

    @Test
    void floatOption() {
        assertThat(ConnectorConfig.builder().option("kombu_reconnect_delay", "0.25").build().kombuReconnectDelay())
                .isEqualTo(Duration.ofMillis(250));
        badOption("kombu_reconnect_delay", "5")
                .hasMessage("option kombu_reconnect_delay: got '5', expected a number from 0.0 to 4.5 seconds");
        badOption("kombu_reconnect_delay", "NaN").hasMessageContaining("got 'NaN'");
        badOption("kombu_reconnect_delay", "soon").hasMessageContaining("expected a number");
    }

    @Test
    void choiceOptions() {
        badOption("kombu_failover_strategy", "random")
                .hasMessage("option kombu_failover_strategy: got 'random', expected one of round-robin, shuffle");
        badOption("rabbit_login_method", "GSSAPI")
                .hasMessageContaining("expected one of PLAIN, AMQPLAIN, EXTERNAL, RABBIT-CR-DEMO");
        badOption("warren_rpc_reply_mode", "fast").hasMessageContaining("expected one of oslo, direct");
        assertThat(ConnectorConfig.builder().option("warren_rpc_reply_mode", "DIRECT").build().replyMode())
                .isEqualTo(ReplyMode.DIRECT);
        assertThat(ConnectorConfig.builder().option("rabbit_login_method", "plain").build().loginMethod())
                .isEqualTo("PLAIN");
    }

    @Test
    void sslVersionIsAJavaProtocolNameAndOldProtocolsAreRefused() {
        assertThat(ConnectorConfig.builder().option("ssl_version", "TLSv1_2").build().sslVersion())
                .isEqualTo("TLSv1.2");
        assertThat(ConnectorConfig.builder().option("ssl_version", "tlsv1.3").build().sslVersion())
                .isEqualTo("TLSv1.3");
        assertThat(ConnectorConfig.builder().option("ssl_version", "SSLv23").build().sslVersion()).isEmpty();
        badOption("ssl_version", "TLSv1").hasMessageContaining("option ssl_version: 'TLSv1' is insecure");
        badOption("ssl_version", "SSLv3").hasMessageContaining("not supported by Warren");
        badOption("ssl_version", "DTLS").hasMessageContaining("expected one of TLSv1.2, TLSv1.3");
    }

    @Test
    void compression() {
        assertThat(ConnectorConfig.builder().option("kombu_compression", "gzip").build().compression())
                .isEqualTo("gzip");
        assertThat(ConnectorConfig.builder().option("kombu_compression", "zlib").build().compression())
                .isEqualTo("gzip");
        assertThat(ConnectorConfig.builder().option("kombu_compression", "").build().compression()).isNull();
        badOption("kombu_compression", "bz2")
                .hasMessage("option kombu_compression: 'bz2' is not supported by Warren; use gzip or leave it unset");
        badOption("kombu_compression", "lz4").hasMessageContaining("expected one of gzip");
    }

    private static List<JsonNode> oslo18Options() throws IOException {
        List<JsonNode> options = new ArrayList<>();
        TransportUrlTest.fixture("option_defaults_18.json").get("options").forEach(options::add);
        return options;
    }

    @Test
    void everyOslo18OptionIsKnownWithItsNameAndDeprecatedNames() throws IOException {
        List<JsonNode> options = oslo18Options();
        assertThat(options).hasSize(46);
        for (JsonNode option : options) {
            String key = qualified(option);
            ConfigOption found = ConfigOption.find(key);
            assertThat(found).as(key).isNotNull();
            assertThat(found.osloName).isEqualTo(option.get("name").asText());
            for (JsonNode deprecated : option.get("deprecated_names")) {
                assertThat(ConfigOption.find(deprecated.asText().replace('/', '.'))).as(deprecated.asText()).isSameAs(found);
                assertThat(found.retiredAliases).as(deprecated.asText() + " is still known to oslo 18")
                        .doesNotContain(deprecated.asText().replace('/', '.').toLowerCase(java.util.Locale.ROOT));
            }
            // what oslo 18 deprecates for removal carries Warren's warning, and nothing else does
            assertThat(found.retired != null).as(key + " deprecated for removal in 18")
                    .isEqualTo(option.get("deprecated_for_removal").asBoolean());
        }
    }

    @Test
    void oslo18sNewOptionsDefaultAsOslo18() throws IOException {
        ConnectorConfig config = ConnectorConfig.builder().name("nova-api").build();
        Map<String, JsonNode> by = new LinkedHashMap<>();
        oslo18Options().forEach(o -> by.put(qualified(o), o.get("default")));
        String r = "oslo_messaging_rabbit.";
        assertThat(config.transientQuorumQueues()).isEqualTo(by.get(r + "rabbit_transient_quorum_queue").asBoolean()).isFalse();
        assertThat(config.streamFanout()).isEqualTo(by.get(r + "rabbit_stream_fanout").asBoolean()).isFalse();
        assertThat(config.useQueueManager()).isEqualTo(by.get(r + "use_queue_manager").asBoolean()).isFalse();
        assertThat(config.options().get("kombu_reconnect_splay")).isEqualTo(by.get(r + "kombu_reconnect_splay").asText());
        // oslo: socket.gethostname() and the program's name; Warren: the host name and the connector's name
        assertThat(config.queueManagerHostname()).isNotEmpty();
        assertThat(config.queueManagerProcessname()).isEqualTo("nova-api");
        ConnectorConfig set = ConnectorConfig.fromUrl("rabbit://h/?use_queue_manager=true&hostname=node1&processname=api");
        assertThat(set.useQueueManager()).isTrue();
        assertThat(set.queueManagerHostname()).isEqualTo("node1");
        assertThat(set.queueManagerProcessname()).isEqualTo("api");
    }

    @Test
    void whatOslo18RemovedOrDeprecatedStillWorksWithAWarning() {
        ConnectorConfig config = ConnectorConfig.builder()
                .option("rabbit_use_ssl", "true")                      // 14's name of ssl
                .option("rabbit_quroum_max_memory_length", "7")        // 14's spelling
                .option("heartbeat_in_pthread", "true")                // removed in 18
                .option("direct_mandatory_flag", true)                 // deprecated in 18
                .option("kombu_reconnect_timeout", "5")                // a deprecated name 18 still has
                .build();
        assertThat(config.ssl()).isTrue();
        assertThat(config.quorumMaxMemoryLength()).isEqualTo(7);
        assertThat(config.missingConsumerRetryTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.warnings()).containsExactly(
                "option rabbit_use_ssl is an old name of [oslo_messaging_rabbit] ssl, which oslo.messaging 18"
                        + " no longer knows; write ssl instead",
                "option rabbit_quroum_max_memory_length is an old name of [oslo_messaging_rabbit]"
                        + " rabbit_quorum_max_memory_length, which oslo.messaging 18 no longer knows; write"
                        + " rabbit_quorum_max_memory_length instead",
                "option heartbeat_in_pthread: removed in oslo.messaging 18 (heartbeats always run in a thread"
                        + " of their own, as Warren's do); remove it",
                "option direct_mandatory_flag: deprecated in oslo.messaging 18, which will always send replies"
                        + " mandatory; remove it");
        // the same through the URL query, and through toBuilder()
        assertThat(ConnectorConfig.fromUrl("rabbit://h/?kombu_ssl_ca_certs=/ca.pem").warnings()).singleElement()
                .asString().contains("kombu_ssl_ca_certs is an old name of [oslo_messaging_rabbit] ssl_ca_file");
        assertThat(config.toBuilder().build().warnings()).isEqualTo(config.warnings());
        assertThat(ConnectorConfig.builder().option("ssl", "true").option("rabbit_quorum_max_memory_length", "7")
                .build().warnings()).isEmpty();
    }

    @Test
    void cancelOnFailoverWithQuorumQueuesIsOneWarning() {
        assertThat(ConnectorConfig.builder().option("enable_cancel_on_failover", "true")
                .option("rabbit_quorum_queue", "true").build().warnings()).singleElement().asString()
                .contains("enable_cancel_on_failover").contains("quorum").contains("leaves it out");
        assertThat(ConnectorConfig.builder().option("enable_cancel_on_failover", "true").build().warnings()).isEmpty();
    }

    @Test
    void fipsModeIsRefusedAndPthreadHeartbeatIsIgnored() {
        badOption("ssl_enforce_fips_mode", "true").hasMessageContaining("not supported by Warren");
        assertThat(ConnectorConfig.builder().option("ssl_enforce_fips_mode", "false").build()).isNotNull();
        assertThat(ConnectorConfig.builder().option("heartbeat_in_pthread", "true").build()
                .options().get("heartbeat_in_pthread")).isEqualTo("true");
    }

    @Test
    void listOptions() {
        ConnectorConfig config = ConnectorConfig.builder()
                .option("driver", "messagingv2, log")
                .option("topics", "notifications,,audit")
                .build();
        assertThat(config.notificationDrivers()).containsExactly("messagingv2", "log");
        assertThat(config.notificationTopics()).containsExactly("notifications", "audit");
        assertThat(config.options().get("driver")).isEqualTo("messagingv2,log");
        badOption("driver", "kafka").hasMessage("option driver: got 'kafka', expected a comma-separated"
                + " list of messagingv2, messaging, log, noop");
        badOption("topics", " , ").hasMessageContaining("expected a comma-separated list of 1 to 64 names");
    }

    @Test
    void controlExchangeMustBeANonEmptyShortName() {
        badOption("control_exchange", "").hasMessageContaining("option control_exchange: got ''");
        badOption("control_exchange", "x".repeat(256)).hasMessageContaining("1 to 255 characters");
    }

    @Test
    void transportUrlOptionErrorsAreNamed() {
        badOption("transport_url", "").hasMessageContaining("option transport_url: the transport URL is empty");
        badOption("transport_url", "http://h1/").hasMessageContaining("option transport_url: transport URL:"
                + " scheme 'http'");
    }

    @Test
    void amqpsSchemeTurnsSslOn() {
        ConnectorConfig config = ConnectorConfig.fromUrl("amqps://u:p@h1/");
        assertThat(config.ssl()).isTrue();
        assertThat(config.options().get("ssl")).isEqualTo("false");
        assertThat(config.transportUrl().hosts().get(0).port()).isEqualTo(5671);
    }

    @Test
    void quorumAndHaQueuesExcludeEachOther() {
        assertThatThrownBy(() -> ConnectorConfig.builder()
                .option("rabbit_quorum_queue", true).option("rabbit_ha_queues", true).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rabbit_quorum_queue and rabbit_ha_queues are both true")
                .extracting(e -> ((ConfigException) e).option()).isEqualTo("rabbit_quorum_queue");
        assertThat(ConnectorConfig.builder().option("rabbit_ha_queues", true).build().durableQueues()).isFalse();
    }

    @Test
    void retryIntervalMaxCannotBeBelowTheInterval() {
        assertThatThrownBy(() -> ConnectorConfig.builder()
                .option("rabbit_retry_interval", 10).option("rabbit_interval_max", 5).build())
                .hasMessageContaining("option rabbit_interval_max: got 5, expected at least rabbit_retry_interval (10 s)");
    }

    @Test
    void poolMinimumCannotExceedPoolSize() {
        assertThatThrownBy(() -> ConnectorConfig.builder().option("rpc_conn_pool_size", 3)
                .option("conn_pool_min_size", 4).build())
                .hasMessageContaining("option conn_pool_min_size: got 4, expected at most rpc_conn_pool_size (3)");
    }

    @Test
    void clientCertificateNeedsItsKey() {
        assertThatThrownBy(() -> ConnectorConfig.builder().option("ssl_cert_file", "/c.pem").build())
                .hasMessageContaining("ssl_cert_file is set but ssl_key_file is not");
        assertThatThrownBy(() -> ConnectorConfig.builder().option("ssl_key_file", "/k.pem").build())
                .hasMessageContaining("ssl_key_file is set but ssl_cert_file is not");
        assertThat(ConnectorConfig.builder().option("ssl_cert_file", "/c.pem").option("ssl_key_file", "/k.pem")
                .build().sslCertFile()).isEqualTo("/c.pem");
    }

    @Test
    void aShortHeartbeatWorksWithTheDefaultConnectionTimeout() {
        // Heartbeats and the connect timeout are unrelated bounds: a 2 s heartbeat (the tests'
        // value) must not force a 2 s connect timeout.
        ConnectorConfig config = ConnectorConfig.builder().option("heartbeat_timeout_threshold", 2).build();
        assertThat(config.heartbeatTimeoutThreshold()).isEqualTo(2);
        assertThat(config.connectionTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void separateNotificationTransportIsRefused() {
        assertThatThrownBy(() -> ConnectorConfig.builder().transportUrl("rabbit://u:p@h1/")
                .option("notification_transport_url", "rabbit://u:s3cret@h2/").build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("a separate notification broker is not supported")
                .hasMessageNotContaining("s3cret");
        assertThat(ConnectorConfig.builder().transportUrl("rabbit://u:p@h1/")
                .option("oslo_messaging_notifications.transport_url", "rabbit://u:p@h1/").build()).isNotNull();
    }

    @Test
    void allHostsMustShareOneCredentialSet() {
        assertThat(ConnectorConfig.fromUrl("rabbit://u:p%40x@h1,u:p%40x@h2/").password()).isEqualTo("p@x");
        assertThat(ConnectorConfig.fromUrl("rabbit://h1,h2/").username()).isEqualTo("guest");
        assertThatThrownBy(() -> ConnectorConfig.fromUrl("rabbit://u1:s3cret@h1,u2:s3cret@h2/"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("hosts carry different credentials (u1@h1:5672 and u2@h2:5672)")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> ConnectorConfig.fromUrl("rabbit://u:s3cretA@h1,u:s3cretB@h2/"))
                .hasMessageContaining("hosts h1:5672 and h2:5672 have the same user 'u' but different passwords")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> ConnectorConfig.fromUrl("rabbit://u:s3cret@h1,h2/"))
                .hasMessageContaining("host h2:5672 has no credentials but u@h1:5672 has")
                .hasMessageContaining("guest/guest")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> ConnectorConfig.fromUrl("rabbit://:s3cret@h1/"))
                .hasMessageContaining("has a password but no user name")
                .hasMessageNotContaining("s3cret");
        assertThat(ConnectorConfig.fromUrl("rabbit://:@h1/").username()).isEqualTo("guest");
        assertThat(ConnectorConfig.fromUrl("rabbit://cert-user@h1/").password()).isEmpty();
    }

    @Test
    void nameRules() {
        assertThat(ConnectorConfig.builder().name("billing-api.v2_1").build().name()).isEqualTo("billing-api.v2_1");
        for (String bad : new String[] {"my app", "", "x".repeat(65), "é", null}) {
            assertThatThrownBy(() -> ConnectorConfig.builder().name(bad)).as(String.valueOf(bad))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("expected 1 to 64 characters from A-Z a-z 0-9 . _ -")
                    .extracting(e -> ((ConfigException) e).option()).isEqualTo("name");
        }
        assertThat(ConnectorConfig.builder().name("x".repeat(64)).build().name()).hasSize(64);
    }

    @Test
    void typedValuesConvert() {
        ConnectorConfig config = ConnectorConfig.builder()
                .option("heartbeat_timeout_threshold", Duration.ofSeconds(30))
                .option("warren_publish_timeout_ms", Duration.ofMillis(2500))
                .option("kombu_reconnect_delay", Duration.ofMillis(500))
                .option("rpc_ping_enabled", Boolean.TRUE)
                .option("topics", List.of("a", "b"))
                .option("kombu_failover_strategy", FailoverStrategy.SHUFFLE)
                .option("warren_rpc_reply_mode", ReplyMode.DIRECT)
                .option("transport_url", TransportUrl.parse("rabbit://h9/"))
                .option("warren_consumer_threads", 8)
                .build();
        assertThat(config.heartbeatTimeoutThreshold()).isEqualTo(30);
        assertThat(config.publishTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.kombuReconnectDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.rpcPingEnabled()).isTrue();
        assertThat(config.notificationTopics()).containsExactly("a", "b");
        assertThat(config.failoverStrategy()).isEqualTo(FailoverStrategy.SHUFFLE);
        assertThat(config.replyMode()).isEqualTo(ReplyMode.DIRECT);
        assertThat(config.transportUrl().hosts().get(0).hostname()).isEqualTo("h9");
        assertThat(config.consumerThreads()).isEqualTo(8);
    }

    @Test
    void typedValuesThatDoNotFitAreRefused() {
        assertThatThrownBy(() -> ConnectorConfig.builder().option("heartbeat_timeout_threshold", Duration.ofMillis(1500)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("option heartbeat_timeout_threshold: got a Duration of PT1.5S, expected whole seconds");
        assertThatThrownBy(() -> ConnectorConfig.builder().option("heartbeat_rate", Duration.ofSeconds(1)))
                .hasMessageContaining("not a time");
        assertThatThrownBy(() -> ConnectorConfig.builder().option("ssl", new Object()))
                .hasMessageContaining("option ssl: a value of type java.lang.Object cannot be converted");
        assertThatThrownBy(() -> ConnectorConfig.builder().option("ssl", TransportUrl.parse("rabbit://")))
                .hasMessageContaining("not a transport URL");
    }

    @Test
    void badValuesFailAtTheOptionCallNotOnlyAtBuild() {
        ConnectorConfig.Builder builder = ConnectorConfig.builder();
        assertThatThrownBy(() -> builder.option("ssl", "maybe")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> builder.transportUrl("rabbit://h1:x/")).isInstanceOf(ConfigException.class);
        assertThat(builder.build()).isEqualTo(ConnectorConfig.builder().build());
    }

    @Test
    void nullRestoresTheDefault() {
        ConnectorConfig config = ConnectorConfig.builder()
                .option("heartbeat_rate", "5").option("heartbeat_rate", (String) null).build();
        assertThat(config.heartbeatRate()).isEqualTo(2);
    }

    @Test
    void optionsMapSetsSeveral() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("control_exchange", "nova");
        given.put("rpc_response_timeout", "120");
        ConnectorConfig config = ConnectorConfig.builder().options(given).build();
        assertThat(config.controlExchange()).isEqualTo("nova");
        assertThat(config.rpcResponseTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void toBuilderRoundTripsAndEqualityIsByValue() {
        ConnectorConfig config = ConnectorConfig.builder().name("app")
                .transportUrl("rabbit://u:p@h1/").option("heartbeat_rate", 3).build();
        assertThat(config.toBuilder().build()).isEqualTo(config).hasSameHashCodeAs(config);
        ConnectorConfig changed = config.toBuilder().option("heartbeat_rate", 4).build();
        assertThat(changed.heartbeatRate()).isEqualTo(4);
        assertThat(config.heartbeatRate()).isEqualTo(3);
        assertThat(changed).isNotEqualTo(config);
        assertThat(config.toBuilder().name("other").build()).isNotEqualTo(config);
    }

    @Test
    void optionsMapIsUnmodifiableAndMasksUrls() {
        ConnectorConfig config = ConnectorConfig.fromUrl("rabbit://u:s3cret@h1/?ssl=true");
        assertThat(config.options().get("transport_url")).isEqualTo("rabbit://u:***@h1/?ssl=true");
        assertThat(config.options().get("ssl")).isEqualTo("true");
        assertThat(config.options().get("notification_transport_url")).isEmpty();
        assertThat(config.options().values()).allSatisfy(v -> assertThat(v).doesNotContain("s3cret"));
        assertThatThrownBy(() -> config.options().put("ssl", "false"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toStringShowsNameMaskedUrlAndChangedOptionsButNeverThePassword() {
        ConnectorConfig config = ConnectorConfig.builder().name("billing")
                .transportUrl("rabbit://user:p%40ss%3Aw0rd@rabbit1:5672,user:p%40ss%3Aw0rd@rabbit2/nova"
                        + "?heartbeat_timeout_threshold=30")
                .option("control_exchange", "nova")
                .build();
        assertThat(config.toString())
                .isEqualTo("ConnectorConfig{name=billing, transportUrl=rabbit://user:***@rabbit1:5672,"
                        + "user:***@rabbit2/nova?heartbeat_timeout_threshold=30, control_exchange=nova,"
                        + " heartbeat_timeout_threshold=30}")
                .doesNotContain("w0rd", "p@ss", "p%40ss");
        assertThat(ConnectorConfig.builder().build().toString())
                .isEqualTo("ConnectorConfig{name=warren, transportUrl=rabbit://}");
    }

    @Test
    void errorsFromAUrlWithAPasswordNeverContainIt() {
        for (String url : List.of(
                "rabbit://user:p%40ss%3Aw0rd@h1:99999/",
                "rabbit://user:p%40ss%3Aw0rd@h1/?no_such=1",
                "rabbit://user:p%40ss%3Aw0rd@h1/?ssl=maybe",
                "rabbit://user:p%40ss%3Aw0rd@h1,other:p%40ss%3Aw0rd@h2/")) {
            assertThatThrownBy(() -> ConnectorConfig.fromUrl(url)).as(url)
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("w0rd", "p@ss", "p%40ss"));
        }
    }
}
