package io.warren.it.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** The end-of-run banner lists every skipped test, grouped by what it needed. */
class SkipSummaryTest {

    @Test
    void listsEverySkipUnderWhatItNeeded() {
        String banner = runWithSummary(SampleSkips.class);

        assertThat(banner).contains("WARREN-IT: SKIPPED 2 tests that need RabbitMQ")
                .contains("SampleSkips#needsDirectReplyTo - direct reply-to")
                .contains("SampleSkips#needsBlocked - connection.blocked")
                .contains("WARREN-IT: SKIPPED 1 test that needs the oslo.messaging peer")
                .contains("SampleSkips#needsOslo - oslo RPC server")
                .contains("WARREN-IT: SKIPPED 1 test that needs the oslo.messaging 18.1.0 peer"
                        + " (../shared/oslo.messaging-18.1.0 or WARREN_IT_OSLO18_PATH)")
                .contains("SampleSkips#needsOslo18 - stream fanout with Python (no oslo.messaging-18.1.0 folder)")
                .contains("WARREN-IT: SKIPPED 1 test that needs root")
                .contains("SampleSkips#needsRoot - network partition (uid 1000)")
                .contains("WARREN-IT: SKIPPED 2 tests for other reasons")
                .contains("SampleSkips#assumesSomethingElse - Assumption failed: not today")
                .contains("SampleSkips#disabled - disabled: kept for the record")
                .doesNotContain("#runs");
    }

    @Test
    void printsNothingForARunWithoutSkipsThatNeverUsedTheBroker() {
        assertThat(runWithSummary(NoSkips.class)).isEmpty();
    }

    private static String runWithSummary(Class<?> tests) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false).build());
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(tests)).build(),
                    new SkipSummary(out));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Run only through runWithSummary (nested classes are not picked up by surefire). */
    static class SampleSkips {
        @Test
        void runs() {
        }

        @Test
        void needsDirectReplyTo() {
            Assumptions.abort(TestBroker.NEEDS_RABBITMQ + "direct reply-to");
        }

        @Test
        void needsBlocked() {
            Assumptions.abort(TestBroker.NEEDS_RABBITMQ + "connection.blocked");
        }

        @Test
        void needsOslo() {
            Assumptions.abort(TestBroker.NEEDS_OSLO_PEER + "oslo RPC server (no python)");
        }

        @Test
        void needsOslo18() {
            Assumptions.abort(TestBroker.NEEDS_OSLO18_PEER + "stream fanout with Python (no oslo.messaging-18.1.0 folder)");
        }

        @Test
        void needsRoot() {
            Assumptions.abort(TestBroker.NEEDS_ROOT + "network partition (uid 1000)");
        }

        @Test
        void assumesSomethingElse() {
            Assumptions.assumeTrue(false, "not today");
        }

        @Test
        @Disabled("kept for the record")
        void disabled() {
        }
    }

    /** Run only through runWithSummary. */
    static class NoSkips {
        @Test
        void runs() {
        }
    }
}
