package io.warren;

import java.util.Locale;
import java.util.Map;

/**
 * oslo.messaging's notifier: one message per configured topic ({@code [oslo_messaging_notifications]
 * topics}) to the control exchange with routing key {@code <topic>.<priority>}, through the
 * configured drivers ({@code messagingv2}, {@code messaging}, {@code log}, {@code noop}; with no
 * driver configured nothing is sent, as in oslo). Each call waits for the broker's confirm,
 * bounded by {@code warren_publish_timeout_ms}. Only oslo's allow-listed context keys are sent,
 * never tokens or passwords.
 */
public interface Notifier {
    /** oslo's priorities. */
    enum Priority {
        AUDIT, DEBUG, INFO, WARN, ERROR, CRITICAL, SAMPLE;

        /** @return the lower-case word used in routing keys and listener method names */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Sends one notification of {@code priority}. */
    void notify(Priority priority, Map<String, ?> context, String eventType, Object payload);

    default void audit(Map<String, ?> context, String eventType, Object payload) {
        notify(Priority.AUDIT, context, eventType, payload);
    }

    default void debug(Map<String, ?> context, String eventType, Object payload) {
        notify(Priority.DEBUG, context, eventType, payload);
    }

    default void info(Map<String, ?> context, String eventType, Object payload) {
        notify(Priority.INFO, context, eventType, payload);
    }

    default void warn(Map<String, ?> context, String eventType, Object payload) {
        notify(Priority.WARN, context, eventType, payload);
    }

    default void error(Map<String, ?> context, String eventType, Object payload) {
        notify(Priority.ERROR, context, eventType, payload);
    }

    default void critical(Map<String, ?> context, String eventType, Object payload) {
        notify(Priority.CRITICAL, context, eventType, payload);
    }

    default void sample(Map<String, ?> context, String eventType, Object payload) {
        notify(Priority.SAMPLE, context, eventType, payload);
    }
}
