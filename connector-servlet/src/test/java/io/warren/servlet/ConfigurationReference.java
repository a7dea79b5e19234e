package io.warren.servlet;

import io.warren.ConfigOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes docs/CONFIGURATION.md from the two tables, the connector's options
 * ({@link ConfigOption#all()}) and the listener's settings ({@link ServletSetting}), with the
 * spellings {@link ServletSettings} reads. Nothing in it is typed by hand but the headings, so it
 * cannot drift from the code; {@link ConfigurationReferenceTest} fails when the committed copy
 * differs.
 */
final class ConfigurationReference {
    private static final Map<String, String> GROUP_TITLES = new LinkedHashMap<>();

    static {
        GROUP_TITLES.put("DEFAULT", "oslo `[DEFAULT]`");
        GROUP_TITLES.put("oslo_messaging_rabbit", "oslo `[oslo_messaging_rabbit]`");
        GROUP_TITLES.put("oslo_messaging_notifications", "oslo `[oslo_messaging_notifications]`");
        GROUP_TITLES.put("warren", "Warren's own");
    }

    private ConfigurationReference() {
    }

    static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Configuration reference\n\n");
        out.append("<!-- Generated from io.warren.ConfigOption and io.warren.servlet.ServletSetting by\n"
                + "     ConfigurationReferenceTest; do not edit. The build fails when this file differs from what the\n"
                + "     code generates; rewrite it with:\n"
                + "     mvn -B -q verify -pl connector-servlet -am -DskipITs -Dwarren.updateDocs=true -->\n\n");
        out.append("Every setting Warren reads. A connector built in code takes the options by name:\n"
                + "`ConnectorConfig.builder().option(\"heartbeat_timeout_threshold\", \"30\")`; names are matched\n"
                + "ignoring case, oslo's deprecated names and `group.name` work too, and an unknown name is an error\n"
                + "naming the closest known ones. A transport URL's query sets options of `[oslo_messaging_rabbit]`,\n"
                + "as in oslo.\n\n");
        out.append("In a webapp (`WarrenContextListener`) every setting has four spellings, highest first:\n\n"
                + "1. context-param `warren.<key>` in web.xml,\n"
                + "2. JNDI `java:comp/env/warren/<key>`,\n"
                + "3. system property `warren.<key>`,\n"
                + "4. environment variable `WARREN_<KEY>`: the key in upper case, dots as underscores.\n\n"
                + "The key of an oslo option is its name; Warren's own options drop their `warren_`\n"
                + "(`warren.publish_timeout_ms`, `WARREN_PUBLISH_TIMEOUT_MS` for `warren_publish_timeout_ms`). The\n"
                + "doubled prefix (`warren.warren_publish_timeout_ms`, `WARREN_WARREN_PUBLISH_TIMEOUT_MS`) still\n"
                + "works and logs a warning. System properties and the environment are shared by the whole JVM,\n"
                + "so only known names are taken from them (a near miss is logged); in context-params and JNDI an\n"
                + "unknown name fails the deployment with the closest known ones. Errors name the setting and\n"
                + "where it came from, never a password.\n\n");

        out.append("## The webapp's settings\n\n");
        for (ServletSetting s : ServletSetting.values()) {
            out.append("### `").append(s.key).append("`\n\n").append(text(s.help)).append("\n\n");
            out.append("- ").append(s.kind == ServletSetting.Kind.STRING ? "string" : s.kind == ServletSetting.Kind.BOOL
                    ? "boolean" : s.kind == ServletSetting.Kind.PATH ? "path" : "choice");
            out.append("; default ").append(s.defaultValue.isEmpty() ? "empty" : "`" + s.defaultValue + "`");
            if (!s.allowed().isEmpty()) {
                out.append("; allowed: ").append(text(s.allowed()));
            }
            out.append("\n");
            spellings(out, s.key);
            out.append("\n");
        }

        String group = null;
        for (ConfigOption option : ConfigOption.all()) {
            if (!option.group().equals(group)) {
                group = option.group();
                out.append("## Options: ").append(GROUP_TITLES.getOrDefault(group, "`[" + group + "]`")).append("\n\n");
            }
            out.append("### `").append(option.name()).append("`\n\n").append(text(option.description())).append("\n\n");
            out.append("- ").append(option.type());
            if (!option.unit().isEmpty()) {
                out.append(", ").append(option.unit());
            }
            out.append("; default ").append(option.defaultValue().isEmpty() ? "unset" : "`" + option.defaultValue() + "`");
            if (!option.allowedValues().isEmpty()) {
                out.append("; allowed: ").append(text(option.allowedValues()));
            }
            out.append("\n");
            spellings(out, ServletSettings.servletKey(option));
            if (option.group().equals("oslo_messaging_rabbit")) {
                out.append("- in a transport URL's query: `?").append(option.name()).append("=`\n");
            }
            if (!option.osloName().equals(option.name())) {
                out.append("- oslo's name: `[").append(option.group()).append("] ").append(option.osloName()).append("`\n");
            }
            List<String> deprecated = option.deprecatedNames();
            if (!deprecated.isEmpty()) {
                out.append("- oslo's deprecated names, accepted: ");
                for (int i = 0; i < deprecated.size(); i++) {
                    out.append(i == 0 ? "" : ", ").append('`').append(deprecated.get(i)).append('`');
                }
                out.append("\n");
            }
            if (option.deprecation() != null) {
                out.append("- oslo.messaging 18: ").append(text(option.deprecation())).append("\n");
            }
            out.append("\n");
        }
        return out.toString().stripTrailing() + "\n";
    }

    private static void spellings(StringBuilder out, String key) {
        out.append("- context-param `warren.").append(key).append("`, JNDI `java:comp/env/warren/").append(key)
                .append("`, system property `warren.").append(key).append("`, environment `")
                .append(ServletSettings.envName(key)).append("`\n");
    }

    /** Plain text for markdown: an angle bracket would start an HTML tag. */
    private static String text(String plain) {
        return plain.replace("<", "&lt;").replace(">", "&gt;");
    }
}
