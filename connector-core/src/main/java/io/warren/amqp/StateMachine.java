package io.warren.amqp;

import io.warren.ConnectorState;
import io.warren.ConnectorStoppedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connector's state, the moves between states, and the last error, which is what explains a
 * state other than RUNNING in health and JMX. Every change is told to the {@link
 * ConnectorRuntime.StateSink}; a sink that throws is logged and does not stop the move.
 */
final class StateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(StateMachine.class);

    private final String name;
    private final ConnectorRuntime.StateSink sink;
    private volatile ConnectorState state = ConnectorState.NEW;
    private volatile String lastError = "";

    StateMachine(String name, ConnectorRuntime.StateSink sink) {
        this.name = name;
        this.sink = sink;
    }

    ConnectorState state() {
        return state;
    }

    /** Moves to {@code to} and tells the sink, outside the monitor; nothing when already there. */
    void moveTo(ConnectorState to) {
        ConnectorState from;
        synchronized (this) {
            from = state;
            if (from == to) {
                return;
            }
            state = to;
        }
        try {
            sink.changed(from, to);
        } catch (RuntimeException e) {
            LOG.warn("{} - a state listener failed on {} -> {}: {}", name, from, to, e.toString());
        }
    }

    /**
     * Moves between RUNNING, RECOVERING and BLOCKED, but never out of STOPPING, STOPPED or FAILED:
     * connection events arrive on amqp-client's threads while a stop may be under way.
     */
    void moveIfServing(ConnectorState to) {
        synchronized (this) {
            if (!state.acceptsWork()) {
                return;
            }
        }
        moveTo(to);
    }

    boolean acceptsWork() {
        return state.acceptsWork();
    }

    /** @throws ConnectorStoppedException naming the state when no work is taken */
    void ensureAcceptingWork() {
        ConnectorState s = state;
        if (!s.acceptsWork()) {
            throw new ConnectorStoppedException(name + " - the connector is " + s
                    + (s == ConnectorState.STARTING ? " (not connected yet)" : "") + "; it takes no work");
        }
    }

    /** @return the last error recorded, secret-free; empty when none */
    String lastError() {
        return lastError;
    }

    /** @param message secret-free; null clears */
    void recordError(String message) {
        lastError = message == null ? "" : message;
    }
}
