package io.warren;

/**
 * A message to send was over {@code warren_max_message_bytes} once encoded, so it was not sent:
 * the receiving side (a Warren peer with the same limit) would refuse it unread, and a call would
 * only find out at its timeout. Thrown at once, before anything is published or registered.
 */
public final class MessageTooLargeException extends WarrenException {
    private static final long serialVersionUID = 1L;

    /** The encoded size of the message, in bytes. */
    private final int size;
    /** The limit it went over ({@code warren_max_message_bytes}), in bytes. */
    private final int limit;

    /**
     * @param what the message, e.g. {@code call get_server on Target[topic=compute]}
     * @param size its encoded size in bytes
     * @param limit {@code warren_max_message_bytes}
     */
    public MessageTooLargeException(String what, int size, int limit) {
        super(what + " is " + size + " bytes encoded, over warren_max_message_bytes (" + limit
                + "); nothing was sent: send less, or raise warren_max_message_bytes on every peer");
        this.size = size;
        this.limit = limit;
    }

    /** @return the encoded size in bytes */
    public int size() {
        return size;
    }

    /** @return the limit, {@code warren_max_message_bytes} */
    public int limit() {
        return limit;
    }
}
