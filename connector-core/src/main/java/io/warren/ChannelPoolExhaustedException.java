package io.warren;

/** No publishing channel became free within the checkout timeout. */
public final class ChannelPoolExhaustedException extends WarrenException {
    private static final long serialVersionUID = 1L;

    /** @param message names the pool size, the timeout and the options that change them */
    public ChannelPoolExhaustedException(String message) {
        super(message);
    }
}
