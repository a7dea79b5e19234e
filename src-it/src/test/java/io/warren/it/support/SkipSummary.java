package io.warren.it.support;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints one loud summary of every skipped test at the end of a test run, so a green build that
 * quietly skipped the RabbitMQ-only tests cannot pass unnoticed:
 * {@code WARREN-IT: SKIPPED 7 tests that need RabbitMQ: ...}, or
 * {@code WARREN-IT: no tests skipped (broker: rabbitmq)}.
 *
 * <p>A skip is an aborted test or container (a failed assumption, e.g. {@link TestBroker#requireRabbitMq})
 * or a disabled one. Registered through META-INF/services, so JUnit creates one per launcher.
 */
public final class SkipSummary implements TestExecutionListener {
    private static final String RABBITMQ_GROUP = "that need%s RabbitMQ";
    private static final String OSLO_GROUP = "that need%s the oslo.messaging peer (" + TestBroker.OSLO_PYTHON + ")";
    private static final String OSLO18_GROUP = "that need%s the oslo.messaging 18.1.0 peer"
            + " (../shared/oslo.messaging-18.1.0 or WARREN_IT_OSLO18_PATH)";
    private static final String ROOT_GROUP = "that need%s root";
    private static final String OTHER_GROUP = "for other reasons";

    private final Map<String, List<String>> skipsByGroup = new LinkedHashMap<>();
    private final PrintStream out;
    private boolean planHasTests;

    /** Made by the JUnit launcher (ServiceLoader); prints to stdout. */
    public SkipSummary() {
        this(System.out);
    }

    SkipSummary(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
        skipsByGroup.clear();
        planHasTests = testPlan.containsTests();
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier test, String reason) {
        record(test, OTHER_GROUP, "disabled: " + reason);
    }

    @Override
    public synchronized void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() != TestExecutionResult.Status.ABORTED) {
            return;
        }
        String message = result.getThrowable().map(Throwable::getMessage).orElse("aborted");
        if (message == null) {
            message = "aborted";
        }
        if (message.startsWith(TestBroker.NEEDS_RABBITMQ)) {
            record(test, RABBITMQ_GROUP, message.substring(TestBroker.NEEDS_RABBITMQ.length()));
        } else if (message.startsWith(TestBroker.NEEDS_OSLO18_PEER)) {
            record(test, OSLO18_GROUP, message.substring(TestBroker.NEEDS_OSLO18_PEER.length()));
        } else if (message.startsWith(TestBroker.NEEDS_ROOT)) {
            record(test, ROOT_GROUP, message.substring(TestBroker.NEEDS_ROOT.length()));
        } else if (message.startsWith(TestBroker.NEEDS_OSLO_PEER)) {
            record(test, OSLO_GROUP, message.substring(TestBroker.NEEDS_OSLO_PEER.length()));
        } else {
            record(test, OTHER_GROUP, message);
        }
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
        if (!planHasTests) {
            return;
        }
        print();
    }

    private void record(TestIdentifier test, String group, String why) {
        skipsByGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(name(test) + " - " + why);
    }

    private void print() {
        String broker = TestBroker.sharedKindIfChosen();
        if (skipsByGroup.isEmpty() && broker.equals("not used")) {
            return; // unit tests of the support code: nothing to report
        }
        if (skipsByGroup.isEmpty()) {
            out.println("WARREN-IT: no tests skipped (broker: " + broker + ")");
            out.flush();
            return;
        }
        StringBuilder banner = new StringBuilder();
        String rule = "WARREN-IT: " + "=".repeat(78) + "\n";
        banner.append(rule);
        skipsByGroup.forEach((group, skips) -> {
            boolean one = skips.size() == 1;
            banner.append("WARREN-IT: SKIPPED ").append(skips.size()).append(one ? " test " : " tests ")
                    .append(String.format(group, one ? "s" : "")).append(" (broker: ").append(broker).append("):\n");
            skips.forEach(s -> banner.append("WARREN-IT:   ").append(s).append('\n'));
        });
        banner.append(rule);
        out.print(banner);
        out.flush();
    }

    private static String name(TestIdentifier test) {
        Optional<TestSource> source = test.getSource();
        if (source.isPresent() && source.get() instanceof MethodSource method) {
            String className = method.getClassName();
            return className.substring(className.lastIndexOf('.') + 1) + "#" + method.getMethodName()
                    + (test.getDisplayName().startsWith(method.getMethodName()) ? "" : " [" + test.getDisplayName() + "]");
        }
        if (source.isPresent() && source.get() instanceof ClassSource type) {
            String className = type.getClassName();
            return className.substring(className.lastIndexOf('.') + 1) + " (every test in the class)";
        }
        return test.getDisplayName();
    }
}
