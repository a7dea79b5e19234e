package io.warren.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warren.NotificationEndpoint;
import jakarta.servlet.ServletContext;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DeclaredEndpointsTest {

    public static class Plain {
    }

    public static class NeedsContext {
        public final ServletContext context;

        public NeedsContext(ServletContext context) {
            this.context = context;
        }
    }

    public static class Audit implements NotificationEndpoint {
    }

    public static class Fussy {
        public Fussy(String setting) {
        }
    }

    public static class Exploding {
        public Exploding() {
            throw new IllegalStateException("no database");
        }
    }

    private static ServletContext context(Map<String, String> params) {
        return (ServletContext) Proxy.newProxyInstance(DeclaredEndpointsTest.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getInitParameterNames" -> Collections.enumeration(params.keySet());
                    case "getInitParameter" -> params.get((String) args[0]);
                    case "getContextPath" -> "/shop";
                    case "getClassLoader" -> DeclaredEndpointsTest.class.getClassLoader();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static DeclaredEndpoints read(Map<String, String> params) {
        ServletContext ctx = context(params);
        return DeclaredEndpoints.read(ServletSettings.read(ctx, Map.of(), new Properties()), ctx);
    }

    private static String name(Class<?> c) {
        return c.getName();
    }

    @Test
    void readsOneServerPerTopicAndTheNotificationEndpoints() {
        DeclaredEndpoints d = read(Map.of(
                "warren.rpc.servers", "\n  compute = " + name(Plain.class) + "\n  scheduler = " + name(NeedsContext.class)
                        + ", " + name(Plain.class) + "\n",
                "warren.notification.listeners", name(Audit.class)));

        assertThat(d.isEmpty()).isFalse();
        assertThat(d.toString()).isEqualTo("rpc servers [compute, scheduler], notification endpoints 1");
    }

    @Test
    void nothingDeclaredIsEmpty() {
        assertThat(read(Map.of()).isEmpty()).isTrue();
    }

    @Test
    void eachMistakeNamesTheSettingItsSourceAndWhatIsWrong() {
        assertThatThrownBy(() -> read(Map.of("warren.rpc.servers", "compute " + name(Plain.class))))
                .hasMessage("warren.rpc.servers (context-param warren.rpc.servers): 'compute " + name(Plain.class)
                        + "' is not 'topic = endpoint class[, class...]'");
        assertThatThrownBy(() -> read(Map.of("warren.rpc.servers", "compute = com.example.Missing")))
                .hasMessageContaining("class com.example.Missing is not in this webapp");
        assertThatThrownBy(() -> read(Map.of("warren.rpc.servers", "compute = ")))
                .hasMessageContaining("topic 'compute' has no endpoint class");
        assertThatThrownBy(() -> read(Map.of("warren.rpc.servers", "a = " + name(Plain.class) + "; a = " + name(Plain.class))))
                .hasMessageContaining("topic 'a' is declared twice");
        assertThatThrownBy(() -> read(Map.of("warren.rpc.servers", "compute = " + name(Fussy.class))))
                .hasMessageContaining("needs a public constructor taking a ServletContext, or one taking nothing");
        assertThatThrownBy(() -> read(Map.of("warren.rpc.servers", "compute = " + name(Exploding.class))))
                .hasMessageContaining("the constructor of " + name(Exploding.class) + " failed")
                .hasMessageContaining("no database");
        assertThatThrownBy(() -> read(Map.of("warren.notification.listeners", name(Plain.class))))
                .hasMessage("warren.notification.listeners (context-param warren.notification.listeners): class "
                        + name(Plain.class) + " does not implement io.warren.NotificationEndpoint");
    }
}
