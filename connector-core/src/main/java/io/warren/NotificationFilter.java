package io.warren;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * oslo's {@code filter_rule}: regular expressions that a notification's publisher id, event type
 * and context entries must match (each one given must match, anchored at the start as Python's
 * {@code re.match}). Immutable.
 */
public final class NotificationFilter {
    private static final NotificationFilter ALL = new NotificationFilter(null, null, Map.of());

    private final Pattern publisherId;
    private final Pattern eventType;
    private final Map<String, Pattern> context;

    private NotificationFilter(Pattern publisherId, Pattern eventType, Map<String, Pattern> context) {
        this.publisherId = publisherId;
        this.eventType = eventType;
        this.context = context;
    }

    /** @return a filter that lets everything through */
    public static NotificationFilter all() {
        return ALL;
    }

    /**
     * @param regex matched at the start of the publisher id, e.g. {@code compute\\..*}
     * @return this filter, also requiring the publisher id to match
     */
    public NotificationFilter publisherId(String regex) {
        return new NotificationFilter(Pattern.compile(regex), eventType, context);
    }

    /**
     * @param regex matched at the start of the event type, e.g. {@code compute\\.instance\\..*}
     * @return this filter, also requiring the event type to match
     */
    public NotificationFilter eventType(String regex) {
        return new NotificationFilter(publisherId, Pattern.compile(regex), context);
    }

    /**
     * @param key a context entry, e.g. {@code project_id}
     * @param regex matched at the start of that entry's value; a missing entry does not match
     * @return this filter, also requiring the context entry to match
     */
    public NotificationFilter context(String key, String regex) {
        Map<String, Pattern> more = new LinkedHashMap<>(context);
        more.put(key, Pattern.compile(regex));
        return new NotificationFilter(publisherId, eventType, more);
    }

    /**
     * @param publisher the notification's publisher id
     * @param event its event type
     * @param ctx its request context
     * @return whether the notification passes every part of this filter
     */
    public boolean matches(String publisher, String event, Map<String, Object> ctx) {
        if (publisherId != null && (publisher == null || !publisherId.matcher(publisher).lookingAt())) {
            return false;
        }
        if (eventType != null && (event == null || !eventType.matcher(event).lookingAt())) {
            return false;
        }
        for (Map.Entry<String, Pattern> e : context.entrySet()) {
            Object v = ctx.get(e.getKey());
            if (v == null || !e.getValue().matcher(String.valueOf(v)).lookingAt()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "NotificationFilter[publisherId=" + publisherId + ", eventType=" + eventType + ", context=" + context.keySet() + "]";
    }
}
