package io.warren.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import io.warren.NotificationEndpoint;
import io.warren.Notifier;
import io.warren.RequestContext;
import io.warren.wire.JacksonCodec;
import io.warren.wire.Notification;
import io.warren.wire.OsloEnvelope;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Contexts as oslo.messaging 18 sends them in notifications, read and written. */
class Oslo18NotificationContextTest {
    private final JacksonCodec json = new JacksonCodec();

    /** The notification oslo 18.1.0 sent from RequestContext(request_id='req-peer-1', user_id='u-1', project_id='p-1', auth_token=..., roles=['reader']). */
    private Notification captured() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/oslo-wire/notification_v2_info_oslo18.json")) {
            String body = new ObjectMapper().readTree(in).get("body").asText();
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json")
                    .contentEncoding("utf-8").headers(Map.of()).deliveryMode(2).priority(0).build();
            return Notification.from(new OsloEnvelope(json, 1 << 20).open(body.getBytes(StandardCharsets.UTF_8), props));
        }
    }

    @Test
    void theJavaNotifierSendsTheContextOslo18Sends() throws Exception {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("request_id", "req-peer-1");
        given.put("user_id", "u-1");
        given.put("project_id", "p-1");
        given.put("auth_token", "peer-token-1");
        given.put("password", "secret");
        given.put("roles", List.of("reader"));

        Map<String, Object> sent = RedactedContext.of(given);

        Map<String, Object> oslo18 = captured().context();
        assertThat(new ArrayList<>(sent.keySet())).as("oslo.context 6.4's keys, in its order")
                .isEqualTo(new ArrayList<>(oslo18.keySet()));
        assertThat(sent).isEqualTo(oslo18);
        assertThat(sent).containsEntry("auth_token", null).doesNotContainKey("password");
        assertThat(RedactedContext.KEYS).isEqualTo(new ArrayList<>(oslo18.keySet()));
    }

    @Test
    void idsGivenUnderOslosToDictNamesGoTheSameWay() {
        Map<String, Object> sent = RedactedContext.of(Map.of("user", "u-2", "project", "p-2", "domain", "d",
                "user_domain", "ud", "project_domain", "pd", "is_admin", true, "request_id", "req-2"));
        assertThat(sent).containsEntry("user", "u-2").containsEntry("project_id", "p-2").containsEntry("project", "p-2")
                .containsEntry("domain", "d").containsEntry("is_admin", true)
                .containsEntry("user_identity", "u-2 p-2 d ud pd").containsEntry("roles", List.of());
        assertThat(RedactedContext.of(Map.of())).as("oslo 18 sends {} for a plain empty dict").isEmpty();
        assertThat((String) RedactedContext.of(Map.of("user_id", "u")).get("request_id")).startsWith("req-");
    }

    @Test
    void requestContextFindsTheUserUnderEitherName() throws Exception {
        RequestContext oslo18 = new RequestContext(captured().context());
        assertThat(oslo18.userId()).isEqualTo("u-1");
        assertThat(oslo18.projectId()).isEqualTo("p-1");
        assertThat(oslo18.requestId()).isEqualTo("req-peer-1");
        assertThat(oslo18.roles()).containsExactly("reader");
        assertThat(oslo18.isAdmin()).isFalse();
        assertThat(oslo18.domainId()).isNull();
        assertThat(oslo18.get("user_identity")).isEqualTo("u-1 p-1 - - -");
        assertThat(oslo18.asMap()).as("handed through unchanged, nulls included").isEqualTo(captured().context());

        RequestContext dict = new RequestContext(Map.of("user_id", "u-3", "tenant", "t-3", "domain_id", "d-3",
                "project_domain_id", "pd-3", "user_domain", "ud-3", "roles", "admin, member", "is_admin", true,
                "global_request_id", "req-g", "user_name", "alice", "tenant_name", "demo"));
        assertThat(dict.userId()).isEqualTo("u-3");
        assertThat(dict.projectId()).isEqualTo("t-3");
        assertThat(dict.domainId()).isEqualTo("d-3");
        assertThat(dict.projectDomainId()).isEqualTo("pd-3");
        assertThat(dict.userDomainId()).isEqualTo("ud-3");
        assertThat(dict.roles()).containsExactly("admin", "member");
        assertThat(dict.isAdmin()).isTrue();
        assertThat(dict.globalRequestId()).isEqualTo("req-g");
        assertThat(dict.userName()).isEqualTo("alice");
        assertThat(dict.projectName()).isEqualTo("demo");
        assertThat(new RequestContext(Map.of()).roles()).isEmpty();
    }

    @Test
    void oneCatchAllSeesEveryPriorityAndAPriorityMethodStillWins() {
        List<String> seen = new ArrayList<>();
        NotificationEndpoint all = new NotificationEndpoint() {
            @Override
            public Result notification(Notifier.Priority priority, RequestContext ctx, String publisherId,
                                       String eventType, Object payload, Map<String, Object> metadata) {
                seen.add(priority.word() + " " + eventType);
                return Result.HANDLED;
            }

            @Override
            public Result error(RequestContext ctx, String publisherId, String eventType, Object payload,
                                Map<String, Object> metadata) {
                seen.add("own error " + eventType);
                return Result.REQUEUE;
            }
        };
        RequestContext ctx = new RequestContext(Map.of());
        assertThat(all.info(ctx, "p", "a.b", null, Map.of())).isEqualTo(NotificationEndpoint.Result.HANDLED);
        assertThat(all.sample(ctx, "p", "c.d", null, Map.of())).isEqualTo(NotificationEndpoint.Result.HANDLED);
        assertThat(all.error(ctx, "p", "e.f", null, Map.of())).isEqualTo(NotificationEndpoint.Result.REQUEUE);
        assertThat(seen).containsExactly("info a.b", "sample c.d", "own error e.f");

        assertThat(OsloNotificationListener.implemented(List.of(all))).containsExactlyInAnyOrder(Notifier.Priority.values());
        NotificationEndpoint infoOnly = new NotificationEndpoint() {
            @Override
            public Result info(RequestContext ctx, String publisherId, String eventType, Object payload,
                               Map<String, Object> metadata) {
                return Result.HANDLED;
            }
        };
        assertThat(OsloNotificationListener.implemented(List.of(infoOnly))).containsExactly(Notifier.Priority.INFO);
        assertThat(OsloNotificationListener.implemented(List.of(new NotificationEndpoint() { }))).isEmpty();
    }
}
