package io.warren.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.ConfigOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docs/CONFIGURATION.md is what {@link ConfigurationReference} generates from the option tables,
 * byte for byte: a new option, a changed default or help text fails the normal build until the
 * committed copy is regenerated ({@code -Dwarren.updateDocs=true} rewrites it).
 */
class ConfigurationReferenceTest {
    private static final Path COMMITTED = Path.of(System.getProperty("basedir", "."))
            .resolve("../docs/CONFIGURATION.md").normalize();

    @Test
    void theCommittedReferenceIsWhatTheTablesGenerate() throws IOException {
        String generated = ConfigurationReference.markdown();
        if (Boolean.getBoolean("warren.updateDocs")) {
            Files.createDirectories(COMMITTED.getParent());
            Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
        }
        String committed = Files.isRegularFile(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";
        if (!committed.equals(generated)) {
            Path fresh = Path.of(System.getProperty("basedir", ".")).resolve("target/CONFIGURATION.md");
            Files.createDirectories(fresh.getParent());
            Files.writeString(fresh, generated, StandardCharsets.UTF_8);
        }
        assertThat(committed)
                .as(COMMITTED + " differs from what the option tables generate (" + firstDifference(committed, generated)
                        + "); the generated one is in connector-servlet/target/CONFIGURATION.md. Rewrite it with:"
                        + " mvn -B -q verify -pl connector-servlet -am -DskipITs -Dwarren.updateDocs=true")
                .isEqualTo(generated);
    }

    @Test
    void everySettingAndOptionIsInTheReferenceWithItsFourSpellings() {
        String doc = ConfigurationReference.markdown();
        for (ServletSetting s : ServletSetting.values()) {
            assertThat(doc).contains("### `" + s.key + "`", "`warren." + s.key + "`",
                    "`java:comp/env/warren/" + s.key + "`", "`" + ServletSettings.envName(s.key) + "`");
        }
        for (ConfigOption option : ConfigOption.all()) {
            String key = ServletSettings.servletKey(option);
            assertThat(doc).contains("### `" + option.name() + "`", "`warren." + key + "`",
                    "`java:comp/env/warren/" + key + "`", "`" + ServletSettings.envName(key) + "`");
        }
        assertThat(doc).contains("### `warren_call_expiration`", "`WARREN_CALL_EXPIRATION`",
                "`WARREN_HEALTH_ENABLED`", "`WARREN_RPC_SERVERS`");
    }

    @Test
    void noTwoSettingsShareASpelling() {
        Set<String> keys = new HashSet<>();
        Set<String> env = new HashSet<>();
        List<String> all = ServletSettings.servletKeys();
        for (String key : all) {
            assertThat(keys.add(key)).as("two settings are written warren." + key).isTrue();
            assertThat(env.add(ServletSettings.envName(key))).as("two settings are read from "
                    + ServletSettings.envName(key)).isTrue();
        }
    }

    private static String firstDifference(String a, String b) {
        String[] x = a.split("\n", -1);
        String[] y = b.split("\n", -1);
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String l = i < x.length ? x[i] : "<end of file>";
            String r = i < y.length ? y[i] : "<end of file>";
            if (!l.equals(r)) {
                return "first difference at line " + (i + 1) + ": committed '" + l + "', generated '" + r + "'";
            }
        }
        return "no line differs";
    }
}
