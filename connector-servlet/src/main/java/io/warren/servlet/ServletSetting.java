package io.warren.servlet;

import java.util.Locale;

/**
 * The listener's own settings, beside the connector's options ({@link io.warren.ConfigOption}): one
 * table from which reading, checking, the "did you mean" of an unknown name and the configuration
 * reference come. Each is written {@code warren.<key>} (context-param, system property),
 * {@code java:comp/env/warren/<key>} (JNDI) or {@code WARREN_<KEY>} (environment, dots as
 * underscores); see {@link ServletSettings}.
 */
enum ServletSetting {
    ENABLED("enabled", Kind.BOOL, "true",
            "false: the listener makes nothing (no connector, health servlet, filter or MBean) and logs one"
                    + " line; the names of the other warren.* settings are still checked. Turns off the listener"
                    + " that the jar's web-fragment.xml registers and a web.xml line alike; as a system property"
                    + " or in the environment, in every webapp of the JVM."),
    URL("url", Kind.STRING, "rabbit://",
            "The broker's transport URL: the option transport_url, under a shorter name."),
    NAME("name", Kind.STRING, "",
            "The connector's name, in thread, connection and JMX names; empty means the context path"
                    + " (/shop becomes shop, the root webapp ROOT)."),
    STARTUP("startup", Kind.STARTUP, "eager",
            "eager: a bad URL or a broker that is down fails the deployment. lazy: connect in the"
                    + " background, health DOWN until connected; declared endpoints start on the first connect."),
    HEALTH_ENABLED("health.enabled", Kind.BOOL, "false",
            "Adds the JSON health servlet: 200 for UP and DEGRADED, 503 for DOWN."),
    HEALTH_PATH("health.path", Kind.PATH, "/warren/health",
            "Where the health servlet answers, within the webapp."),
    REQUEST_ID_ENABLED("request_id.enabled", Kind.BOOL, "true",
            "The request-id filter: every RPC call made while serving a request carries its"
                    + " X-OpenStack-Request-ID (or a new req-<uuid>) as request_id."),
    TRACING_HTTP_ENABLED("tracing.http.enabled", Kind.BOOL, "true",
            "With an ObservationRegistry in the context attribute io.warren.observationRegistry: one"
                    + " observation per HTTP request, the parent of the RPC calls and notifications made while"
                    + " serving it (steps aside when the application's own HTTP observation is current)."),
    RPC_SERVERS(DeclaredEndpoints.RPC_SERVERS, Kind.STRING, "",
            "RPC servers by class name, one topic per line or ';': topic = com.example.Endpoint[, ...]."
                    + " Classes need a public constructor taking the ServletContext, or none."),
    NOTIFICATION_LISTENERS(DeclaredEndpoints.NOTIFICATION_LISTENERS, Kind.STRING, "",
            "NotificationEndpoint classes, comma-separated, served by one listener on the notification"
                    + " topics of control_exchange."),
    NOTIFICATION_POOL(DeclaredEndpoints.NOTIFICATION_POOL, Kind.STRING, "",
            "The declared listener's pool: listeners of one pool share the notifications; empty: none.");

    /** How a value is checked. */
    enum Kind {
        STRING, BOOL, STARTUP, PATH
    }

    final String key;
    final Kind kind;
    final String defaultValue;
    final String help;

    ServletSetting(String key, Kind kind, String defaultValue, String help) {
        this.key = key;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.help = help;
    }

    /** @return the setting of that key, or null */
    static ServletSetting of(String key) {
        for (ServletSetting s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        return null;
    }

    /** @return the allowed values in words, for the reference and for errors */
    String allowed() {
        switch (kind) {
            case BOOL:
                return "true, false (also yes/no, on/off, 1/0)";
            case STARTUP:
                return "eager, lazy";
            case PATH:
                return "a path starting with /";
            default:
                return "";
        }
    }

    /**
     * @param raw the value as written
     * @return the value to use: booleans and startup in lower case, others as they are
     * @throws IllegalArgumentException saying what is allowed
     */
    String check(String raw) {
        String value = raw.strip();
        switch (kind) {
            case BOOL:
                // The words the connector's boolean options take, too.
                switch (value.toLowerCase(Locale.ROOT)) {
                    case "true": case "1": case "yes": case "on":
                        return "true";
                    case "false": case "0": case "no": case "off":
                        return "false";
                    default:
                        throw new IllegalArgumentException("got '" + raw + "', expected true or false"
                                + " (also yes/no, on/off, 1/0)");
                }
            case STARTUP: {
                String v = value.toLowerCase(Locale.ROOT);
                if (!v.equals("eager") && !v.equals("lazy")) {
                    throw new IllegalArgumentException("got '" + raw + "', expected eager or lazy");
                }
                return v;
            }
            case PATH:
                if (!value.startsWith("/") || value.contains("*") || value.indexOf(' ') >= 0) {
                    throw new IllegalArgumentException("got '" + raw + "', expected a path starting with /"
                            + " and without * or spaces, e.g. /warren/health");
                }
                return value;
            default:
                return raw;
        }
    }
}
