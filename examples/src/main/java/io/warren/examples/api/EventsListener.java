package io.warren.examples.api;

import io.warren.Connector;
import io.warren.NotificationEndpoint;
import io.warren.RequestContext;
import io.warren.servlet.Warren;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Registered in web.xml after Warren's listener: subscribes to the compute notifications and keeps
 * the last 100 for {@code GET /events}. Its listener lives and dies with the webapp's connector.
 * With {@code warren.startup=lazy} it subscribes while the connector is still connecting; the
 * subscription starts on the first connect.
 */
public class EventsListener implements ServletContextListener {
    static final String ATTRIBUTE = "io.warren.examples.events";
    private static final int KEEP = 100;

    @Override
    public void contextInitialized(ServletContextEvent sce) {
        Deque<Map<String, Object>> events = new ArrayDeque<>();
        sce.getServletContext().setAttribute(ATTRIBUTE, new Events(events));
        // Also with warren.startup=lazy while the broker is away: the listener is taken now and
        // starts consuming on the first connect.
        Connector connector = Warren.connector(sce.getServletContext());
        connector.notificationListener("servers-api-events", false, new NotificationEndpoint() {
            @Override
            public Result info(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> md) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("event_type", eventType);
                e.put("publisher_id", publisherId);
                e.put("timestamp", md.get("timestamp"));
                e.put("request_id", ctx.requestId());
                e.put("payload", payload);
                synchronized (events) {
                    events.addFirst(e);
                    while (events.size() > KEEP) {
                        events.removeLast();
                    }
                }
                return Result.HANDLED;
            }
        });
    }

    @Override
    public void contextDestroyed(ServletContextEvent sce) {
        sce.getServletContext().removeAttribute(ATTRIBUTE);
    }

    /** The recent events, newest first. */
    static final class Events {
        private final Deque<Map<String, Object>> events;

        Events(Deque<Map<String, Object>> events) {
            this.events = events;
        }

        List<Map<String, Object>> snapshot() {
            synchronized (events) {
                return new ArrayList<>(events);
            }
        }
    }
}
