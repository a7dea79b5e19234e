package io.warren;

/**
 * The states of a {@link Connector}.
 *
 * <pre>{@code
 * NEW -> STARTING -> RUNNING <-> RECOVERING
 *                       ^  \---> BLOCKED (broker resource alarm)
 *                       |
 * any started state -> STOPPING -> STOPPED
 * STARTING -> FAILED (start gave up; everything it made is released)
 * }</pre>
 *
 * STOPPED and FAILED are final: a connector never reconnects by itself after either.
 */
public enum ConnectorState {
    /** Built, nothing opened yet. */
    NEW,
    /** Opening connections and declaring topology. */
    STARTING,
    /** Connected and serving. */
    RUNNING,
    /** A connection was lost; amqp-client's automatic recovery is reconnecting. */
    RECOVERING,
    /** The broker blocked publishing (resource alarm); consuming still works. */
    BLOCKED,
    /** Stop was requested: no new work is taken, in-flight work drains. */
    STOPPING,
    /** Stopped; every connection is closed and every thread joined. */
    STOPPED,
    /** Start failed; everything the start had made was released again. */
    FAILED;

    /** @return whether the connector has ended for good (STOPPED or FAILED) */
    public boolean isTerminal() {
        return this == STOPPED || this == FAILED;
    }

    /** @return whether new work is accepted in this state (RUNNING, RECOVERING, BLOCKED) */
    public boolean acceptsWork() {
        return this == RUNNING || this == RECOVERING || this == BLOCKED;
    }
}
