package io.warren.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What a team adopting Warren looks for in the build: the BOM lists every published jar at the
 * reactor's version, and each published jar comes with its licence, notice, sources and Javadoc.
 */
class ReleaseShapeTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @Test
    void theBomManagesEveryPublishedJarAtTheReactorsVersion() throws Exception {
        Element parent = pom(ROOT.resolve("pom.xml"));
        Element bom = pom(ROOT.resolve("connector-core/bom/pom.xml"));
        assertThat(text(bom, "version")).as("warren-bom's version").isEqualTo(text(parent, "version"));
        assertThat(child(bom, "parent")).as("warren-bom has no parent (it would hand its managed test stack on)").isNull();

        TreeSet<String> published = new TreeSet<>();
        for (Element module : children(child(parent, "modules"), "module")) {
            Element pom = pom(ROOT.resolve(module.getTextContent().trim()).resolve("pom.xml"));
            String packaging = child(pom, "packaging") == null ? "jar" : text(pom, "packaging");
            Element properties = child(pom, "properties");
            boolean deployed = properties == null || child(properties, "maven.deploy.skip") == null
                    || !"true".equals(text(properties, "maven.deploy.skip"));
            if (packaging.equals("jar") && deployed) {
                published.add(text(pom, "artifactId"));
            }
        }
        TreeSet<String> managed = new TreeSet<>();
        for (Element dependency : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            assertThat(text(dependency, "groupId")).isEqualTo("io.warren");
            assertThat(text(dependency, "version")).isEqualTo("${project.version}");
            managed.add(text(dependency, "artifactId"));
        }
        assertThat(published).as("published jar modules of the reactor").contains("connector-core", "connector-servlet");
        assertThat(managed).as("what warren-bom manages").isEqualTo(published);
    }

    @Test
    void eachPublishedJarCarriesLicenceAndNoticeAndHasSourcesAndJavadoc() throws Exception {
        for (Class<?> type : List.of(io.warren.Connector.class, io.warren.servlet.WarrenContextListener.class)) {
            Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            assumeTrue(Files.isRegularFile(jar), "built as classes, not as a jar (run mvn verify): " + jar);
            try (JarFile j = new JarFile(jar.toFile())) {
                assertThat(j.getEntry("META-INF/LICENSE")).as(jar + " META-INF/LICENSE").isNotNull();
                assertThat(j.getEntry("META-INF/NOTICE")).as(jar + " META-INF/NOTICE").isNotNull();
            }
            String base = jar.getFileName().toString().replaceFirst("\\.jar$", "");
            assertThat(jar.resolveSibling(base + "-sources.jar")).isRegularFile();
            Path javadoc = jar.resolveSibling(base + "-javadoc.jar");
            assertThat(javadoc).isRegularFile();
            try (JarFile j = new JarFile(javadoc.toFile())) {
                // Both jars are modules: javadoc puts a module's pages under its name (io.warren/io/warren/...).
                String page = type.getName().replace('.', '/') + ".html";
                ModuleDescriptor descriptor = ModuleFinder.of(jar).findAll().iterator().next().descriptor();
                String module = descriptor.isAutomatic() ? "" : descriptor.name() + "/";
                assertThat(j.getEntry(module + page)).as(javadoc + " " + module + page).isNotNull();
            }
        }
        assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License", "Version 2.0, January 2004");
    }

    @Test
    void theJavaxJarIsConnectorServletRewrittenWithItsLicenceSourcesAndJavadoc() throws Exception {
        Path target = ROOT.resolve("connector-servlet/javax/target");
        String version = text(pom(ROOT.resolve("pom.xml")), "version");
        Path jar = target.resolve("connector-servlet-javax-" + version + ".jar");
        assumeTrue(Files.isRegularFile(jar), "connector-servlet-javax not packaged (run mvn verify): " + jar);
        try (JarFile j = new JarFile(jar.toFile())) {
            assertThat(j.getEntry("META-INF/LICENSE")).isNotNull();
            assertThat(j.getEntry("META-INF/NOTICE")).isNotNull();
            assertThat(j.getManifest().getMainAttributes().getValue("Automatic-Module-Name")).isEqualTo("io.warren.servlet.javax");
            // The same classes as connector-servlet's jar, under the same names, and the fragment.
            for (String type : List.of("WarrenContextListener", "Warren", "HealthServlet", "RequestIdFilter")) {
                assertThat(j.getEntry("io/warren/servlet/" + type + ".class")).as(type).isNotNull();
            }
            String fragment = new String(j.getInputStream(j.getEntry("META-INF/web-fragment.xml")).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertThat(fragment).contains("http://xmlns.jcp.org/xml/ns/javaee", "version=\"4.0\"").doesNotContain("jakarta");
            byte[] listener = j.getInputStream(j.getEntry("io/warren/servlet/WarrenContextListener.class")).readAllBytes();
            String constants = new String(listener, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(constants).contains("javax/servlet/ServletContextListener").doesNotContain("jakarta/servlet");
        }
        assertThat(target.resolve("connector-servlet-javax-" + version + "-sources.jar")).isRegularFile();
        Path javadoc = target.resolve("connector-servlet-javax-" + version + "-javadoc.jar");
        assertThat(javadoc).isRegularFile();
        try (JarFile j = new JarFile(javadoc.toFile())) {
            // An automatic module too: the pages go under its name.
            assertThat(j.getEntry("io.warren.servlet.javax/io/warren/servlet/WarrenContextListener.html")).isNotNull();
        }
    }

    private static Element pom(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = factory.newDocumentBuilder().parse(file.toFile());
        return doc.getDocumentElement();
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        assertThat(e).as("<" + name + "> in <" + parent.getTagName() + ">").isNotNull();
        return e.getTextContent().trim();
    }
}
