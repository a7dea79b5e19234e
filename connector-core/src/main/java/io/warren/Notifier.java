package io.warren;

import java.util.Locale;
import java.util.Map;

/**
 * oslo.messaging's notifier: one message per configured topic ({@code [oslo_messaging_notifications]
 * topics}) to the control exchange with routing key {@code <topic>.<priority>}, through the
 * configured drivers ({@code messagingv2}, {@code messaging}, {@code log}, {@code noop}; with no
 * driver configured nothing is sent, as in oslo). Each call waits for the broker's confirm,
 * bounded by {@code warren_publish_timeout_ms}. The context goes as oslo.messaging 18 sends it: the
 * {@code to_dict()} of oslo.context's {@code redacted_copy()} ({@code user}, {@code project_id},
 * {@code project}, {@code domain}, ..., {@code roles}, {@code request_id}, {@code user_identity},
 * {@code is_admin_project}; ids may be given as {@code user_id} or {@code user}), never tokens or
 * passwords; an empty context is sent empty.
 */
public interface Notifier {
    /** oslo's priorities. */
    enum Priority {
        /** Who did what, for an audit trail. */
        AUDIT,
        /** Detail for whoever debugs the publisher. */
        DEBUG,
        /** Something happened, as planned: the usual priority. */
        INFO,
        /** Something may be wrong. */
        WARN,
        /** Something failed. */
        ERROR,
        /** Something failed that needs a person now. */
        CRITICAL,
        /** A measurement (ceilometer's samples). */
        SAMPLE;

        /** @return the lower-case word used in routing keys and listener method names */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Sends one notification and waits for the broker's confirm.
     *
     * @param priority the priority; part of the routing key
     * @param context the request context; sent in oslo 18's redacted form
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload JSON values, or an object Jackson can write
     * @throws WarrenException when the broker refused it or did not confirm it in time
     */
    void notify(Priority priority, Map<String, ?> context, String eventType, Object payload);

    /**
     * Sends one notification of priority {@code AUDIT}; see {@link #notify(Priority, Map, String, Object)}.
     *
     * @param context the request context; sent in oslo 18's redacted form
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload JSON values, or an object Jackson can write
     */
    default void audit(Map<String, ?> context, String eventType, Object payload) {
        notify(Priority.AUDIT, context, eventType, payload);
    }

    /**
     * Sends one notification of priority {@code DEBUG}; see {@link #notify(Priority, Map, String, Object)}.
     *
     * @param context the request context; sent in oslo 18's redacted form
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload JSON values, or an object Jackson can write
     */
    default void debug(Map<String, ?> context, String eventType, Object payload) {
        notify(Priority.DEBUG, context, eventType, payload);
    }

    /**
     * Sends one notification of priority {@code INFO}; see {@link #notify(Priority, Map, String, Object)}.
     *
     * @param context the request context; sent in oslo 18's redacted form
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload JSON values, or an object Jackson can write
     */
    default void info(Map<String, ?> context, String eventType, Object payload) {
        notify(Priority.INFO, context, eventType, payload);
    }

    /**
     * Sends one notification of priority {@code WARN}; see {@link #notify(Priority, Map, String, Object)}.
     *
     * @param context the request context; sent in oslo 18's redacted form
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload JSON values, or an object Jackson can write
     */
    default void warn(Map<String, ?> context, String eventType, Object payload) {
        notify(Priority.WARN, context, eventType, payload);
    }

    /**
     * Sends one notification of priority {@code ERROR}; see {@link #notify(Priority, Map, String, Object)}.
     *
     * @param context the request context; sent in oslo 18's redacted form
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload JSON values, or an object Jackson can write
     */
    default void error(Map<String, ?> context, String eventType, Object payload) {
        notify(Priority.ERROR, context, eventType, payload);
    }

    /**
     * Sends one notification of priority {@code CRITICAL}; see {@link #notify(Priority, Map, String, Object)}.
     *
     * @param context the request context; sent in oslo 18's redacted form
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload JSON values, or an object Jackson can write
     */
    default void critical(Map<String, ?> context, String eventType, Object payload) {
        notify(Priority.CRITICAL, context, eventType, payload);
    }

    /**
     * Sends one notification of priority {@code SAMPLE}; see {@link #notify(Priority, Map, String, Object)}.
     *
     * @param context the request context; sent in oslo 18's redacted form
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload JSON values, or an object Jackson can write
     */
    default void sample(Map<String, ?> context, String eventType, Object payload) {
        notify(Priority.SAMPLE, context, eventType, payload);
    }
}
