package io.warren.wire;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A notification as oslo's notifier writes it: {@code message_id} (a uuid4 with dashes),
 * {@code publisher_id}, {@code event_type}, {@code priority} (upper case), {@code payload},
 * {@code timestamp} (UTC, {@code YYYY-MM-DD HH:MM:SS[.ffffff]}, no zone), {@code _unique_id},
 * {@code _context_*}.
 */
public final class Notification {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final String messageId;
    private final String publisherId;
    private final String eventType;
    private final String priority;
    private final Object payload;
    private final String timestamp;
    private final String uniqueId;
    private final Map<String, Object> context;

    public Notification(String messageId, String publisherId, String eventType, String priority, Object payload,
                        String timestamp, String uniqueId, Map<String, Object> context) {
        this.messageId = messageId;
        this.publisherId = publisherId;
        this.eventType = eventType;
        this.priority = priority;
        this.payload = payload;
        this.timestamp = timestamp;
        this.uniqueId = uniqueId;
        this.context = context == null ? Map.of() : context;
    }

    /** A new notification stamped now. */
    public static Notification create(String publisherId, String eventType, String priority, Object payload,
                                      Map<String, Object> context) {
        return new Notification(UUID.randomUUID().toString(), publisherId, eventType, priority.toUpperCase(java.util.Locale.ROOT),
                payload, timestamp(Instant.now()), OsloEnvelope.newId(), context);
    }

    /** Python's {@code str(datetime)}: the fraction is left out when it is zero. */
    public static String timestamp(Instant instant) {
        LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        int micros = t.getNano() / 1000;
        t = t.withNano(micros * 1000);
        return micros == 0 ? SECONDS.format(t) : MICROS.format(t);
    }

    /** Reads both timestamp forms (with and without a fraction); null when absent or not a timestamp. */
    public static Instant parseTimestamp(String text) {
        if (text == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(text, text.length() > 19 ? MICROS : SECONDS).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Reads a notification; {@code priority} and {@code event_type} are required. */
    public static Notification from(Map<String, Object> m) throws WireException {
        Map<String, Object> context = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getKey().startsWith("_context_")) {
                context.put(e.getKey().substring("_context_".length()), e.getValue());
            }
        }
        return new Notification(Fields.optionalString(m, "message_id"), Fields.optionalString(m, "publisher_id"),
                Fields.requiredString(m, "event_type"), Fields.requiredString(m, "priority"), m.get("payload"),
                Fields.optionalString(m, "timestamp"), Fields.optionalString(m, "_unique_id"), context);
    }

    /** @return the members in oslo's order */
    public Map<String, Object> toMessage() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("message_id", messageId);
        m.put("publisher_id", publisherId);
        m.put("event_type", eventType);
        m.put("priority", priority);
        m.put("payload", payload);
        m.put("timestamp", timestamp);
        m.put("_unique_id", uniqueId);
        for (Map.Entry<String, Object> e : context.entrySet()) {
            m.put("_context_" + e.getKey(), e.getValue());
        }
        return m;
    }

    public String messageId() {
        return messageId;
    }

    public String publisherId() {
        return publisherId;
    }

    public String eventType() {
        return eventType;
    }

    public String priority() {
        return priority;
    }

    public Object payload() {
        return payload;
    }

    public String timestamp() {
        return timestamp;
    }

    public String uniqueId() {
        return uniqueId;
    }

    public Map<String, Object> context() {
        return context;
    }
}
