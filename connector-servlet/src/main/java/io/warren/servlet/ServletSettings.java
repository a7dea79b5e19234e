package io.warren.servlet;

import jakarta.servlet.ServletContext;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Warren's settings for one webapp, from four sources, highest first: context init-params
 * {@code warren.*}, JNDI {@code java:comp/env/warren/*}, system properties {@code warren.*},
 * environment variables {@code WARREN_*} ({@code WARREN_HEARTBEAT_TIMEOUT_THRESHOLD} is
 * {@code warren.heartbeat_timeout_threshold}). Each value remembers where it came from, so an
 * error can name its source.
 */
final class ServletSettings {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();

    /**
     * System properties and the environment are shared by the whole JVM (other tools may use
     * {@code warren.*} names too), so there only known names are taken; a webapp's own
     * context-params and JNDI entries are its own, so there an unknown name is an error.
     */
    static ServletSettings read(ServletContext context, Map<String, String> env, Map<Object, Object> system,
                                Set<String> knownNames) {
        ServletSettings s = new ServletSettings();
        // Lowest first, so higher sources overwrite.
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey().startsWith("WARREN_")) {
                String key = e.getKey().substring("WARREN_".length()).toLowerCase(Locale.ROOT);
                if (knownNames.contains(key)) {
                    s.put(key, e.getValue(), "environment " + e.getKey());
                }
            }
        }
        for (Map.Entry<Object, Object> e : system.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (key.startsWith("warren.") && knownNames.contains(key.substring("warren.".length()))) {
                s.put(key.substring("warren.".length()), String.valueOf(e.getValue()), "system property " + key);
            }
        }
        s.readJndi();
        for (String name : java.util.Collections.list(context.getInitParameterNames())) {
            if (name.startsWith("warren.")) {
                s.put(name.substring("warren.".length()), context.getInitParameter(name), "context-param " + name);
            }
        }
        return s;
    }

    private void readJndi() {
        try {
            InitialContext jndi = new InitialContext();
            try {
                var names = jndi.listBindings("java:comp/env/warren");
                while (names.hasMore()) {
                    var b = names.next();
                    put(b.getName(), String.valueOf(b.getObject()), "JNDI java:comp/env/warren/" + b.getName());
                }
            } finally {
                jndi.close();
            }
        } catch (NamingException | RuntimeException e) {
            // No JNDI, or no warren entries: nothing to read here.
        }
    }

    private void put(String key, String value, String source) {
        values.put(key, value);
        sources.put(key, source);
    }

    String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    /** @return where a setting came from, for error messages */
    String source(String key) {
        return sources.getOrDefault(key, "default");
    }

    /** @return every setting that is a connector option (all but Warren's servlet-level ones) */
    Map<String, String> options(Function<String, Boolean> isServletSetting) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!isServletSetting.apply(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
