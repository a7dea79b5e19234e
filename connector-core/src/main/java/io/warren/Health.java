package io.warren;

import java.util.List;
import java.util.Objects;

/**
 * A connector's health in one word and its reasons: UP (serving), DEGRADED (serving with a
 * problem, e.g. the broker blocks publishers) or DOWN (not connected). Never holds secrets.
 */
public final class Health {
    /** The summary word. */
    public enum Status {
        /** Connected and serving. */
        UP,
        /** Serving, but something is wrong; see the reasons. */
        DEGRADED,
        /** Not connected; messaging calls will fail. */
        DOWN
    }

    private final Status status;
    private final List<String> reasons;

    /**
     * @param status the summary
     * @param reasons why, in words; empty when UP
     */
    public Health(Status status, List<String> reasons) {
        this.status = Objects.requireNonNull(status, "status");
        this.reasons = List.copyOf(reasons);
    }

    /** @return the summary word */
    public Status status() {
        return status;
    }

    /** @return why the status is not UP; empty when UP */
    public List<String> reasons() {
        return reasons;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Health h && h.status == status && h.reasons.equals(reasons);
    }

    @Override
    public int hashCode() {
        return status.hashCode() * 31 + reasons.hashCode();
    }

    @Override
    public String toString() {
        return reasons.isEmpty() ? status.name() : status + " " + reasons;
    }
}
