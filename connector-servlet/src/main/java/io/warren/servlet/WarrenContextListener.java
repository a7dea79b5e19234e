package io.warren.servlet;

import io.warren.ConfigException;
import io.warren.Connector;
import io.warren.ConnectorConfig;
import io.warren.jmx.ConnectorJmx;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives one webapp instance its own Warren connector, from {@code contextInitialized} to
 * {@code contextDestroyed}. The jar's {@code META-INF/web-fragment.xml} (fragment name
 * {@code warren}) registers it, so the jars in WEB-INF/lib are enough; or list it in web.xml (with
 * {@code metadata-complete="true"}, which makes the container skip fragments). Setting
 * {@code warren.enabled=false} turns it off.
 *
 * <p>Settings ({@link ServletSetting}; see {@link ServletSettings} for where they come from and
 * docs/CONFIGURATION.md for the list): {@code warren.url} (the transport URL), {@code warren.name}
 * (defaults to the context path), {@code warren.startup} ({@code eager}: a bad URL or a broker
 * that is down fails the deployment; {@code lazy}: connect in the background, health DOWN until
 * connected), {@code warren.health.enabled} and {@code warren.health.path} (the JSON health
 * servlet), {@code warren.request_id.enabled} (the {@link RequestIdFilter}, on by default),
 * {@code warren.rpc.servers}, {@code warren.notification.listeners} and
 * {@code warren.notification.pool} (endpoints declared by class name, see {@link DeclaredEndpoints}),
 * and every connector option: oslo's by their names ({@code warren.heartbeat_timeout_threshold}),
 * Warren's own without their {@code warren_} ({@code warren.publish_timeout_ms}). Metrics go to
 * the application's Micrometer registry when it put one in the context attribute
 * {@value #METER_REGISTRY_ATTRIBUTE}; observations (traces) to its {@code ObservationRegistry} in
 * {@value #OBSERVATION_REGISTRY_ATTRIBUTE}, with {@link HttpObservationFilter} making each HTTP
 * request the parent of what is sent while serving it ({@code warren.tracing.http.enabled}).
 *
 * <p>Everything it makes belongs to this listener instance (no static state), and
 * {@code contextDestroyed} undoes it all, also after a start that failed half way. Why a
 * deployment fails is logged at ERROR, in one line naming the setting or class to fix.
 *
 * <p>Several versions of one webapp at one context path (Tomcat's parallel deployment,
 * {@code app##001.war} beside {@code app##002.war}) run side by side with no setting changed: the
 * version Tomcat gives the webapp is part of the MXBean's name ({@code version="001"}) and of what
 * the broker sees ({@code warren_context} {@code /app##001}, and the connection names).
 */
public class WarrenContextListener implements ServletContextListener {
    /** The ServletContext attribute that holds the connector. */
    public static final String CONNECTOR_ATTRIBUTE = "io.warren.Connector";
    /** The ServletContext attribute where the application may put its Micrometer {@code MeterRegistry}. */
    public static final String METER_REGISTRY_ATTRIBUTE = "io.warren.meterRegistry";
    /**
     * The ServletContext attribute where the application may put its Micrometer
     * {@code ObservationRegistry} (with a tracer bridge, for traces); set it before Warren's
     * listener runs, as the meter registry.
     */
    public static final String OBSERVATION_REGISTRY_ATTRIBUTE = "io.warren.observationRegistry";
    /** Which listener instance owns this webapp's connector: the first to start. */
    private static final String OWNER_ATTRIBUTE = "io.warren.servlet.WarrenContextListener";
    /** Why Warren is off in this webapp (warren.enabled=false and its source), for {@link Warren}'s error. */
    static final String DISABLED_ATTRIBUTE = "io.warren.servlet.disabled";
    private static final Logger LOG = LoggerFactory.getLogger(WarrenContextListener.class);

    private Connector connector;
    private ConnectorJmx jmx;
    // The context path, with the container's version of this webapp when it gives one: /app##002.
    private String shown;

    /**
     * Made by the servlet container, one per webapp instance, from the listener entry in web.xml or
     * the jar's web-fragment.xml.
     */
    public WarrenContextListener() {
    }

    /**
     * Starts this webapp's connector, unless {@code warren.enabled} is false or another instance
     * of this listener already took this context: the container makes one instance when web.xml
     * and the jar's web-fragment.xml both name this class (Servlet spec 8.2.3; Tomcat and Jetty
     * keep one entry per class name), but a subclass in web.xml, or a listener added again by code,
     * would be a second; that one logs one WARN and makes nothing.
     */
    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Object owner = context.getAttribute(OWNER_ATTRIBUTE);
        if (owner != null) {
            LOG.warn("Warren in '{}': a second {} ({}) is registered for this webapp and makes nothing; the first"
                    + " ({}) owns the connector. Register Warren once: the jar's web-fragment.xml or one web.xml line",
                    context.getContextPath(), WarrenContextListener.class.getSimpleName(), getClass().getName(),
                    owner.getClass().getName());
            return;
        }
        context.setAttribute(OWNER_ATTRIBUTE, this);
        String version = WebappVersion.of(context);
        String path = context.getContextPath();
        String shown = (path.isEmpty() ? "/" : path) + (version.isEmpty() ? "" : "##" + version);
        this.shown = shown;
        String where = "Warren in '" + shown + "': ";
        boolean done = false;
        try {
            start(context, where, shown, version);
            done = true;
        } catch (RuntimeException e) {
            // The container's own line is often just "One or more listeners failed to start", with
            // the reason in another file: here it is, in one line, in Warren's log.
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.error("{}the deployment fails: {}", where, reason.startsWith(where) ? reason.substring(where.length()) : reason);
            throw e;
        } finally {
            if (!done) {
                context.removeAttribute(OWNER_ATTRIBUTE);
            }
        }
    }

    private void start(ServletContext context, String where, String shown, String version) {
        ServletSettings settings;
        String name;
        ConnectorConfig config;
        DeclaredEndpoints declared;
        boolean lazy;
        boolean health;
        boolean requestIds;
        boolean httpObservations;
        String healthPath;
        try {
            settings = ServletSettings.read(context, System.getenv(), System.getProperties());
            if (settings.get(ServletSetting.ENABLED).equals("false")) {
                String why = "warren.enabled=false (" + settings.source(ServletSetting.ENABLED.key) + ")";
                context.setAttribute(DISABLED_ATTRIBUTE, why);
                LOG.info("{}turned off by {}: no connector, health servlet, filter or MBean", where, why);
                return;
            }
            name = settings.get(ServletSetting.NAME);
            name = name.isEmpty() ? defaultName(context.getContextPath()) : name;
            lazy = settings.get(ServletSetting.STARTUP).equals("lazy");
            health = settings.get(ServletSetting.HEALTH_ENABLED).equals("true");
            healthPath = settings.get(ServletSetting.HEALTH_PATH);
            requestIds = settings.get(ServletSetting.REQUEST_ID_ENABLED).equals("true");
            httpObservations = settings.get(ServletSetting.TRACING_HTTP_ENABLED).equals("true");
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + e.getMessage(), e);
        }
        for (String warning : settings.warnings()) {
            LOG.warn("{}{}", where, warning);
        }
        try {
            ConnectorConfig.Builder b = ConnectorConfig.builder()
                    .transportUrl(settings.get(ServletSetting.URL))
                    .name(name);
            for (Map.Entry<String, String> o : settings.options().entrySet()) {
                b.option(o.getKey(), o.getValue());
            }
            config = b.build();
        } catch (ConfigException e) {
            String key = e.option() == null || e.option().equals("transport_url") ? ServletSetting.URL.key
                    : e.option().equals("name") ? ServletSetting.NAME.key : settings.keyOfOption(e.option());
            throw new IllegalStateException(where + "setting " + settings.spelling(key) + " ("
                    + settings.source(key) + "): " + e.getMessage(), e);
        }
        try {
            declared = DeclaredEndpoints.read(settings, context);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + e.getMessage(), e);
        }
        // The owner, as the broker sees it (client property warren_context, the connection names):
        // with the version, so that two versions of one webapp are told apart.
        Connector.Builder builder = Connector.builder(config).owner(shown);
        // Metrics only when the application hands over its registry (an app's own listener, listed
        // before Warren's, sets it); the meters are removed again when the connector stops.
        if (context.getAttribute(METER_REGISTRY_ATTRIBUTE) instanceof io.micrometer.core.instrument.MeterRegistry registry) {
            builder.meterRegistry(registry);
        }
        // Tracing the same way: only when the application hands over its observation registry.
        if (context.getAttribute(OBSERVATION_REGISTRY_ATTRIBUTE) instanceof ObservationRegistry registry) {
            builder.observationRegistry(registry);
            if (httpObservations) {
                context.addFilter("warren-http-observation", new HttpObservationFilter(registry))
                        .addMappingForUrlPatterns(null, false, "/*");
            }
        }
        if (requestIds) {
            RequestIdFilter filter = new RequestIdFilter();
            builder.requestContext(filter.context());
            context.addFilter("warren-request-id", filter).addMappingForUrlPatterns(null, false, "/*");
        }
        connector = builder.build();
        try {
            // Registered before connecting, so a failing or lazy start is visible in JMX too.
            jmx = ConnectorJmx.register(connector, context.getContextPath(), version);
            context.setAttribute(CONNECTOR_ATTRIBUTE, connector);
            if (health) {
                ServletRegistration.Dynamic servlet = context.addServlet("warren-health", new HealthServlet());
                servlet.addMapping(healthPath);
            }
            // Made before the connect (their endpoint classes checked now, before anything
            // connects), started by it: with eager start as part of start(), with lazy start on
            // the first connect, as servers and listeners the application makes meanwhile.
            declared.create(connector);
            if (lazy) {
                connector.startInBackground();
            } else {
                try {
                    connector.start();
                } catch (io.warren.WarrenException e) {
                    // No cause: the broker could not be reached or refused the connection, so say
                    // where its URL came from; a server that could not start names itself.
                    String hint = e.getCause() != null ? "" : " (broker from " + settings.source(ServletSetting.URL.key)
                            + "; warren.startup=lazy deploys while it is away)";
                    throw new IllegalStateException(where + e.getMessage() + hint, e);
                }
            }
        } catch (RuntimeException e) {
            // Fails the deployment. Release everything now rather than count on the container
            // calling contextDestroyed after a failed start (Jetty and Tomcat do not).
            release(context);
            throw e;
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        if (context.getAttribute(OWNER_ATTRIBUTE) != this) {
            return; // the instance that stood aside owns nothing
        }
        try {
            release(context);
        } finally {
            context.removeAttribute(DISABLED_ATTRIBUTE);
            context.removeAttribute(OWNER_ATTRIBUTE);
        }
    }

    /** Undoes contextInitialized, however far it got: JMX first, then the connector, then the attribute. */
    private void release(ServletContext context) {
        Connector c = connector;
        connector = null;
        if (jmx != null) {
            jmx.close(); // observability goes first
            jmx = null;
        }
        if (c == null) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            c.stop(c.config().shutdownTimeout());
        } finally {
            context.removeAttribute(CONNECTOR_ATTRIBUTE);
            LOG.info("{} - Warren released everything of webapp '{}' in {} ms: connections closed, threads joined",
                    c.name(), shown, Duration.ofNanos(System.nanoTime() - t0).toMillis());
        }
    }

    /** The context path as a connector name: {@code /shop} becomes {@code shop}, the root webapp {@code ROOT}. */
    static String defaultName(String contextPath) {
        String trimmed = contextPath == null ? "" : contextPath.replaceFirst("^/", "");
        String safe = trimmed.replaceAll("[^A-Za-z0-9._-]", "-");
        return safe.isEmpty() ? "ROOT" : safe.length() > 64 ? safe.substring(0, 64) : safe;
    }
}
