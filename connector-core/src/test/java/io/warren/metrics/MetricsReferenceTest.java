package io.warren.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.warren.wire.WireException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's metrics reference against the meters a recorder really registers: a meter added,
 * renamed, or given another type, unit or tag without the table fails here, and so does a
 * Prometheus series or scrape line the README shows that a real scrape does not have.
 */
class MetricsReferenceTest {
    private static final Path README = Path.of(System.getProperty("user.dir")).getParent().resolve("README.md");
    private static final Pattern TICKED = Pattern.compile("`([^`]+)`");

    /** One row of the table: what the README says about a meter. */
    private static final class Row {
        final String type;
        final String unit;
        final Set<String> tags;
        final Set<String> series;
        final String tagColumn;

        Row(String type, String unit, Set<String> tags, Set<String> series, String tagColumn) {
            this.type = type;
            this.unit = unit;
            this.tags = tags;
            this.series = series;
            this.tagColumn = tagColumn;
        }

        String shape() {
            return type + ", unit " + unit + ", tags " + tags;
        }
    }

    @Test
    void everyMeterARecorderRegistersIsInTheReadmeAsItIs() throws Exception {
        Map<String, Row> documented = table();
        MeterRegistry registry = new SimpleMeterRegistry();
        MicrometerRecorder recorder = new MicrometerRecorder(registry, "shop");
        recordOneOfEverything(recorder);

        Map<String, String> registered = new TreeMap<>();
        for (Meter m : registry.getMeters()) {
            Meter.Id id = m.getId();
            Set<String> tags = id.getTags().stream().map(t -> t.getKey()).filter(k -> !k.equals(MicrometerRecorder.TAG))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(id.getTag(MicrometerRecorder.TAG)).as(id.getName() + " carries warren.connector").isEqualTo("shop");
            registered.put(id.getName(), id.getType().name().toLowerCase(Locale.ROOT) + ", unit "
                    + (id.getBaseUnit() == null ? "—" : id.getBaseUnit()) + ", tags " + tags);
        }
        Map<String, String> shown = new TreeMap<>();
        documented.forEach((name, row) -> shown.put(name, row.shape()));
        assertThat(shown).as("README.md ## Metrics (actual) against what MicrometerRecorder registers (expected)")
                .isEqualTo(registered);

        Set<String> kinds = Arrays.stream(WireException.Kind.values()).map(WireException.Kind::tag)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> shownKinds = new TreeSet<>(ticked(documented.get("warren.messages.rejected").tagColumn));
        shownKinds.remove("kind");
        assertThat(shownKinds).as("the kinds of refusal the README lists").isEqualTo(kinds);
        recorder.close();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void thePrometheusSeriesAndTheScrapeSampleAreThoseOfARealScrape() throws Exception {
        Map<String, Row> documented = table();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MicrometerRecorder recorder = new MicrometerRecorder(registry, "shop");
        // What the sample shows: one call of get_server on topic compute, 12 ms; one info notification.
        recorder.rpcCall("compute", "get_server", 12_000_000, "ok");
        recorder.notificationReceived("info", "ok");
        recordOneOfEverything(recorder);
        String scrape = registry.scrape();

        Set<String> scraped = new TreeSet<>();
        for (String line : scrape.lines().toList()) {
            if (!line.startsWith("#") && !line.isBlank()) {
                scraped.add(line.substring(0, line.indexOf('{')));
            }
        }
        Set<String> shownSeries = new TreeSet<>();
        documented.values().forEach(r -> shownSeries.addAll(r.series));
        assertThat(shownSeries).as("the Prometheus series of the README's table against a real scrape").isEqualTo(scraped);

        List<String> sample = scrapeSample();
        assertThat(sample).as("the README's scrape sample").isNotEmpty();
        List<String> real = scrape.lines().toList();
        for (String line : sample) {
            assertThat(real).as("a real scrape has the README's line").contains(line);
        }
        recorder.close();
    }

    /** Calls every method of {@link MetricsRecorder} once, so a meter added with a new method is seen too. */
    private static void recordOneOfEverything(MetricsRecorder recorder) throws Exception {
        for (Method m : MetricsRecorder.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.getName().equals("close") || m.getName().equals("amqpCollector")) {
                continue;
            }
            Object[] args = new Object[m.getParameterCount()];
            Class<?>[] types = m.getParameterTypes();
            for (int i = 0; i < args.length; i++) {
                args[i] = types[i] == String.class ? "x" : types[i] == long.class ? 1L : types[i] == int.class ? 1
                        : types[i] == double.class ? 1.0 : types[i] == boolean.class ? Boolean.TRUE
                        : types[i] == java.time.Duration.class ? java.time.Duration.ofMillis(1) : null;
                assertThat(args[i]).as("an argument for " + m + " (teach this test its type)").isNotNull();
            }
            m.invoke(recorder, args);
        }
    }

    private static List<String> metricsSection() throws Exception {
        List<String> lines = Files.readAllLines(README);
        int start = lines.indexOf("## Metrics");
        assertThat(start).as("README.md has a '## Metrics' section").isNotNegative();
        int end = start + 1;
        while (end < lines.size() && !lines.get(end).startsWith("## ")) {
            end++;
        }
        return lines.subList(start, end);
    }

    private static Map<String, Row> table() throws Exception {
        Map<String, Row> rows = new TreeMap<>();
        for (String line : metricsSection()) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            // "", meter, type, unit, tags, series
            assertThat(cells).as(line).hasSize(6);
            String name = ticked(cells[1]).get(0);
            String unit = cells[3].strip();
            Set<String> tags = new TreeSet<>(ticked(cells[4].replaceAll("\\([^)]*\\)", "")));
            List<String> series = ticked(cells[5]);
            Set<String> expanded = new TreeSet<>();
            String base = series.get(0).replaceFirst("_[a-z]+$", "");
            for (String s : series) {
                expanded.add(s.startsWith("_") ? base + s : s);
            }
            Row previous = rows.put(name, new Row(cells[2].strip(), unit, tags, expanded, cells[4]));
            assertThat(previous).as("one row for " + name).isNull();
        }
        assertThat(rows).as("rows of the metrics table in " + README).isNotEmpty();
        return rows;
    }

    /** The lines of the {@code ```text} block of the Metrics section that starts with {@code # TYPE}. */
    private static List<String> scrapeSample() throws Exception {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String line : metricsSection()) {
            if (line.startsWith("```")) {
                if (in) {
                    break;
                }
                continue;
            }
            if (!in && line.startsWith("# TYPE ")) {
                in = true;
            }
            if (in) {
                out.add(line);
            }
        }
        return out;
    }

    private static List<String> ticked(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = TICKED.matcher(cell);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
