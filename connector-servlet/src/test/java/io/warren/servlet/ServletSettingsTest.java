package io.warren.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ServletContext;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ServletSettingsTest {

    /** A ServletContext at {@code /shop} that answers init-parameter and attribute questions only. */
    static ServletContext context(Map<String, String> params) {
        return context("/shop", params);
    }

    /** A ServletContext that answers init-parameter and attribute questions only. */
    static ServletContext context(String path, Map<String, String> params) {
        Map<String, Object> attributes = new java.util.concurrent.ConcurrentHashMap<>();
        return (ServletContext) Proxy.newProxyInstance(ServletSettingsTest.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getInitParameterNames" -> Collections.enumeration(params.keySet());
                    case "getInitParameter" -> params.get((String) args[0]);
                    case "getContextPath" -> path;
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "getAttributeNames" -> Collections.enumeration(attributes.keySet());
                    case "setAttribute" -> attributes.put((String) args[0], args[1]) == null ? null : null;
                    case "removeAttribute" -> attributes.remove((String) args[0]) == null ? null : null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void contextParamsBeatSystemPropertiesWhichBeatTheEnvironment() {
        Properties system = new Properties();
        system.setProperty("warren.heartbeat_timeout_threshold", "20");
        system.setProperty("warren.control_exchange", "from-system");
        ServletSettings s = ServletSettings.read(context(Map.of("warren.control_exchange", "from-web-xml")),
                Map.of("WARREN_HEARTBEAT_TIMEOUT_THRESHOLD", "30", "WARREN_URL", "rabbit://env-host/"), system);

        assertThat(s.get("control_exchange", null)).isEqualTo("from-web-xml");
        assertThat(s.source("control_exchange")).isEqualTo("context-param warren.control_exchange");
        assertThat(s.get("heartbeat_timeout_threshold", null)).isEqualTo("20");
        assertThat(s.source("heartbeat_timeout_threshold")).isEqualTo("system property warren.heartbeat_timeout_threshold");
        assertThat(s.get("url", null)).isEqualTo("rabbit://env-host/");
        assertThat(s.source("url")).isEqualTo("environment WARREN_URL");
    }

    @Test
    void unknownNamesAreIgnoredInJvmWideSourcesAndNearMissesSaidOnce() {
        Properties system = new Properties();
        system.setProperty("warren.it.broker", "embedded"); // some other tool's setting
        system.setProperty("warren.heartbeat_timeout_treshold", "5");
        ServletSettings s = ServletSettings.read(context(Map.of()),
                Map.of("WARREN_IT_NO_SKIP", "1", "WARREN_HEALTH_ENABLE", "true"), system);

        assertThat(s.options()).isEmpty();
        assertThat(s.get(ServletSetting.HEALTH_ENABLED)).isEqualTo("false");
        assertThat(s.warnings()).containsExactlyInAnyOrder(
                "environment WARREN_HEALTH_ENABLE is not a Warren setting (did you mean WARREN_HEALTH_ENABLED?); ignored",
                "system property warren.heartbeat_timeout_treshold is not a Warren setting (did you mean"
                        + " warren.heartbeat_timeout_threshold?); ignored");
    }

    @Test
    void anUnknownNameInTheWebappsOwnSettingsFailsWithTheClosestKnownOnes() {
        assertThatThrownBy(() -> ServletSettings.read(context(Map.of("warren.health.enable", "true")), Map.of(),
                new Properties()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("setting warren.health.enable (context-param warren.health.enable) is unknown;"
                        + " did you mean warren.health.enabled?")
                .hasMessageContaining("warren.rpc.servers")
                .hasMessageContaining("docs/CONFIGURATION.md");
        assertThatThrownBy(() -> ServletSettings.read(context(Map.of("warren.publish_timout_ms", "5")), Map.of(),
                new Properties()))
                .hasMessageContaining("did you mean warren.publish_timeout_ms?");
    }

    @Test
    void theEnvironmentReachesEverySettingAndWarrensOwnOptionsWithoutTheDoubledPrefix() {
        ServletSettings s = ServletSettings.read(context(Map.of()), Map.of(
                "WARREN_HEALTH_ENABLED", "true",
                "WARREN_HEALTH_PATH", "/health",
                "WARREN_RPC_SERVERS", "compute = com.example.Compute",
                "WARREN_REQUEST_ID_ENABLED", "false",
                "WARREN_PUBLISH_TIMEOUT_MS", "3000",
                "WARREN_CALL_EXPIRATION", "false"), new Properties());

        assertThat(s.get(ServletSetting.HEALTH_ENABLED)).isEqualTo("true");
        assertThat(s.get(ServletSetting.HEALTH_PATH)).isEqualTo("/health");
        assertThat(s.get(ServletSetting.REQUEST_ID_ENABLED)).isEqualTo("false");
        assertThat(s.get(DeclaredEndpoints.RPC_SERVERS, "")).isEqualTo("compute = com.example.Compute");
        assertThat(s.source(DeclaredEndpoints.RPC_SERVERS)).isEqualTo("environment WARREN_RPC_SERVERS");
        assertThat(s.options()).containsOnly(Map.entry("warren_publish_timeout_ms", "3000"),
                Map.entry("warren_call_expiration", "false"));
        assertThat(s.warnings()).isEmpty();
    }

    @Test
    void theDoubledPrefixStillWorksWithAWarning() {
        Properties system = new Properties();
        system.setProperty("warren.warren_consumer_threads", "8");
        ServletSettings s = ServletSettings.read(context(Map.of("warren.warren_publish_timeout_ms", "3000")),
                Map.of("WARREN_WARREN_SHUTDOWN_TIMEOUT_MS", "2000"), system);

        assertThat(s.options()).containsOnly(Map.entry("warren_publish_timeout_ms", "3000"),
                Map.entry("warren_consumer_threads", "8"), Map.entry("warren_shutdown_timeout_ms", "2000"));
        assertThat(s.warnings()).containsExactlyInAnyOrder(
                "environment WARREN_WARREN_SHUTDOWN_TIMEOUT_MS: the doubled prefix is an old spelling; write"
                        + " WARREN_SHUTDOWN_TIMEOUT_MS (option warren_shutdown_timeout_ms)",
                "system property warren.warren_consumer_threads: the doubled prefix is an old spelling; write"
                        + " warren.consumer_threads (option warren_consumer_threads)",
                "context-param warren.warren_publish_timeout_ms: the doubled prefix is an old spelling; write"
                        + " warren.publish_timeout_ms (option warren_publish_timeout_ms)");
    }

    @Test
    void theListenersOwnSettingsAreCheckedNamingTheirSource() {
        ServletSettings s = ServletSettings.read(context(Map.of("warren.startup", "later", "warren.health.enabled", "sure",
                "warren.health.path", "health")), Map.of(), new Properties());

        assertThatThrownBy(() -> s.get(ServletSetting.STARTUP))
                .hasMessage("setting warren.startup (context-param warren.startup): got 'later', expected eager or lazy");
        assertThatThrownBy(() -> s.get(ServletSetting.HEALTH_ENABLED))
                .hasMessage("setting warren.health.enabled (context-param warren.health.enabled): got 'sure',"
                        + " expected true or false (also yes/no, on/off, 1/0)");
        assertThatThrownBy(() -> s.get(ServletSetting.HEALTH_PATH)).hasMessageContaining("expected a path starting with /");
    }

    @Test
    void aBadSettingFailsTheDeploymentNamingItsSource() {
        WarrenContextListener listener = new WarrenContextListener();
        ServletContext ctx = context(Map.of("warren.heartbeat_timeout_threshold", "soon"));
        jakarta.servlet.ServletContextEvent event = new jakarta.servlet.ServletContextEvent(ctx);

        assertThatThrownBy(() -> listener.contextInitialized(event))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("heartbeat_timeout_threshold")
                .hasMessageContaining("'soon'")
                .hasMessageContaining("context-param warren.heartbeat_timeout_threshold");
    }

    @Test
    void theConnectorIsNamedAfterTheContextPath() {
        assertThat(WarrenContextListener.defaultName("/shop")).isEqualTo("shop");
        assertThat(WarrenContextListener.defaultName("")).isEqualTo("ROOT");
        assertThat(WarrenContextListener.defaultName("/a b/c")).isEqualTo("a-b-c");
    }
}
