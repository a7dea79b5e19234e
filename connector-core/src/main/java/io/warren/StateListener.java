package io.warren;

/**
 * Told about every state change of a {@link Connector}. Called on the thread that made the change
 * (a Warren thread or the caller of start/stop); keep it short and never block in it.
 */
@FunctionalInterface
public interface StateListener {
    /**
     * @param connector the connector whose state changed
     * @param from the previous state
     * @param to the new state
     */
    void stateChanged(Connector connector, ConnectorState from, ConnectorState to);
}
