package io.warren.it.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The comparison DemoIT holds the docs to: it must tell a drifted page from a run's own values. */
class DocumentedJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String mismatch(String documented, String actual) throws Exception {
        JsonNode d = JSON.readTree(documented);
        JsonNode a = JSON.readTree(actual);
        return DocumentedJson.mismatch("", d, a);
    }

    @Test
    void valuesOfTheRunMayDifferEverythingElseMayNot() throws Exception {
        String shown = "{\"status\":\"UP\",\"broker\":\"127.0.0.1:40751\",\"published\":2,\"reasons\":[]}";
        assertThat(mismatch(shown, "{\"reasons\":[],\"published\":7,\"status\":\"UP\",\"broker\":\"127.0.0.1:5672\"}"))
                .isNull();
        assertThat(mismatch(shown, "{\"status\":\"DOWN\",\"broker\":\"x\",\"published\":2,\"reasons\":[]}"))
                .isEqualTo("member status is \"DOWN\", the docs show \"UP\"");
        assertThat(mismatch(shown, "{\"status\":\"UP\",\"broker\":\"x\",\"published\":2,\"reasons\":[],\"lastError\":\"\"}"))
                .isEqualTo("the answer has members [broker, lastError, published, reasons, status], the docs show "
                        + "[broker, published, reasons, status]");
        assertThat(mismatch(shown, "{\"status\":\"UP\",\"broker\":\"x\",\"published\":\"2\",\"reasons\":[]}"))
                .isEqualTo("member published is a STRING, the docs show a NUMBER");
        assertThat(mismatch("[{\"id\":\"a\",\"payload\":{\"name\":\"web1\"}}]", "[{\"id\":\"b\",\"payload\":{\"name\":\"web2\"}}]"))
                .isEqualTo("member [0].payload.name is \"web2\", the docs show \"web1\"");
        assertThat(mismatch("[{\"id\":\"a\"}]", "[]")).isEqualTo("the answer has 0 elements, the docs show 1");
    }
}
