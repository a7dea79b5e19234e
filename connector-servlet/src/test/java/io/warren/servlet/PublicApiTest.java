package io.warren.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * connector-servlet's public API is the listener a web.xml names and the accessor a webapp calls;
 * the health servlet, the request-id filter, the settings and the declared endpoints are the
 * listener's own. A new public type fails this test until it is added here on purpose (the same
 * rule as connector-core's PublicApiTest).
 */
class PublicApiTest {
    private static final Set<String> API = Set.of(
            "io.warren.servlet.Warren",
            "io.warren.servlet.WarrenContextListener");

    @Test
    void theModuleExportsOnlyTheServletPackageAndItsPublicTypesAreTheListedOnes() throws Exception {
        Path classes = Path.of(WarrenContextListener.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> exported;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            exported = ModuleDescriptor.read(in).exports().stream()
                    .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        }
        assertThat(exported).containsExactly("io.warren.servlet");

        Set<String> reachable = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                String relative = classes.relativize(f).toString().replace('\\', '/');
                if (relative.endsWith("module-info.class")) {
                    continue;
                }
                Class<?> type = Class.forName(relative.replace(".class", "").replace('/', '.'), false,
                        getClass().getClassLoader());
                boolean visible = true;
                for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
                    visible &= Modifier.isPublic(t.getModifiers()) && !t.isAnonymousClass() && !t.isLocalClass();
                }
                if (visible) {
                    reachable.add(type.getName());
                }
            }
        }
        assertThat(reachable)
                .as("public types of connector-servlet: add a new one to API in this test if webapps are meant to"
                        + " touch it, else make it package-private")
                .containsExactlyInAnyOrderElementsOf(API);
    }
}
