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
        HANDLED, REQUEUE
    }

    /** @return which notifications this endpoint sees; all by default */
    default NotificationFilter filter() {
        return NotificationFilter.all();
    }

    default Result audit(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        return Result.HANDLED;
    }

    default Result debug(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        return Result.HANDLED;
    }

    default Result info(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        return Result.HANDLED;
    }

    default Result warn(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        return Result.HANDLED;
    }

    default Result error(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        return Result.HANDLED;
    }

    default Result critical(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        return Result.HANDLED;
    }

    default Result sample(RequestContext ctx, String publisherId, String eventType, Object payload, Map<String, Object> metadata) {
        return Result.HANDLED;
    }
}
