package io.steward.server.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steward.server.api.AlertView;
import io.steward.server.cluster.ClusterMessage.AlertChanged;
import io.steward.server.cluster.ClusterMessage.AlertRulesChanged;
import io.steward.server.cluster.ClusterMessage.AuditRecorded;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus's messages as the text of a NOTIFY and back: {@code {"from": sender, "topic": topic,
 * "data": {...}}}. Reading never throws: a payload that is not such a message, or whose data is
 * not what its topic carries, is logged and ignored, and so, silently, is a topic this version does
 * not know (a newer instance's).
 */
final class ClusterMessages {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMessages.class);
    static final String AUDIT = "audit";
    static final String ALERT = "alert";
    static final String ALERT_RULES = "alert-rules";

    private final ObjectMapper mapper;

    ClusterMessages(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    static String topic(ClusterMessage message) {
        return switch (message) {
            case AuditRecorded a -> AUDIT;
            case AlertChanged a -> ALERT;
            case AlertRulesChanged r -> ALERT_RULES;
        };
    }

    /** {@code message} as sent by {@code from}. */
    String write(String from, ClusterMessage message) throws JsonProcessingException {
        ObjectNode envelope = mapper.createObjectNode();
        envelope.put("from", from);
        envelope.put("topic", topic(message));
        envelope.set(
                "data",
                switch (message) {
                    case AuditRecorded a -> mapper.valueToTree(a);
                    case AlertChanged a -> mapper.valueToTree(a.alert());
                    case AlertRulesChanged r -> mapper.createObjectNode();
                });
        return mapper.writeValueAsString(envelope);
    }

    /** The message in {@code payload}, unless {@code self} sent it or it cannot be read. */
    Optional<ClusterMessage> read(String payload, String self) {
        String topic = "(unknown)";
        try {
            JsonNode envelope = mapper.readTree(payload);
            if (!envelope.isObject()) {
                throw new IllegalArgumentException("not a message: " + envelope.getNodeType());
            }
            if (self.equals(envelope.path("from").asText())) {
                return Optional.empty();
            }
            topic = envelope.path("topic").asText();
            JsonNode data = envelope.path("data");
            return switch (topic) {
                case AUDIT -> Optional.of(as(data, AuditRecorded.class));
                case ALERT -> Optional.of(new AlertChanged(as(data, AlertView.class)));
                case ALERT_RULES -> Optional.of(new AlertRulesChanged());
                default -> Optional.empty();
            };
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("a cluster message on {} not read: {}", topic, e.getMessage());
            return Optional.empty();
        }
    }

    /** {@code data} as a {@code type}, which has a value for each component that may not be null. */
    private <T extends Record> T as(JsonNode data, Class<T> type) throws JsonProcessingException {
        if (!data.isObject()) {
            throw new IllegalArgumentException("its data is not an object but " + data.getNodeType());
        }
        var missing = Arrays.stream(type.getRecordComponents())
                .filter(c -> !c.getAnnotatedType().isAnnotationPresent(Nullable.class))
                .map(RecordComponent::getName)
                .filter(name -> !data.hasNonNull(name))
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(type.getSimpleName() + " without " + String.join(", ", missing));
        }
        return mapper.treeToValue(data, type);
    }
}
