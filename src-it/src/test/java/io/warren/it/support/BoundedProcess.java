package io.warren.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external command with a bound on its run time, stdout and stderr merged into one captured
 * text. Output goes through a temporary file, not a pipe: a daemon the command leaves behind
 * (rabbitmq-server started in the background) cannot keep the call waiting for end-of-stream.
 */
public final class BoundedProcess {
    private BoundedProcess() {
    }

    /** Exit code and merged output of a finished command. */
    public static final class Result {
        private final List<String> command;
        private final int exitCode;
        private final String output;

        Result(List<String> command, int exitCode, String output) {
            this.command = List.copyOf(command);
            this.exitCode = exitCode;
            this.output = output;
        }

        /** The command's exit code. */
        public int exitCode() {
            return exitCode;
        }

        /** stdout and stderr, interleaved as written. */
        public String output() {
            return output;
        }

        /**
         * This result when the exit code is 0.
         *
         * @throws IllegalStateException naming the command, exit code and output otherwise
         */
        public Result requireSuccess() {
            if (exitCode != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + exitCode + ":\n"
                        + output);
            }
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " -> " + exitCode;
        }
    }

    /**
     * Runs {@code command} with {@code extraEnv} added to this JVM's environment and waits at most
     * {@code timeout}; on time-out the process and its descendants are killed.
     *
     * @throws IllegalStateException when the command cannot start or exceeds the time-out
     */
    public static Result run(Duration timeout, List<String> command, Map<String, String> extraEnv) {
        Path out = null;
        try {
            out = Files.createTempFile("warren-it-process-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(devNull()));
            builder.environment().putAll(extraEnv);
            Process process = builder.start();
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill(process);
                throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
            }
            if (!finished) {
                kill(process);
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
                        + "; killed. Output so far:\n" + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a stray temp file is not worth failing a test over
                }
            }
        }
    }

    private static java.io.File devNull() {
        return new java.io.File("/dev/null");
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
