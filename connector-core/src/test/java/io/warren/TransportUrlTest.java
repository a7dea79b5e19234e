package io.warren;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransportUrlTest {

    static JsonNode fixture(String name) throws IOException {
        try (InputStream in = TransportUrlTest.class.getResourceAsStream("/oslo-wire/" + name)) {
            assertThat(in).as("classpath resource /oslo-wire/" + name).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    static List<JsonNode> urlExamples() throws IOException {
        List<JsonNode> examples = new ArrayList<>();
        fixture("transport_url_examples.json").get("examples").forEach(examples::add);
        return examples;
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    @Test
    void everyFixtureVectorParsesAsOsloParsesIt() throws IOException {
        List<JsonNode> examples = urlExamples();
        assertThat(examples).hasSize(12);
        for (JsonNode example : examples) {
            String text = example.get("url").asText();
            TransportUrl url = TransportUrl.parse(text);
            String vector = "vector " + text;

            assertThat(url.scheme()).as(vector).isEqualTo(example.get("transport").asText());
            String osloVhost = textOrNull(example.get("virtual_host"));
            assertThat(url.pathVirtualHost()).as(vector).isEqualTo(osloVhost);
            assertThat(url.virtualHost()).as(vector)
                    .isEqualTo(osloVhost == null || osloVhost.isEmpty() ? "/" : osloVhost);

            Map<String, String> query = new LinkedHashMap<>();
            example.get("query").fields().forEachRemaining(e -> query.put(e.getKey(), e.getValue().asText()));
            assertThat(url.query()).as(vector).containsExactlyEntriesOf(query);

            JsonNode hosts = example.get("hosts");
            if (hosts.isEmpty()) {
                assertThat(url.hasImplicitHost()).as(vector).isTrue();
                assertThat(url.hosts()).as(vector).hasSize(1);
                assertThat(url.hosts().get(0).address()).isEqualTo("localhost:5672");
                assertThat(url.hosts().get(0).username()).isNull();
            } else {
                assertThat(url.hasImplicitHost()).as(vector).isFalse();
                assertThat(url.hosts()).as(vector).hasSize(hosts.size());
                for (int i = 0; i < hosts.size(); i++) {
                    JsonNode expected = hosts.get(i);
                    TransportUrl.Host host = url.hosts().get(i);
                    assertThat(host.hostname()).as(vector).isEqualTo(expected.get("hostname").asText());
                    if (expected.get("port").isNull()) {
                        assertThat(host.port()).as(vector).isEqualTo(5672);
                        assertThat(host.explicitPort()).as(vector).isFalse();
                    } else {
                        assertThat(host.port()).as(vector).isEqualTo(expected.get("port").asInt());
                        assertThat(host.explicitPort()).as(vector).isTrue();
                    }
                    assertThat(host.username()).as(vector).isEqualTo(textOrNull(expected.get("username")));
                    assertThat(host.password()).as(vector).isEqualTo(textOrNull(expected.get("password")));
                }
            }
        }
    }

    @Test
    void fixtureVectorsGiveTheBrokerUrlsOsloDerives() throws IOException {
        for (JsonNode example : urlExamples()) {
            String text = example.get("url").asText();
            TransportUrl url = TransportUrl.parse(text);
            List<String> derived = new ArrayList<>();
            for (TransportUrl.Host host : url.hosts()) {
                boolean noCredentials = host.username() == null;
                // oslo's driver writes guest:guest only for the implicit localhost
                String user = url.hasImplicitHost() ? "guest" : noCredentials ? "" : host.username();
                String pass = url.hasImplicitHost() ? "guest" : noCredentials ? "" : host.password();
                String vhost = url.pathVirtualHost() == null ? "" : url.pathVirtualHost();
                derived.add(("kombu".equals(url.scheme()) ? "kombu" : "amqp") + "://"
                        + TransportUrl.percentEncode(user) + ":" + TransportUrl.percentEncode(pass) + "@"
                        + host.address() + "/" + vhost);
            }
            List<String> expected = new ArrayList<>();
            example.get("kombu_urls_before_shuffle").forEach(n -> expected.add(n.asText()));
            assertThat(derived).as("vector " + text).isEqualTo(expected);
        }
    }

    @Test
    void amqpsMeansTlsAndPort5671() {
        TransportUrl url = TransportUrl.parse("amqps://u:p@h1,h2:6000/vh");
        assertThat(url.isTls()).isTrue();
        assertThat(url.hosts()).extracting(TransportUrl.Host::address).containsExactly("h1:5671", "h2:6000");
        assertThat(TransportUrl.parse("amqp://h1").isTls()).isFalse();
        assertThat(TransportUrl.parse("rabbit://h1").hosts().get(0).port()).isEqualTo(5672);
    }

    @Test
    void schemeIsCaseInsensitiveAndSurroundingWhitespaceIsIgnored() {
        TransportUrl url = TransportUrl.parse("  RABBIT://h1/vh\n");
        assertThat(url.scheme()).isEqualTo("rabbit");
        assertThat(url.virtualHost()).isEqualTo("vh");
    }

    @Test
    void emptyPortMeansTheDefault() {
        TransportUrl.Host host = TransportUrl.parse("rabbit://h1:/").hosts().get(0);
        assertThat(host.port()).isEqualTo(5672);
        assertThat(host.explicitPort()).isFalse();
    }

    @Test
    void ipv6AddressesKeepTheirBracketsInAddresses() {
        TransportUrl.Host host = TransportUrl.parse("rabbit://[fd00::1]:5673,[::1]/").hosts().get(0);
        assertThat(host.hostname()).isEqualTo("fd00::1");
        assertThat(host.address()).isEqualTo("[fd00::1]:5673");
        assertThat(TransportUrl.parse("rabbit://[::1]/").hosts().get(0).address()).isEqualTo("[::1]:5672");
    }

    @Test
    void virtualHostRules() {
        assertThat(TransportUrl.parse("rabbit://h1").virtualHost()).isEqualTo("/");
        assertThat(TransportUrl.parse("rabbit://h1/").virtualHost()).isEqualTo("/");
        assertThat(TransportUrl.parse("rabbit://h1//").virtualHost()).isEqualTo("/");
        assertThat(TransportUrl.parse("rabbit://h1/%2F").virtualHost()).isEqualTo("/");
        assertThat(TransportUrl.parse("rabbit://h1/%2f").virtualHost()).isEqualTo("/");
        assertThat(TransportUrl.parse("rabbit://h1/nova").virtualHost()).isEqualTo("nova");
        assertThat(TransportUrl.parse("rabbit://h1/a%2Fb%20c").virtualHost()).isEqualTo("a/b c");
        assertThat(TransportUrl.parse("rabbit://h1/caf%C3%A9").virtualHost()).isEqualTo("café");
        assertThat(TransportUrl.parse("rabbit:///nova?ssl=1").virtualHost()).isEqualTo("nova");
        assertThat(TransportUrl.parse("rabbit:///nova").hosts().get(0).address()).isEqualTo("localhost:5672");
    }

    @Test
    void percentDecodingKeepsMalformedEscapesInUserNamesAsPython() {
        assertThat(TransportUrl.parse("rabbit://u%zz%4:p@h1/").hosts().get(0).username()).isEqualTo("u%zz%4");
        assertThat(TransportUrl.parse("rabbit://us%65r:p@h1/").hosts().get(0).username()).isEqualTo("user");
    }

    @Test
    void credentialsEndAtTheLastAtSignAndSplitAtTheFirstColon() {
        TransportUrl.Host host = TransportUrl.parse("rabbit://us@er:pa:ss@h1/").hosts().get(0);
        assertThat(host.username()).isEqualTo("us@er");
        assertThat(host.password()).isEqualTo("pa:ss");
        assertThat(host.hostname()).isEqualTo("h1");
    }

    @Test
    void aPasswordWithARawAtSignOrABadPercentEscapeIsRefusedWithoutShowingIt() {
        // The issue's example: oslo takes it as written and the broker answers ACCESS_REFUSED.
        for (String url : List.of("amqp://guest:p@ss%w0rd@host/", "rabbit://u:p@NEVER-LOGGED@h1/",
                "rabbit://u:NEVER-LOGGED%zz@h1/", "rabbit://u:NEVER-LOGGED%4@h1/", "rabbit://u:NEVER-LOGGED%@h1/",
                "rabbit://a:ok@h1,u:NEVER-LOGGED@x@h2/")) {
            assertThatThrownBy(() -> TransportUrl.parse(url)).as(url)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("percent-encode the password")
                    .hasMessageNotContaining("NEVER-LOGGED")
                    .hasMessageNotContaining("p@ss")
                    .hasMessageNotContaining("w0rd");
        }
        assertThatThrownBy(() -> TransportUrl.parse("rabbit://a:ok@h1,u:NEVER-LOGGED@x@h2/"))
                .hasMessageContaining("host #2").hasMessageContaining("raw '@'");
        assertThatThrownBy(() -> TransportUrl.parse("amqp://guest:p@ss%w0rd@host/"))
                .hasMessageContaining("raw '@' and a '%' that starts no %XX escape");
        // Encoded, the same password is fine.
        assertThat(TransportUrl.parse("amqp://guest:p%40ss%25w0rd@host/").hosts().get(0).password()).isEqualTo("p@ss%w0rd");
    }

    @Test
    void userWithoutPasswordHasNullPassword() {
        TransportUrl.Host host = TransportUrl.parse("rabbit://u@h1/").hosts().get(0);
        assertThat(host.username()).isEqualTo("u");
        assertThat(host.password()).isNull();
    }

    @Test
    void emptyHostEntriesAreSkipped() {
        assertThat(TransportUrl.parse("rabbit://h1,,h2,/").hosts())
                .extracting(TransportUrl.Host::hostname).containsExactly("h1", "h2");
    }

    @Test
    void queryFollowsPythonParseQs() {
        TransportUrl url = TransportUrl.parse("rabbit://h1/?b=1&a=x+y%2Cz&b=2&blank=&novalue&c=%41");
        assertThat(url.query()).containsExactly(
                Map.entry("b", "1,2"), Map.entry("a", "x y,z"), Map.entry("c", "A"));
    }

    @Test
    void queryIsUnmodifiable() {
        TransportUrl url = TransportUrl.parse("rabbit://h1/?ssl=1");
        assertThatThrownBy(() -> url.query().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> url.hosts().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void badPortIsNamedWithItsHost() {
        assertThatThrownBy(() -> TransportUrl.parse("rabbit://h1:abc/"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("transport URL: port 'abc' of host 'h1' is not a number from 1 to 65535")
                .extracting(e -> ((ConfigException) e).option()).isEqualTo("transport_url");
        assertThatThrownBy(() -> TransportUrl.parse("rabbit://h1:0/"))
                .hasMessageContaining("port '0' of host 'h1'");
        assertThatThrownBy(() -> TransportUrl.parse("rabbit://h1,h2:65536/"))
                .hasMessageContaining("port '65536' of host 'h2'");
        assertThatThrownBy(() -> TransportUrl.parse("rabbit://h1:-5/"))
                .hasMessageContaining("port '-5' of host 'h1'");
    }

    @Test
    void unbracketedIpv6GetsAHint() {
        assertThatThrownBy(() -> TransportUrl.parse("rabbit://fd00::1/"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be written in brackets");
    }

    @Test
    void malformedUrlsAreRefusedNamingThePart() {
        assertThatThrownBy(() -> TransportUrl.parse(null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> TransportUrl.parse("  ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> TransportUrl.parse("h1:5672")).hasMessageContaining("scheme 'h1'");
        assertThatThrownBy(() -> TransportUrl.parse("localhost")).hasMessageContaining("no scheme");
        assertThatThrownBy(() -> TransportUrl.parse("http://h1/")).hasMessageContaining("scheme 'http'")
                .hasMessageContaining("rabbit");
        assertThatThrownBy(() -> TransportUrl.parse("kombu+memory://"))
                .hasMessageContaining("passthrough");
        assertThatThrownBy(() -> TransportUrl.parse("rabbit:h1")).hasMessageContaining("expected '//'");
        assertThatThrownBy(() -> TransportUrl.parse("rabbit://[fd00::1/"))
                .hasMessageContaining("no closing ']'");
        assertThatThrownBy(() -> TransportUrl.parse("rabbit://[fd00::1]x/"))
                .hasMessageContaining("unexpected text after the IPv6 address");
        assertThatThrownBy(() -> TransportUrl.parse("rabbit://u:p@/"))
                .hasMessageContaining("host #1 has no host name");
        assertThatThrownBy(() -> TransportUrl.parse("rabbit://h1,:5672/"))
                .hasMessageContaining("host #2 has no host name");
        assertThatThrownBy(() -> TransportUrl.parse("rabbit://h 1/"))
                .hasMessageContaining("invalid host name 'h 1'");
        assertThatThrownBy(() -> TransportUrl.parse("rabbit://h1/vh#frag"))
                .hasMessageContaining("'#' is not allowed");
    }

    @Test
    void aPasswordWithAnUnencodedSlashIsNotEchoed() {
        assertThatThrownBy(() -> TransportUrl.parse("rabbit://user:s3cr/3t@h1:5672/"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be percent-encoded")
                .hasMessageNotContaining("s3cr")
                .hasMessageNotContaining("3t@");
        assertThatThrownBy(() -> TransportUrl.parse("rabbit://user:s3cr?3t@h1:5672/"))
                .hasMessageNotContaining("s3cr");
        assertThatThrownBy(() -> TransportUrl.parse("rabbit://user:s3cr#3t@h1:5672/"))
                .hasMessageNotContaining("s3cr");
    }

    @Test
    void aPasswordWithAnUnencodedCommaIsNotEchoedAsAPort() {
        // "u:s3cr,3t@h1" splits into host "u" with port "s3cr" and host "h1" with user "3t".
        assertThatThrownBy(() -> TransportUrl.parse("rabbit://u:s3cr,3t@h1/"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("the port of host #1 'u'")
                .hasMessageNotContaining("s3cr");
    }

    @Test
    void toStringMasksEveryPassword() {
        TransportUrl url = TransportUrl.parse(
                "rabbit://user:p%40ss%3Aw0rd@rabbit1:5672,us%20er2:other@[fd00::2]/nova?ssl=1");
        assertThat(url.toString())
                .isEqualTo("rabbit://user:***@rabbit1:5672,us%20er2:***@[fd00::2]/nova?ssl=1")
                .isEqualTo(url.toSafeString())
                .doesNotContain("w0rd", "p@ss", "p%40ss", "other");
        assertThat(TransportUrl.parse("rabbit://").toString()).isEqualTo("rabbit://");
        assertThat(TransportUrl.parse("rabbit://u@h1").toString()).isEqualTo("rabbit://u@h1");
    }

    @Test
    void hostToStringHasNoPassword() {
        TransportUrl.Host host = TransportUrl.parse("rabbit://user:s3cret@h1:5673/").hosts().get(0);
        assertThat(host.toString()).isEqualTo("user@h1:5673").doesNotContain("s3cret");
        assertThat(TransportUrl.parse("rabbit://h1/").hosts().get(0).toString()).isEqualTo("h1:5672");
    }

    @Test
    void equalityIsByMeaning() {
        TransportUrl a = TransportUrl.parse("rabbit://u:p@h1:5672//");
        assertThat(a).isEqualTo(TransportUrl.parse("rabbit://u:p@h1:5672/%2F"))
                .hasSameHashCodeAs(TransportUrl.parse("rabbit://u:p@h1:5672/%2F"));
        assertThat(a).isNotEqualTo(TransportUrl.parse("rabbit://u:q@h1:5672//"));
        assertThat(a).isNotEqualTo(TransportUrl.parse("rabbit://u:p@h1//"));
        assertThat(a).isNotEqualTo(TransportUrl.parse("amqp://u:p@h1:5672//"));
        assertThat(a).isNotEqualTo(TransportUrl.parse("rabbit://u:p@h1:5672//?ssl=1"));
        assertThat(TransportUrl.parse("rabbit://")).isNotEqualTo(TransportUrl.parse("rabbit://localhost"));
    }
}
