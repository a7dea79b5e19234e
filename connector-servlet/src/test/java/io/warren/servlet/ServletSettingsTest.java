package io.warren.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ServletContext;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServletSettingsTest {
    private static final Set<String> KNOWN = Set.of("url", "heartbeat_timeout_threshold", "control_exchange", "name");

    /** A ServletContext that answers init-parameter questions only. */
    static ServletContext context(Map<String, String> params) {
        return (ServletContext) Proxy.newProxyInstance(ServletSettingsTest.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getInitParameterNames" -> Collections.enumeration(params.keySet());
                    case "getInitParameter" -> params.get((String) args[0]);
                    case "getContextPath" -> "/shop";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void contextParamsBeatSystemPropertiesWhichBeatTheEnvironment() {
        Properties system = new Properties();
        system.setProperty("warren.heartbeat_timeout_threshold", "20");
        system.setProperty("warren.control_exchange", "from-system");
        ServletSettings s = ServletSettings.read(context(Map.of("warren.control_exchange", "from-web-xml")),
                Map.of("WARREN_HEARTBEAT_TIMEOUT_THRESHOLD", "30", "WARREN_URL", "rabbit://env-host/"), system, KNOWN);

        assertThat(s.get("control_exchange", null)).isEqualTo("from-web-xml");
        assertThat(s.source("control_exchange")).isEqualTo("context-param warren.control_exchange");
        assertThat(s.get("heartbeat_timeout_threshold", null)).isEqualTo("20");
        assertThat(s.source("heartbeat_timeout_threshold")).isEqualTo("system property warren.heartbeat_timeout_threshold");
        assertThat(s.get("url", null)).isEqualTo("rabbit://env-host/");
        assertThat(s.source("url")).isEqualTo("environment WARREN_URL");
    }

    @Test
    void unknownNamesAreIgnoredInJvmWideSourcesButKeptFromTheWebappsOwn() {
        Properties system = new Properties();
        system.setProperty("warren.it.broker", "embedded"); // some other tool's setting
        ServletSettings s = ServletSettings.read(context(Map.of("warren.heartbeat_timout", "5")),
                Map.of("WARREN_IT_NO_SKIP", "1"), system, KNOWN);

        assertThat(s.options(k -> false)).containsOnlyKeys("heartbeat_timout");
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
