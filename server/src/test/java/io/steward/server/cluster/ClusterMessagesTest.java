package io.steward.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.steward.server.api.AlertState;
import io.steward.server.api.AlertView;
import io.steward.server.cluster.ClusterMessage.AlertChanged;
import io.steward.server.cluster.ClusterMessage.AlertRulesChanged;
import io.steward.server.cluster.ClusterMessage.AuditRecorded;
import io.steward.server.db.ConnectionSettings;
import io.steward.server.http.Json;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The bus's messages as JSON and back, and what the bus does with those it cannot read. */
class ClusterMessagesTest {
    final ClusterMessages messages = new ClusterMessages(Json.mapper());

    static AlertView firing() {
        Instant started = Instant.parse("2026-03-01T10:00:00.123456Z");
        return new AlertView(
                UUID.randomUUID(),
                UUID.randomUUID(),
                "HighLoad",
                "http.requests.rate",
                ">",
                100.0,
                "critical",
                "",
                AlertState.FIRING,
                120.5,
                started,
                started.plusSeconds(60),
                120.5,
                null,
                null,
                false,
                null,
                List.of());
    }

    @Test
    void eachKindReadsBackAsWritten() throws Exception {
        List<ClusterMessage> sent = List.of(
                new AuditRecorded(UUID.randomUUID(), "gdpr.request_completed"),
                new AlertChanged(firing()),
                new AlertRulesChanged());
        for (ClusterMessage message : sent) {
            assertThat(messages.read(messages.write("a", message), "b")).contains(message);
        }
    }

    @Test
    void theDataOnTheWireIsWhatTheStreamsAndOlderInstancesRead() throws Exception {
        var mapper = Json.mapper();
        UUID id = UUID.randomUUID();
        var audit = mapper.readTree(messages.write("a", new AuditRecorded(id, "user.created")));
        assertThat(audit.path("from").asText()).isEqualTo("a");
        assertThat(audit.path("topic").asText()).isEqualTo("audit");
        assertThat(audit.path("data"))
                .isEqualTo(mapper.readTree("{\"id\": \"" + id + "\", \"action\": \"user.created\"}"));

        AlertView alert = firing();
        var changed = mapper.readTree(messages.write("a", new AlertChanged(alert)));
        assertThat(changed.path("topic").asText()).isEqualTo("alert");
        assertThat(changed.path("data")).isEqualTo(mapper.valueToTree(alert));

        var rules = mapper.readTree(messages.write("a", new AlertRulesChanged()));
        assertThat(rules.path("topic").asText()).isEqualTo("alert-rules");
        assertThat(rules.path("data")).isEqualTo(mapper.createObjectNode());
    }

    @Test
    void anInstanceDoesNotHearItself() throws Exception {
        assertThat(messages.read(messages.write("a", new AlertRulesChanged()), "a"))
                .isEmpty();
    }

    @Test
    void whatCannotBeReadIsIgnoredWithoutThrowing() {
        String alert = Json.mapper().valueToTree(firing()).toString();
        List<String> payloads = List.of(
                "",
                "not JSON",
                "{\"from\": \"b\", \"topic\": \"audit\", \"data\": {",
                "42",
                "[\"audit\"]",
                "{}",
                "{\"from\": \"b\"}",
                "{\"from\": \"b\", \"topic\": \"a topic of a newer version\", \"data\": {}}",
                "{\"from\": \"b\", \"topic\": \"audit\"}",
                "{\"from\": \"b\", \"topic\": \"audit\", \"data\": \"user.created\"}",
                "{\"from\": \"b\", \"topic\": \"audit\", \"data\": {\"action\": \"user.created\"}}",
                "{\"from\": \"b\", \"topic\": \"audit\", \"data\": {\"id\": null, \"action\": \"user.created\"}}",
                "{\"from\": \"b\", \"topic\": \"audit\", \"data\": {\"id\": \"not a uuid\", \"action\": \"x\"}}",
                "{\"from\": \"b\", \"topic\": \"alert\", \"data\": null}",
                "{\"from\": \"b\", \"topic\": \"alert\", \"data\": {\"state\": \"firing\"}}",
                "{\"from\": \"b\", \"topic\": \"alert\", \"data\": " + alert.replace("\"ruleId\"", "\"rule\"") + "}",
                "{\"from\": \"b\", \"topic\": \"alert\", \"data\": "
                        + alert.replace("\"threshold\":100.0", "\"threshold\":\"high\"") + "}",
                "{\"from\": \"b\", \"topic\": \"alert\", \"data\": "
                        + alert.replace("\"startedAt\":\"", "\"startedAt\":\"yesterday ") + "}");
        for (String payload : payloads) {
            assertThatCode(() ->
                            assertThat(messages.read(payload, "a")).as(payload).isEmpty())
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void anAlertMayLackWhatItMayNotYetHave() throws Exception {
        AlertView pending = new AlertView(
                UUID.randomUUID(),
                UUID.randomUUID(),
                "Slow",
                "db.latency",
                ">=",
                0.5,
                "warning",
                "the database answers slowly",
                AlertState.PENDING,
                null,
                Instant.parse("2026-03-01T10:00:00Z"),
                null,
                null,
                null,
                null,
                true,
                null,
                List.of());
        assertThat(messages.read(messages.write("a", new AlertChanged(pending)), "b"))
                .contains(new AlertChanged(pending));
    }

    @Test
    void theBusHandsOnlyWhatItCouldReadToTheListenersOfItsKindAndOutlivesAFailingListener() throws Exception {
        var heard = new CopyOnWriteArrayList<ClusterMessage>();
        try (var bus =
                new ClusterBus(new ConnectionSettings("jdbc:postgresql://127.0.0.1:1/none", "u", "p"), Json.mapper())) {
            bus.on(AlertChanged.class, changed -> {
                throw new IllegalStateException("a listener that fails");
            });
            bus.on(AlertChanged.class, heard::add);
            bus.on(AuditRecorded.class, heard::add);

            assertThatCode(() -> {
                        bus.deliver("not JSON");
                        bus.deliver("{\"from\": \"b\", \"topic\": \"alert\", \"data\": {\"state\": \"firing\"}}");
                    })
                    .doesNotThrowAnyException();
            assertThat(heard).isEmpty();

            var changed = new AlertChanged(firing());
            var other = new ClusterMessages(Json.mapper());
            assertThatCode(() -> bus.deliver(other.write("another instance", changed)))
                    .doesNotThrowAnyException();
            bus.deliver(other.write("another instance", new AlertRulesChanged()));
            assertThat(heard).containsExactly(changed);
        }
    }
}
