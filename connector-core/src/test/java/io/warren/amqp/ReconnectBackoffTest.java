package io.warren.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {

    private final ReconnectBackoff backoff =
            new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(30));

    @Test
    void growsLikeOsloWithJitterAndACap() {
        // oslo: 1, 3, 5, ... capped at rabbit_interval_max; Warren adds +-20% jitter.
        for (int round = 0; round < 50; round++) {
            assertThat(backoff.getDelay(1)).isBetween(800L, 1200L);
            assertThat(backoff.getDelay(2)).isBetween(2400L, 3600L);
            assertThat(backoff.getDelay(3)).isBetween(4000L, 6000L);
            assertThat(backoff.getDelay(100)).isBetween(24_000L, 36_000L);
        }
    }

    @Test
    void theWaitBeforeTheFirstAttemptIsShort() {
        for (int round = 0; round < 50; round++) {
            assertThat(backoff.getDelay(0)).isBetween(1L, 240L);
        }
    }
}
