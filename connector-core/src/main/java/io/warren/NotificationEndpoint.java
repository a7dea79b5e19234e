package io.warren;

import java.util.Map;

/**
 * Receives notifications. Override the methods of the priorities you want; a listener binds only
 * the priorities its endpoints override (as oslo binds only the methods an endpoint has). Return
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

    /** @return which notifications this endpoint sees; all by default */
    default NotificationFilter filter() {
        return NotificationFilter.all();
    }

    /**
     * Handles a notification of priority {@code AUDIT}; does nothing by default.
     *
     * @param ctx the notification's request context
     * @param publisherId who sent it, e.g. {@code compute.host1}
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload its payload as JSON values
     * @param metadata {@code message_id} and {@code timestamp}
     * @return what to do with the message
     */
    default Result audit(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        return Result.HANDLED;
    }

    /**
     * Handles a notification of priority {@code DEBUG}; does nothing by default.
     *
     * @param ctx the notification's request context
     * @param publisherId who sent it, e.g. {@code compute.host1}
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload its payload as JSON values
     * @param metadata {@code message_id} and {@code timestamp}
     * @return what to do with the message
     */
    default Result debug(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        return Result.HANDLED;
    }

    /**
     * Handles a notification of priority {@code INFO}; does nothing by default.
     *
     * @param ctx the notification's request context
     * @param publisherId who sent it, e.g. {@code compute.host1}
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload its payload as JSON values
     * @param metadata {@code message_id} and {@code timestamp}
     * @return what to do with the message
     */
    default Result info(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        return Result.HANDLED;
    }

    /**
     * Handles a notification of priority {@code WARN}; does nothing by default.
     *
     * @param ctx the notification's request context
     * @param publisherId who sent it, e.g. {@code compute.host1}
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload its payload as JSON values
     * @param metadata {@code message_id} and {@code timestamp}
     * @return what to do with the message
     */
    default Result warn(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        return Result.HANDLED;
    }

    /**
     * Handles a notification of priority {@code ERROR}; does nothing by default.
     *
     * @param ctx the notification's request context
     * @param publisherId who sent it, e.g. {@code compute.host1}
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload its payload as JSON values
     * @param metadata {@code message_id} and {@code timestamp}
     * @return what to do with the message
     */
    default Result error(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        return Result.HANDLED;
    }

    /**
     * Handles a notification of priority {@code CRITICAL}; does nothing by default.
     *
     * @param ctx the notification's request context
     * @param publisherId who sent it, e.g. {@code compute.host1}
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload its payload as JSON values
     * @param metadata {@code message_id} and {@code timestamp}
     * @return what to do with the message
     */
    default Result critical(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        return Result.HANDLED;
    }

    /**
     * Handles a notification of priority {@code SAMPLE}; does nothing by default.
     *
     * @param ctx the notification's request context
     * @param publisherId who sent it, e.g. {@code compute.host1}
     * @param eventType e.g. {@code compute.instance.create.end}
     * @param payload its payload as JSON values
     * @param metadata {@code message_id} and {@code timestamp}
     * @return what to do with the message
     */
    default Result sample(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        return Result.HANDLED;
    }
}
