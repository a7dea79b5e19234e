package io.warren;

import java.util.Map;

/**
 * Receives notifications. Override the methods of the priorities you want, or
 * {@link #notification} for every priority; a listener binds only the priorities its endpoints
 * override (as oslo binds only the methods an endpoint has), all seven when an endpoint overrides
 * {@code notification}. Return
 * {@link Result#REQUEUE} (or throw) to have the message delivered again when the listener allows
 * requeueing; otherwise it is acknowledged after the method returns.
 */
public interface NotificationEndpoint {
    /** What became of a notification. */
    enum Result {
        /** Done with: the message is acknowledged. */
        HANDLED,
        /** Put back for another try, when the listener allows requeueing; else acknowledged. */
        REQUEUE
    }

    /**
     * Handles a notification of any priority: every priority method calls this one unless it is
     * overridden itself; does nothing by default.
     *
     * @param priority the notification's priority
     * @param ctx the notification's request context
     * @param publisherId who sent it, e.g. {@code compute.host1}
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload its payload as JSON values
     * @param metadata {@code message_id} and {@code timestamp}
     * @return what to do with the message
     */
    default Result notification(Notifier.Priority priority, RequestContext ctx, String publisherId, String eventType,
                                Object payload, Map<String, Object> metadata) {
        return Result.HANDLED;
    }

    /** @return which notifications this endpoint sees; all by default */
    default NotificationFilter filter() {
        return NotificationFilter.all();
    }

    /**
     * Handles a notification of priority {@code AUDIT}; by default hands it to {@link #notification}.
     *
     * @param ctx the notification's request context
     * @param publisherId who sent it, e.g. {@code compute.host1}
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload its payload as JSON values
     * @param metadata {@code message_id} and {@code timestamp}
     * @return what to do with the message
     */
    default Result audit(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        return notification(Notifier.Priority.AUDIT, ctx, publisherId, eventType, payload, metadata);
    }

    /**
     * Handles a notification of priority {@code DEBUG}; by default hands it to {@link #notification}.
     *
     * @param ctx the notification's request context
     * @param publisherId who sent it, e.g. {@code compute.host1}
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload its payload as JSON values
     * @param metadata {@code message_id} and {@code timestamp}
     * @return what to do with the message
     */
    default Result debug(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        return notification(Notifier.Priority.DEBUG, ctx, publisherId, eventType, payload, metadata);
    }

    /**
     * Handles a notification of priority {@code INFO}; by default hands it to {@link #notification}.
     *
     * @param ctx the notification's request context
     * @param publisherId who sent it, e.g. {@code compute.host1}
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload its payload as JSON values
     * @param metadata {@code message_id} and {@code timestamp}
     * @return what to do with the message
     */
    default Result info(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        return notification(Notifier.Priority.INFO, ctx, publisherId, eventType, payload, metadata);
    }

    /**
     * Handles a notification of priority {@code WARN}; by default hands it to {@link #notification}.
     *
     * @param ctx the notification's request context
     * @param publisherId who sent it, e.g. {@code compute.host1}
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload its payload as JSON values
     * @param metadata {@code message_id} and {@code timestamp}
     * @return what to do with the message
     */
    default Result warn(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        return notification(Notifier.Priority.WARN, ctx, publisherId, eventType, payload, metadata);
    }

    /**
     * Handles a notification of priority {@code ERROR}; by default hands it to {@link #notification}.
     *
     * @param ctx the notification's request context
     * @param publisherId who sent it, e.g. {@code compute.host1}
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload its payload as JSON values
     * @param metadata {@code message_id} and {@code timestamp}
     * @return what to do with the message
     */
    default Result error(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        return notification(Notifier.Priority.ERROR, ctx, publisherId, eventType, payload, metadata);
    }

    /**
     * Handles a notification of priority {@code CRITICAL}; by default hands it to {@link #notification}.
     *
     * @param ctx the notification's request context
     * @param publisherId who sent it, e.g. {@code compute.host1}
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload its payload as JSON values
     * @param metadata {@code message_id} and {@code timestamp}
     * @return what to do with the message
     */
    default Result critical(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        return notification(Notifier.Priority.CRITICAL, ctx, publisherId, eventType, payload, metadata);
    }

    /**
     * Handles a notification of priority {@code SAMPLE}; by default hands it to {@link #notification}.
     *
     * @param ctx the notification's request context
     * @param publisherId who sent it, e.g. {@code compute.host1}
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload its payload as JSON values
     * @param metadata {@code message_id} and {@code timestamp}
     * @return what to do with the message
     */
    default Result sample(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        return notification(Notifier.Priority.SAMPLE, ctx, publisherId, eventType, payload, metadata);
    }
}
