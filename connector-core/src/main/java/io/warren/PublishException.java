package io.warren;

/** A message was not confirmed by the broker. {@link #reason()} tells why. */
public final class PublishException extends WarrenException {
    private static final long serialVersionUID = 1L;

    /** Why a publish failed. */
    public enum Reason {
        /** The broker answered basic.nack. */
        NACKED,
        /** The message was mandatory and no queue was bound for it (basic.return). */
        UNROUTABLE,
        /** The connection or channel was lost before the broker confirmed the message. */
        CONNECTION_LOST,
        /** No confirm arrived within the publish timeout. */
        TIMEOUT
    }

    /** Why the publish failed. */
    private final Reason reason;

    /**
     * @param reason why it failed
     * @param message names exchange, routing key and connector
     */
    public PublishException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * @param reason why it failed
     * @param message names exchange, routing key and connector
     * @param cause the underlying failure
     */
    public PublishException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** @return why the publish failed */
    public Reason reason() {
        return reason;
    }
}
