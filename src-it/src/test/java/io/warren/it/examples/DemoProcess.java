package io.warren.it.examples;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The demo's {@code main} in a JVM of its own, as the README's command runs it (same class
 * path as this test, the WAR, the environment given): what it prints, how it ends on SIGTERM.
 * Output goes to a file, read while it runs; every wait is bounded.
 */
final class DemoProcess implements AutoCloseable {
    private final Process process;
    private final Path output;

    private DemoProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code DemoLauncher.main(war)} with {@code env} added to a copy of this JVM's environment without WARREN_URL. */
    static DemoProcess start(Path war, Map<String, String> env) {
        try {
            Path out = Files.createTempFile("warren-it-demo-", ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // Without the tests' own OpenTelemetry SDK testing jar: its context-storage service file would
            // reach the webapp's OpenTelemetry through the parent class loader, as no real launcher's does.
            String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                    .filter(entry -> !entry.contains("opentelemetry-sdk-testing"))
                    .collect(Collectors.joining(File.pathSeparator));
            ProcessBuilder builder = new ProcessBuilder(List.of(java, "-cp", classPath,
                    "io.warren.examples.demo.DemoLauncher", war.toString()))
                    .redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().remove("WARREN_URL");
            builder.environment().remove("WARREN_DEMO_WORKER");
            builder.environment().putAll(env);
            return new DemoProcess(builder.start(), out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the demo", e);
        }
    }

    /** @return everything printed so far, stdout and stderr interleaved */
    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until a line equal to {@code line} was printed.
     *
     * @throws AssertionError with the output when the process ended first or the time ran out
     */
    void awaitLine(String line, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().lines().anyMatch(line::equals)) {
            if (!process.isAlive()) {
                throw new AssertionError("the demo ended (exit " + process.exitValue() + ") before printing '" + line
                        + "':\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the demo did not print '" + line + "' within " + timeout + ":\n" + output());
            }
            Thread.sleep(100);
        }
    }

    /** @return the exit status once it ended by itself within {@code timeout} */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the demo did not end within " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    /** Sends SIGTERM and waits for the exit. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    /** Kills whatever is left and deletes the output file. */
    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Files.deleteIfExists(output);
    }
}
