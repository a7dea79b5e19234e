package io.warren.it.rpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.warren.it.support.OsloPython;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs src-it's oslo_peer.py with one of the {@link OsloPython} versions and a set of
 * {@code [oslo_messaging_rabbit]} options, every wait bounded.
 */
final class OsloPeer implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    private OsloPeer(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // process ended
            }
        }, "it-oslo-peer-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static Path script() throws IOException {
        return script("oslo_peer.py");
    }

    /**
     * @param name a script in src-it's resources {@code oslo-peer/}
     * @return the script in a folder of its own, with the stand-in nova package beside it (Python
     *         puts the script's folder on its path)
     */
    static Path script(String name) throws IOException {
        Path dir = Files.createTempDirectory("oslo_peer");
        dir.toFile().deleteOnExit();
        Files.createDirectory(dir.resolve("nova")).toFile().deleteOnExit();
        for (String file : List.of(name, "nova/__init__.py", "nova/exception.py")) {
            Path copy = dir.resolve(file);
            try (InputStream in = OsloPeer.class.getResourceAsStream("/oslo-peer/" + file)) {
                Files.write(copy, in.readAllBytes());
            }
            copy.toFile().deleteOnExit();
        }
        return dir.resolve(name);
    }

    /** Starts {@code oslo_peer.py <args>} with Debian's oslo.messaging 14 and its defaults. */
    static OsloPeer start(String... args) throws IOException {
        return start(OsloPython.V14, Map.of(), null, args);
    }

    /**
     * Starts {@code oslo_peer.py <args>}; output lines are collected.
     *
     * @param options {@code [oslo_messaging_rabbit]} options for the peer (JSON values)
     * @param lockPath oslo_concurrency's lock_path (the queue manager needs one), or null
     */
    static OsloPeer start(OsloPython version, Map<String, Object> options, Path lockPath, String... args)
            throws IOException {
        return startScript("oslo_peer.py", version, options, lockPath, args);
    }

    /** Starts another script of {@code oslo-peer/}, as {@link #start(OsloPython, Map, Path, String...)} does. */
    static OsloPeer startScript(String script, OsloPython version, Map<String, Object> options, Path lockPath,
                                String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(version.command(script(script).toString(), List.of(args)))
                .redirectErrorStream(true);
        pb.environment().putAll(version.environment());
        pb.environment().put("PYTHONUNBUFFERED", "1");
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // nothing left in the script's folder
        pb.environment().put("WARREN_PEER_OPTIONS", new ObjectMapper().writeValueAsString(options));
        if (lockPath != null) {
            pb.environment().put("WARREN_PEER_LOCK_PATH", lockPath.toString());
        }
        return new OsloPeer(pb.start());
    }

    /** @return the next output line starting with {@code prefix}, skipping log lines */
    String await(String prefix, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<String> skipped = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null) {
                if (line.startsWith(prefix)) {
                    return line;
                }
                skipped.add(line);
            } else if (!process.isAlive() && lines.isEmpty()) {
                break;
            }
        }
        throw new AssertionError("the oslo peer printed no line starting with '" + prefix + "' within " + seconds
                + " s; it printed: " + String.join("\n", skipped));
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            try (OutputStream in = process.getOutputStream()) {
                in.write("STOP\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // already gone
            }
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
                reader.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
