package io.warren.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import io.warren.PublishException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ConfirmTrackerTest {
    private final PublishCounters counters = new PublishCounters();
    private final ConfirmTracker tracker = new ConfirmTracker("shop", counters);
    private final Object channelBeforeRecovery = new Object();
    private final Object channelAfterRecovery = new Object();

    private static OutboundMessage message(String body) {
        return new OutboundMessage("nova", "compute", true, new AMQP.BasicProperties(),
                body.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(1));
    }

    @Test
    void acksCompleteAndNacksFailTheirOwnMessagesOnly() {
        CompletableFuture<Void> one = tracker.track(channelBeforeRecovery, 1, message("a"), Long.MAX_VALUE).future;
        CompletableFuture<Void> two = tracker.track(channelBeforeRecovery, 2, message("b"), Long.MAX_VALUE).future;
        CompletableFuture<Void> three = tracker.track(channelBeforeRecovery, 3, message("c"), Long.MAX_VALUE).future;

        tracker.handleAck(2, false);
        assertThat(two).isCompleted();
        assertThat(one).isNotDone();

        tracker.handleNack(3, false);
        assertThat(three).isCompletedExceptionally();
        assertThat(reason(three)).isEqualTo(PublishException.Reason.NACKED);
        assertThat(tracker.outstanding()).isEqualTo(1);
        assertThat(counters.confirmed.sum()).isEqualTo(1);
        assertThat(counters.nacked.sum()).isEqualTo(1);
    }

    @Test
    void aMultipleAckSettlesEverythingUpToItsTag() {
        CompletableFuture<Void> one = tracker.track(channelBeforeRecovery, 1, message("a"), Long.MAX_VALUE).future;
        CompletableFuture<Void> two = tracker.track(channelBeforeRecovery, 2, message("b"), Long.MAX_VALUE).future;
        CompletableFuture<Void> three = tracker.track(channelBeforeRecovery, 3, message("c"), Long.MAX_VALUE).future;

        tracker.handleAck(2, true);

        assertThat(one).isCompleted();
        assertThat(two).isCompleted();
        assertThat(three).isNotDone();
    }

    @Test
    void aReturnedMandatoryMessageFailsAsUnroutableWhenItsAckArrives() {
        CompletableFuture<Void> kept = tracker.track(channelBeforeRecovery, 1, message("kept"), Long.MAX_VALUE).future;
        CompletableFuture<Void> lost = tracker.track(channelBeforeRecovery, 2, message("lost"), Long.MAX_VALUE).future;

        tracker.handleReturn(312, "NO_ROUTE", "nova", "compute", new AMQP.BasicProperties(),
                "lost".getBytes(StandardCharsets.UTF_8));
        tracker.handleAck(2, true);

        assertThat(kept).isCompleted();
        assertThat(reason(lost)).isEqualTo(PublishException.Reason.UNROUTABLE);
        assertThat(counters.returned.sum()).isEqualTo(1);
    }

    @Test
    void afterRecoveryOldMessagesFailAndNewAcksNeverSettleThem() {
        CompletableFuture<Void> inFlight = tracker.track(channelBeforeRecovery, 1, message("old"), Long.MAX_VALUE).future;

        // amqp-client recovered the channel: sequence numbers start at 1 again.
        CompletableFuture<Void> fresh = tracker.track(channelAfterRecovery, 1, message("new"), Long.MAX_VALUE).future;
        tracker.handleAck(1, false);

        assertThat(fresh).isCompleted();
        assertThat(inFlight).isNotDone();

        tracker.failAllOn(channelBeforeRecovery, "connection reset");
        assertThat(reason(inFlight)).isEqualTo(PublishException.Reason.CONNECTION_LOST);
        assertThat(tracker.outstanding()).isZero();
    }

    @Test
    void overdueMessagesAreExpiredWhateverTheirOrder() {
        long now = System.nanoTime();
        ConfirmTracker.Pending late = tracker.track(channelBeforeRecovery, 1, message("long"), now + 60_000_000_000L);
        ConfirmTracker.Pending overdue = tracker.track(channelBeforeRecovery, 2, message("short"), now - 1);
        java.util.List<ConfirmTracker.Pending> expired = new java.util.ArrayList<>();

        tracker.expire(now, expired::add);

        assertThat(expired).containsExactly(overdue);
        assertThat(late.future).isNotDone();
        assertThat(tracker.outstanding()).isEqualTo(1);
    }

    private static PublishException.Reason reason(CompletableFuture<Void> f) {
        Throwable[] seen = new Throwable[1];
        f.whenComplete((v, e) -> seen[0] = e);
        assertThat(seen[0]).isInstanceOf(PublishException.class);
        return ((PublishException) seen[0]).reason();
    }
}
