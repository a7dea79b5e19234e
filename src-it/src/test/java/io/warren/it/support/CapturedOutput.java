package io.warren.it.support;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Copies everything written to {@code System.out} and {@code System.err} while open, still passing
 * it on. slf4j-simple looks {@code System.err} up on every line (its output stream is not cached
 * by default), so every log line of the test JVM is captured too, whatever thread writes it.
 *
 * <pre>{@code
 * try (CapturedOutput output = CapturedOutput.start()) {
 *     ...
 *     assertThat(output.text()).doesNotContain(password);
 * }
 * }</pre>
 */
public final class CapturedOutput implements AutoCloseable {
    private final PrintStream originalOut;
    private final PrintStream originalErr;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    private CapturedOutput() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(new Tee(originalOut), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(originalErr), true, StandardCharsets.UTF_8));
    }

    /** Starts capturing. */
    public static CapturedOutput start() {
        return new CapturedOutput();
    }

    /** @return everything captured so far */
    public String text() {
        synchronized (copy) {
            return copy.toString(StandardCharsets.UTF_8);
        }
    }

    /** @return how many lines captured so far contain {@code needle} */
    public long linesContaining(String needle) {
        return text().lines().filter(line -> line.contains(needle)).count();
    }

    /** Stops capturing; System.out and System.err are what they were before. */
    @Override
    public void close() {
        System.out.flush();
        System.err.flush();
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    private final class Tee extends OutputStream {
        private final PrintStream passOn;

        Tee(PrintStream passOn) {
            this.passOn = passOn;
        }

        @Override
        public void write(int b) {
            synchronized (copy) {
                copy.write(b);
            }
            passOn.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (copy) {
                copy.write(b, off, len);
            }
            passOn.write(b, off, len);
        }

        @Override
        public void flush() {
            passOn.flush();
        }
    }
}
