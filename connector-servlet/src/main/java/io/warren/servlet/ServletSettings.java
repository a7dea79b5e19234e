package io.warren.servlet;

import io.warren.ConfigOption;
import jakarta.servlet.ServletContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Warren's settings for one webapp, from four sources, highest first: context init-params
 * {@code warren.<key>}, JNDI {@code java:comp/env/warren/<key>}, system properties
 * {@code warren.<key>}, environment variables {@code WARREN_<KEY>} (upper case, dots as
 * underscores: {@code WARREN_HEALTH_ENABLED} is {@code warren.health.enabled}).
 *
 * <p>A key is one of the listener's own settings ({@link ServletSetting}), or a connector option:
 * oslo's options by their names ({@code warren.heartbeat_timeout_threshold}), Warren's own
 * without their {@code warren_} ({@code warren.publish_timeout_ms} is option
 * {@code warren_publish_timeout_ms}). The doubled prefix ({@code warren.warren_publish_timeout_ms},
 * {@code WARREN_WARREN_PUBLISH_TIMEOUT_MS}) still works, with a warning.
 *
 * <p>Each value remembers where it came from, so an error can name its source, never its value.
 */
final class ServletSettings {
    private static final String PREFIX = "warren.";
    private static final String ENV_PREFIX = "WARREN_";
    private static final String OWN_OPTION_PREFIX = "warren_";

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    /**
     * System properties and the environment are shared by the whole JVM (other tools may use
     * {@code warren.*} names too), so there only known names are taken, and a near miss is a
     * warning; a webapp's own context-params and JNDI entries are its own, so there an unknown
     * name is an error.
     *
     * @throws IllegalArgumentException naming the unknown setting, its source and the close names
     */
    static ServletSettings read(ServletContext context, Map<String, String> env, Map<Object, Object> system) {
        ServletSettings s = new ServletSettings();
        // Lowest first, so higher sources overwrite.
        Map<String, String> byEnvName = envNames();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String variable = e.getKey();
            if (!variable.startsWith(ENV_PREFIX)) {
                continue;
            }
            String key = byEnvName.get(variable);
            if (key != null) {
                s.put(key, e.getValue(), "environment " + variable, variable.startsWith(ENV_PREFIX + "WARREN_"));
            } else {
                s.nearMiss("environment " + variable, variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT),
                        byEnvName);
            }
        }
        for (Map.Entry<Object, Object> e : system.entrySet()) {
            String property = String.valueOf(e.getKey());
            if (!property.startsWith(PREFIX)) {
                continue;
            }
            String given = property.substring(PREFIX.length());
            String key = keyOf(given);
            if (key != null) {
                s.put(key, String.valueOf(e.getValue()), "system property " + property, isDoubled(given));
            } else {
                s.nearMiss("system property " + property, given, null);
            }
        }
        s.readJndi();
        for (String name : Collections.list(context.getInitParameterNames())) {
            if (name.startsWith(PREFIX)) {
                s.putOwn(name.substring(PREFIX.length()), context.getInitParameter(name), "context-param " + name);
            }
        }
        return s;
    }

    private void readJndi() {
        Map<String, String> found = new LinkedHashMap<>();
        try {
            InitialContext jndi = new InitialContext();
            try {
                var names = jndi.listBindings("java:comp/env/warren");
                while (names.hasMore()) {
                    var b = names.next();
                    found.put(b.getName(), String.valueOf(b.getObject()));
                }
            } finally {
                jndi.close();
            }
        } catch (NamingException | RuntimeException e) {
            // No JNDI, or no warren entries: nothing to read here.
        }
        found.forEach((name, value) -> putOwn(name, value, "JNDI java:comp/env/warren/" + name));
    }

    /** A setting from the webapp's own sources: an unknown name fails the deployment. */
    private void putOwn(String given, String value, String source) {
        String key = keyOf(given);
        if (key == null) {
            List<String> close = ConfigOption.similarNames(given, servletKeys());
            throw new IllegalArgumentException("setting warren." + given + " (" + source + ") is unknown"
                    + (close.isEmpty() ? "" : "; did you mean " + joined(close, PREFIX) + "?")
                    + "; the settings are " + joined(ownKeys(), PREFIX) + " and the connector options"
                    + " (warren.<option>, Warren's own without warren_), all listed in docs/CONFIGURATION.md");
        }
        put(key, value, source, isDoubled(given));
    }

    private void put(String key, String value, String source, boolean doubled) {
        // Re-inserted, so options reach the connector in the order of their sources, highest last.
        values.remove(key);
        values.put(key, value);
        sources.put(key, source);
        if (doubled) {
            warnings.add(source + ": the doubled prefix is an old spelling; write "
                    + (source.startsWith("environment") ? envName(servletKey(key)) : PREFIX + servletKey(key))
                    + " (option " + key + ")");
        }
    }

    /** A JVM-wide name that is no setting but close to one: said once, then ignored. */
    private void nearMiss(String source, String given, Map<String, String> byEnvName) {
        if (byEnvName != null) {
            List<String> lower = new ArrayList<>();
            for (String variable : byEnvName.keySet()) {
                lower.add(variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT));
            }
            List<String> close = ConfigOption.similarNames(given, lower);
            if (!close.isEmpty()) {
                List<String> shown = new ArrayList<>();
                close.forEach(c -> shown.add(ENV_PREFIX + c.toUpperCase(Locale.ROOT)));
                warnings.add(source + " is not a Warren setting (did you mean " + String.join(" or ", shown)
                        + "?); ignored");
            }
            return;
        }
        List<String> close = ConfigOption.similarNames(given, servletKeys());
        if (!close.isEmpty()) {
            warnings.add(source + " is not a Warren setting (did you mean " + joined(close, PREFIX) + "?); ignored");
        }
    }

    /**
     * @param given a key as written after {@code warren.}, any case
     * @return the listener's setting key or the connector option's name it means, or null
     */
    static String keyOf(String given) {
        String key = given.strip();
        if (ServletSetting.of(key) != null) {
            return key;
        }
        ConfigOption own = ConfigOption.named(OWN_OPTION_PREFIX + key);
        if (own != null && own.group().equals("warren")) {
            return own.name();
        }
        ConfigOption option = ConfigOption.named(key);
        if (option != null) {
            // An oslo alias keeps its spelling: the connector warns about names oslo 18 dropped.
            return key.toLowerCase(Locale.ROOT).startsWith(OWN_OPTION_PREFIX) ? option.name() : key.toLowerCase(Locale.ROOT);
        }
        return null;
    }

    private static boolean isDoubled(String given) {
        String key = given.strip().toLowerCase(Locale.ROOT);
        ConfigOption option = ConfigOption.named(key);
        return key.startsWith(OWN_OPTION_PREFIX) && option != null && option.group().equals("warren");
    }

    /**
     * @param option a connector option
     * @return its key in a webapp: oslo's name, Warren's own options without {@code warren_}
     */
    static String servletKey(ConfigOption option) {
        return option.group().equals("warren") ? option.name().substring(OWN_OPTION_PREFIX.length()) : option.name();
    }

    private static String servletKey(String key) {
        ConfigOption option = ServletSetting.of(key) == null ? ConfigOption.named(key) : null;
        return option == null ? key : servletKey(option);
    }

    /** @return the environment variable of a key: {@code WARREN_} and the key in upper case, dots as underscores */
    static String envName(String servletKey) {
        return ENV_PREFIX + servletKey.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** Every environment variable Warren reads, to the key it sets; the doubled prefix included. */
    private static Map<String, String> envNames() {
        Map<String, String> out = new LinkedHashMap<>();
        for (ServletSetting s : ServletSetting.values()) {
            out.put(envName(s.key), s.key);
        }
        for (ConfigOption option : ConfigOption.all()) {
            out.putIfAbsent(envName(servletKey(option)), option.name());
            out.putIfAbsent(envName(option.name()), option.name());
        }
        return out;
    }

    /** @return the keys a webapp writes: the listener's settings, then every option's key */
    static List<String> servletKeys() {
        List<String> keys = ownKeys();
        for (ConfigOption option : ConfigOption.all()) {
            keys.add(servletKey(option));
        }
        return keys;
    }

    private static List<String> ownKeys() {
        List<String> keys = new ArrayList<>();
        for (ServletSetting s : ServletSetting.values()) {
            keys.add(s.key);
        }
        return keys;
    }

    private static String joined(List<String> keys, String prefix) {
        List<String> out = new ArrayList<>();
        keys.forEach(k -> out.add(prefix + k));
        return String.join(keys.size() == 2 && prefix.isEmpty() ? " or " : ", ", out);
    }

    /**
     * @param setting one of the listener's settings
     * @return its value, checked, or its default
     * @throws IllegalArgumentException naming the setting and its source when the value is bad
     */
    String get(ServletSetting setting) {
        String raw = values.get(setting.key);
        if (raw == null) {
            return setting.defaultValue;
        }
        try {
            return setting.check(raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting warren." + setting.key + " (" + source(setting.key) + "): "
                    + e.getMessage(), e);
        }
    }

    /** @return a setting's raw value, or {@code fallback} */
    String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    /** @return where a setting came from, for error messages */
    String source(String key) {
        return sources.getOrDefault(key, "default");
    }

    /**
     * @param optionName a connector option's name, as a {@link io.warren.ConfigException} names it
     * @return the key it was read under (an alias, say), or the name itself when it was not read
     */
    String keyOfOption(String optionName) {
        ConfigOption option = ConfigOption.named(optionName);
        for (String key : values.keySet()) {
            if (option != null && ServletSetting.of(key) == null && ConfigOption.named(key) == option) {
                return key;
            }
        }
        return optionName;
    }

    /** @return what a setting is called where it came from, e.g. {@code warren.publish_timeout_ms} */
    String spelling(String key) {
        String source = sources.get(key);
        if (source == null) {
            return PREFIX + servletKey(key);
        }
        return source.substring(source.lastIndexOf(' ') + 1);
    }

    /** @return lines to log once: old spellings and near misses in the JVM-wide sources */
    List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** @return every setting that is a connector option, by option name (or alias), in the order read */
    Map<String, String> options() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (ServletSetting.of(e.getKey()) == null) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
