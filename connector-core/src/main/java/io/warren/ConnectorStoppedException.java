package io.warren;

/** Thrown when work is handed to a connector that is stopping, stopped, failed or not yet started. */
public final class ConnectorStoppedException extends WarrenException {
    private static final long serialVersionUID = 1L;

    /** @param message names the connector and its state */
    public ConnectorStoppedException(String message) {
        super(message);
    }
}
