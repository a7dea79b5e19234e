package io.warren;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rule of ARCHITECTURE.md, read from the compiled classes (their constant pools name
 * every class they use, fully qualified names and lambdas included, which imports do not): the
 * engine packages depend downwards only (rpc and notify on amqp and wire, never the reverse; amqp
 * and wire not on each other), none of them names {@link Connector}, and the API types of the root
 * package depend on no engine package. Only the {@code Connector} facade wires the engine together.
 */
class PackageDependencyTest {

    /** What each part may use besides itself. "api" is the root package but Connector, "facade" is Connector. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "api", Set.of("facade"),
            "metrics", Set.of("api"),
            "observation", Set.of("api"),
            "wire", Set.of("api"),
            "amqp", Set.of("api", "metrics"),
            "rpc", Set.of("api", "metrics", "observation", "amqp", "wire"),
            "notify", Set.of("api", "metrics", "observation", "amqp", "wire"),
            "facade", Set.of("api", "metrics", "observation", "amqp", "wire", "rpc", "notify"),
            "jmx", Set.of("api", "facade"));

    private static final Pattern WARREN_CLASS = Pattern.compile("io/warren/[A-Za-z0-9_/$]+");

    @Test
    void everyDependencyBetweenPackagesFollowsTheRule() throws Exception {
        Path classes = PublicApiTest.classesOf(Connector.class);
        List<String> broken = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                String from = classes.relativize(f).toString().replace('\\', '/').replace(".class", "");
                if (from.equals("module-info")) {
                    continue;
                }
                String fromPart = part(from);
                assertThat(ALLOWED).as("a package the rule does not know: " + from + "; add it to ALLOWED and"
                        + " to ARCHITECTURE.md").containsKey(fromPart);
                for (String to : referencedWarrenClasses(f)) {
                    String toPart = part(to);
                    if (toPart.equals(fromPart)) {
                        continue;
                    }
                    seen.add(fromPart + " -> " + toPart);
                    if (!ALLOWED.get(fromPart).contains(toPart)) {
                        broken.add(from.replace('/', '.') + " (" + fromPart + ") uses " + to.replace('/', '.')
                                + " (" + toPart + ")");
                    }
                }
            }
        }
        assertThat(broken).as("dependencies against the package rule (ARCHITECTURE.md)").isEmpty();
        // The rule is read from real classes: these edges exist, so the scan sees them.
        assertThat(seen).contains("rpc -> amqp", "rpc -> wire", "notify -> amqp", "notify -> wire", "facade -> rpc");
    }

    @Test
    void theRuleItselfHasNoCycle() {
        for (String start : ALLOWED.keySet()) {
            if (start.equals("api") || start.equals("facade")) {
                continue; // one package: the API and the facade that wires the engine under it
            }
            assertThat(reaches(start, start, new TreeSet<>())).as("a cycle through " + start).isFalse();
        }
    }

    private static boolean reaches(String from, String target, Set<String> visited) {
        for (String next : ALLOWED.get(from)) {
            if (next.equals("api") || next.equals("facade")) {
                continue;
            }
            if (next.equals(target) || (visited.add(next) && reaches(next, target, visited))) {
                return true;
            }
        }
        return false;
    }

    /** The part of the rule a class (binary name with slashes) belongs to. */
    private static String part(String internalName) {
        String pkg = internalName.substring(0, internalName.lastIndexOf('/')).replace('/', '.');
        if (pkg.equals("io.warren")) {
            return internalName.equals("io/warren/Connector") || internalName.startsWith("io/warren/Connector$")
                    ? "facade" : "api";
        }
        return pkg.substring("io.warren.".length());
    }

    /** Every io/warren class named in the class file's constant pool (class entries, descriptors, signatures). */
    static Set<String> referencedWarrenClasses(Path classFile) throws IOException {
        Set<String> out = new TreeSet<>();
        try (InputStream raw = Files.newInputStream(classFile); DataInputStream in = new DataInputStream(raw)) {
            in.readInt(); // magic
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> {
                        Matcher m = WARREN_CLASS.matcher(in.readUTF());
                        while (m.find()) {
                            out.add(m.group());
                        }
                    }
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                    case 5, 6 -> {
                        in.skipNBytes(8);
                        i++; // takes two slots
                    }
                    case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                    case 15 -> in.skipNBytes(3);
                    default -> throw new IOException(classFile + ": unknown constant pool tag " + tag);
                }
            }
        }
        return out;
    }
}
