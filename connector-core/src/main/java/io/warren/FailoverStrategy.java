package io.warren;

/**
 * How the next broker node is picked after a connection failure (oslo option
 * {@code kombu_failover_strategy}). Either way the host list is shuffled once per connection first,
 * so clients spread over the cluster.
 */
public enum FailoverStrategy {
    /** Walk the (shuffled) host list cyclically; oslo's default. Option value {@code round-robin}. */
    ROUND_ROBIN("round-robin"),
    /** Pick a random host on every attempt (repeats possible). Option value {@code shuffle}. */
    SHUFFLE("shuffle");

    private final String optionValue;

    FailoverStrategy(String optionValue) {
        this.optionValue = optionValue;
    }

    /** @return the value as written in oslo configuration: {@code round-robin} or {@code shuffle} */
    public String optionValue() {
        return optionValue;
    }
}
