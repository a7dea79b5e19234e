package io.warren.servlet;

import io.warren.Connector;
import io.warren.NotificationEndpoint;
import io.warren.Target;
import jakarta.servlet.ServletContext;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The RPC servers and notification listeners a webapp declares in web.xml, so that serving a
 * topic needs no code of its own:
 *
 * <pre>{@code
 * <context-param>
 *   <param-name>warren.rpc.servers</param-name>
 *   <param-value>
 *     compute   = com.example.ComputeEndpoint
 *     scheduler = com.example.SchedulerEndpoint, com.example.HostsEndpoint
 *   </param-value>
 * </context-param>
 * <context-param>
 *   <param-name>warren.notification.listeners</param-name>
 *   <param-value>com.example.AuditTrail</param-value>
 * </context-param>
 * }</pre>
 *
 * One RPC server per topic (its server name is the host name), one notification listener on the
 * configured notification topics (pool {@code warren.notification.pool}, if set). Endpoint classes
 * come from the webapp's class loader and need a public constructor taking the
 * {@link ServletContext} or none. Everything is read and instantiated before anything starts, so
 * a typo fails the deployment before it touches the broker.
 */
final class DeclaredEndpoints {
    static final String RPC_SERVERS = "rpc.servers";
    static final String NOTIFICATION_LISTENERS = "notification.listeners";
    static final String NOTIFICATION_POOL = "notification.pool";

    private final ServletSettings settings;
    private final Map<String, List<Object>> rpcEndpoints;
    private final List<NotificationEndpoint> notificationEndpoints;
    private final String notificationPool;

    private DeclaredEndpoints(ServletSettings settings, Map<String, List<Object>> rpcEndpoints,
                              List<NotificationEndpoint> notificationEndpoints, String notificationPool) {
        this.settings = settings;
        this.rpcEndpoints = rpcEndpoints;
        this.notificationEndpoints = notificationEndpoints;
        this.notificationPool = notificationPool;
    }

    /**
     * @throws IllegalArgumentException naming the setting, its source and what is wrong
     */
    static DeclaredEndpoints read(ServletSettings settings, ServletContext context) {
        Map<String, List<Object>> rpc = new LinkedHashMap<>();
        String servers = settings.get(RPC_SERVERS, "");
        for (String entry : servers.split("[;\\n]")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String topic = eq < 0 ? "" : entry.substring(0, eq).trim();
            if (topic.isEmpty() || !topic.matches("[A-Za-z0-9._-]+")) {
                throw bad(settings, RPC_SERVERS, "'" + entry.trim() + "' is not 'topic = endpoint class[, class...]'");
            }
            if (rpc.containsKey(topic)) {
                throw bad(settings, RPC_SERVERS, "topic '" + topic + "' is declared twice; list all its endpoints in one entry");
            }
            List<Object> endpoints = new ArrayList<>();
            for (String className : classNames(entry.substring(eq + 1))) {
                endpoints.add(instantiate(settings, RPC_SERVERS, className, Object.class, context));
            }
            if (endpoints.isEmpty()) {
                throw bad(settings, RPC_SERVERS, "topic '" + topic + "' has no endpoint class");
            }
            rpc.put(topic, List.copyOf(endpoints));
        }
        List<NotificationEndpoint> notifications = new ArrayList<>();
        for (String className : classNames(settings.get(NOTIFICATION_LISTENERS, ""))) {
            notifications.add(instantiate(settings, NOTIFICATION_LISTENERS, className, NotificationEndpoint.class, context));
        }
        String pool = settings.get(NOTIFICATION_POOL, "").trim();
        return new DeclaredEndpoints(settings, rpc, List.copyOf(notifications), pool.isEmpty() ? null : pool);
    }

    boolean isEmpty() {
        return rpcEndpoints.isEmpty() && notificationEndpoints.isEmpty();
    }

    /**
     * Makes them on {@code connector}, which owns them from then on, starts them when it connects
     * (they are made before it does) and stops them before its connections.
     *
     * @throws IllegalArgumentException naming the setting, the topic and what to fix in an
     *         endpoint class (e.g. a parameter without a name)
     */
    void create(Connector connector) {
        for (Map.Entry<String, List<Object>> e : rpcEndpoints.entrySet()) {
            try {
                connector.rpcServer(Target.topic(e.getKey()), e.getValue().toArray());
            } catch (IllegalArgumentException refused) {
                IllegalArgumentException error = bad(settings, RPC_SERVERS, "topic '" + e.getKey() + "': "
                        + refused.getMessage());
                error.initCause(refused);
                throw error;
            }
        }
        if (!notificationEndpoints.isEmpty()) {
            connector.notificationListener(notificationPool, false, notificationEndpoints.toArray(new NotificationEndpoint[0]));
        }
    }

    @Override
    public String toString() {
        return "rpc servers " + rpcEndpoints.keySet() + ", notification endpoints " + notificationEndpoints.size();
    }

    private static List<String> classNames(String list) {
        List<String> names = new ArrayList<>();
        for (String n : list.split("[,\\s]+")) {
            if (!n.isBlank()) {
                names.add(n.trim());
            }
        }
        return names;
    }

    private static <T> T instantiate(ServletSettings settings, String key, String className, Class<T> type,
                                     ServletContext context) {
        Class<?> c;
        try {
            c = Class.forName(className, false, context.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw bad(settings, key, "class " + className + " is not in this webapp (" + e.getClass().getSimpleName() + ")");
        }
        if (!type.isAssignableFrom(c)) {
            throw bad(settings, key, "class " + className + " does not implement " + type.getName());
        }
        try {
            Object instance;
            Constructor<?> withContext = constructor(c, ServletContext.class);
            if (withContext != null) {
                instance = withContext.newInstance(context);
            } else {
                Constructor<?> plain = constructor(c);
                if (plain == null) {
                    throw bad(settings, key, "class " + className
                            + " needs a public constructor taking a ServletContext, or one taking nothing");
                }
                instance = plain.newInstance();
            }
            return type.cast(instance);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            IllegalArgumentException error = bad(settings, key, "the constructor of " + className + " failed: " + cause);
            error.initCause(cause);
            throw error;
        } catch (ReflectiveOperationException e) {
            throw bad(settings, key, "cannot create " + className + ": " + e);
        }
    }

    private static Constructor<?> constructor(Class<?> c, Class<?>... parameters) {
        try {
            return c.getConstructor(parameters);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static IllegalArgumentException bad(ServletSettings settings, String key, String problem) {
        return new IllegalArgumentException("warren." + key + " (" + settings.source(key) + "): " + problem);
    }
}
