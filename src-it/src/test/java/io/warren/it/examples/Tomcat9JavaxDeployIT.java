package io.warren.it.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.it.support.TestBroker;
import io.warren.it.support.Tomcat;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * What a javax user runs: the demo WAR built for javax.servlet (examples/javax: the demo's sources
 * rewritten at build time, connector-servlet-javax in WEB-INF/lib) in Apache Tomcat 9 (Maven
 * Central's tar.gz, unpacked by src-it's pom) on this Java 17: deploy, 20 redeploys, the last
 * undeploy, and nothing left (TomcatRedeploys: connections, threads, class loaders, Tomcat's
 * leak warnings).
 */
class Tomcat9JavaxDeployIT {
    private final TestBroker broker = TestBroker.shared();

    @Test
    void theJavaxWarRedeploysTwentyTimesInTomcat9WithNothingLeft() throws Exception {
        Path war = Path.of(System.getProperty("warren.it.javaxDemoWar", "../examples/javax/target/examples-javax-0.1.0-SNAPSHOT.war"));
        assertThat(war).isRegularFile();
        try (JarFile j = new JarFile(war.toFile())) {
            // The WAR is what the test says: the javax jar of Warren, not the jakarta one, and a Servlet 4.0 web.xml.
            assertThat(j.stream().map(ZipEntry::getName).filter(n -> n.startsWith("WEB-INF/lib/connector-servlet")))
                    .singleElement().asString().startsWith("WEB-INF/lib/connector-servlet-javax-");
            String webXml = new String(j.getInputStream(j.getEntry("WEB-INF/web.xml")).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(webXml).contains("http://xmlns.jcp.org/xml/ns/javaee", "version=\"4.0\"").doesNotContain("jakarta");
        }
        TomcatRedeploys.Counts counts = TomcatRedeploys.run(broker, Tomcat.Distribution.apache(9), war, null);
        System.out.println("WARREN-IT: " + counts);
    }
}
