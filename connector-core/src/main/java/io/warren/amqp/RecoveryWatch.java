package io.warren.amqp;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.impl.recovery.AutorecoveringConnection;
import io.warren.ConnectorState;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What amqp-client's connection events mean for the connector: a lost connection closes the
 * {@link PublishGate} and moves to RECOVERING, a recovery (once both connections are back) opens
 * it and moves to RUNNING, a resource alarm blocks it (BLOCKED) until the broker unblocks. Each
 * is logged once, not once per recovery attempt.
 */
final class RecoveryWatch {
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryWatch.class);

    private final String name;
    private final StateMachine state;
    private final PublishGate gate;
    private final AtomicLong reconnects = new AtomicLong();
    private volatile String blockedReason = "";

    RecoveryWatch(String name, StateMachine state, PublishGate gate) {
        this.name = name;
        this.state = state;
        this.gate = gate;
    }

    /**
     * @param role {@code publish} or {@code consume}, for the log lines
     * @param allOpen whether every connection of the connector is open again
     */
    void watch(Connection connection, String role, BooleanSupplier allOpen) {
        connection.addShutdownListener(cause -> {
            if (!cause.isInitiatedByApplication() && state.acceptsWork()) {
                String error = role + " connection lost: " + BrokerReasons.of(cause);
                state.recordError(error);
                gate.close(PublishGate.Closure.RECOVERING, error);
                LOG.warn("{} - {}; recovering", name, error);
                state.moveIfServing(ConnectorState.RECOVERING);
            }
        });
        if (connection instanceof AutorecoveringConnection arc) {
            arc.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecoveryStarted(Recoverable recoverable) {
                    state.moveIfServing(ConnectorState.RECOVERING);
                }

                @Override
                public void handleRecovery(Recoverable recoverable) {
                    reconnects.incrementAndGet();
                    if (allOpen.getAsBoolean()) {
                        gate.open();
                        LOG.info("{} - recovered ({} connection back, {} reconnects so far)", name, role, reconnects.get());
                        state.moveIfServing(ConnectorState.RUNNING);
                    }
                }
            });
        }
        connection.addBlockedListener(new BlockedListener() {
            @Override
            public void handleBlocked(String reason) {
                blockedReason = reason;
                gate.close(PublishGate.Closure.BLOCKED, reason);
                LOG.warn("{} - the broker blocks publishing: {}", name, reason);
                state.moveIfServing(ConnectorState.BLOCKED);
            }

            @Override
            public void handleUnblocked() {
                blockedReason = "";
                gate.open();
                LOG.info("{} - the broker unblocked publishing", name);
                state.moveIfServing(ConnectorState.RUNNING);
            }
        });
    }

    /** @return connections recovered so far, both counted */
    long reconnects() {
        return reconnects.get();
    }

    /** @return the broker's reason for blocking, empty when not blocked */
    String blockedReason() {
        return blockedReason;
    }
}
