package io.warren;

/**
 * A publish could not go out because the broker blocked the connection (a memory or disk alarm)
 * for longer than the publish timeout.
 */
public final class BrokerBlockedException extends WarrenException {
    private static final long serialVersionUID = 1L;

    /** @param message names the connector, the broker's reason and the timeout */
    public BrokerBlockedException(String message) {
        super(message);
    }
}
