package io.warren.amqp;

import io.warren.ConnectorState;
import io.warren.Health;
import java.util.ArrayList;
import java.util.List;

/** What a connector's state and facts mean for its health: the one rule health endpoints and JMX show. */
final class ConnectorHealth {
    private ConnectorHealth() {
    }

    /**
     * @param poolWaiters threads waiting for a publishing channel now
     * @param blockedReason the broker's reason while it blocks publishing
     * @param lastError the last error recorded, or ""
     * @return UP when serving, DEGRADED when serving with a problem, DOWN otherwise; with reasons
     */
    static Health of(ConnectorState state, int poolWaiters, String blockedReason, String lastError) {
        List<String> reasons = new ArrayList<>();
        switch (state) {
            case RUNNING:
                if (poolWaiters > 0) {
                    reasons.add(poolWaiters + " threads wait for a publishing channel");
                    return new Health(Health.Status.DEGRADED, reasons);
                }
                return new Health(Health.Status.UP, reasons);
            case BLOCKED:
                reasons.add("the broker blocks publishing: " + blockedReason);
                return new Health(Health.Status.DEGRADED, reasons);
            case RECOVERING:
                reasons.add("connection lost, recovering: " + lastError);
                return new Health(Health.Status.DOWN, reasons);
            case STARTING:
                reasons.add("not connected yet" + (lastError.isEmpty() ? "" : ": " + lastError));
                return new Health(Health.Status.DOWN, reasons);
            default:
                reasons.add("connector is " + state + (lastError.isEmpty() ? "" : ": " + lastError));
                return new Health(Health.Status.DOWN, reasons);
        }
    }
}
