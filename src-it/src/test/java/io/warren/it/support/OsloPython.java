package io.warren.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The oslo.messaging versions a Python peer can run with, on this machine's Debian Python
 * ({@value TestBroker#OSLO_PYTHON}):
 *
 * <ul>
 *   <li>{@link #V14}: Debian's python3-oslo.messaging 14.0.3, installed;
 *   <li>{@link #V18}: oslo.messaging 18.1.0 and oslo.context 6.4.0 from a source folder, run with
 *       {@code PBR_VERSION=18.1.0 PYTHONPATH=<folder>} on the same Python (Debian's packages meet
 *       its other dependencies). The folder is {@code warren.it.oslo18.path} /
 *       {@code WARREN_IT_OSLO18_PATH}, else {@code shared/oslo.messaging-18.1.0} beside the
 *       repository (or beside one of its parents). A user's clone has none: tests that need it
 *       skip loudly through {@link TestBroker#requireOsloPeer(OsloPython, String)}.
 * </ul>
 */
public enum OsloPython {
    V14("14.0.3"),
    V18("18.1.0");

    private static final String FOLDER = "oslo.messaging-18.1.0";
    /** Probe results per version: "" when usable, else why not. Probed once per JVM. */
    private static final Map<OsloPython, String> PROBLEMS = new ConcurrentHashMap<>();

    private final String version;

    OsloPython(String version) {
        this.version = version;
    }

    /** @return e.g. "14.0.3" */
    public String version() {
        return version;
    }

    /**
     * @return the command line that runs {@code script args...} with this version, as the leader of
     *     a process group of its own: oslo 18's queue manager reads the start time of its process
     *     group's leader from /proc, and the test JVM's leader may be long gone
     */
    public List<String> command(String script, List<String> args) {
        List<String> command = new ArrayList<>(List.of("setsid", TestBroker.OSLO_PYTHON, script));
        command.addAll(args);
        return command;
    }

    /** @return what the Python process needs in its environment to load this version */
    public Map<String, String> environment() {
        if (this == V14) {
            return Map.of();
        }
        Path folder = folder18();
        return Map.of("PBR_VERSION", version, "PYTHONPATH", folder == null ? "" : folder.toString());
    }

    /** @return "" when this version can run here, else what is missing */
    String problem() {
        return PROBLEMS.computeIfAbsent(this, OsloPython::probe);
    }

    private static String probe(OsloPython v) {
        String check;
        if (v == V14) {
            check = "import oslo_messaging";
        } else {
            Path folder = folder18();
            if (folder == null) {
                return "no " + FOLDER + " folder: set warren.it.oslo18.path / WARREN_IT_OSLO18_PATH, or put it at"
                        + " ../shared/" + FOLDER + " beside the repository";
            }
            // Debian's 14 is installed too: make sure the folder's copy is the one imported.
            check = "import oslo_messaging, oslo_context; from oslo_messaging._drivers import impl_rabbit;"
                    + " assert oslo_messaging.__file__.startswith('" + folder + "'), oslo_messaging.__file__;"
                    + " assert any(o.name == 'rabbit_stream_fanout' for o in impl_rabbit.rabbit_opts)";
        }
        try {
            BoundedProcess.Result result = BoundedProcess.run(Duration.ofSeconds(60),
                    List.of(TestBroker.OSLO_PYTHON, "-c", check), v.environment());
            if (result.exitCode() == 0) {
                return "";
            }
            String output = result.output().strip();
            return TestBroker.OSLO_PYTHON + " cannot load oslo.messaging " + v.version + ": "
                    + output.substring(output.lastIndexOf('\n') + 1);
        } catch (RuntimeException e) {
            return TestBroker.OSLO_PYTHON + " cannot load oslo.messaging " + v.version + ": " + e.getMessage();
        }
    }

    /** @return the 18.1.0 source folder, or null when there is none */
    static Path folder18() {
        String set = TestBroker.setting("warren.it.oslo18.path", "WARREN_IT_OSLO18_PATH", "").trim();
        if (!set.isEmpty()) {
            Path p = Paths.get(set).toAbsolutePath().normalize();
            return Files.isDirectory(p.resolve("oslo_messaging")) ? p : null;
        }
        // The tests run in src-it/ of the repository; shared/ lies beside the repository.
        Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve(FOLDER);
            if (Files.isDirectory(candidate.resolve("oslo_messaging"))) {
                return candidate;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "oslo.messaging " + version;
    }

    /** @return {@code 14} or {@code 18}, for names of broker objects */
    public String tag() {
        return version.substring(0, version.indexOf('.')).toLowerCase(Locale.ROOT);
    }
}
