package io.steward.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.server.ServerConfig;
import io.steward.server.cluster.ClusterBus;
import io.steward.server.cluster.ClusterMessage;
import io.steward.server.db.Database;
import io.steward.server.events.EventHub;
import io.steward.server.http.Router;
import java.io.IOException;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The audit trail wired: the service over the hash chain, its signed checkpoints (and the key
 * that signs them, from {@code --audit-signing-key}) and its routes.
 */
public record AuditModule(AuditService service, AuditCheckpoints checkpoints, AuditRoutes routes) {

    public static AuditModule wire(
            ServerConfig config,
            Database db,
            SubjectKeyRepository subjectKeys,
            Clock clock,
            ObjectMapper mapper,
            Supplier<String> instance) {
        SigningKey signingKey;
        try {
            signingKey = SigningKey.load(
                    config.auditSigningKey(), config.auditSigningKeyFile().isEmpty());
        } catch (IOException e) {
            throw new ServerConfig.InvalidOption(e.getMessage());
        }
        var checkpoints = new AuditCheckpoints(
                db,
                signingKey,
                config.dataDir().resolve(AuditCheckpoints.FILE_NAME),
                config.auditAnchorUrl().orElse(null),
                instance,
                Clock.systemUTC(),
                mapper);
        var service = new AuditService(db, new AuditRepository(), subjectKeys, clock, checkpoints);
        return new AuditModule(service, checkpoints, new AuditRoutes(service, checkpoints));
    }

    /**
     * Each entry committed here becomes an {@code audit} event ({@code {id, action}}) on this
     * instance's live streams and is told to the others, whose entries reach this one's streams.
     * Called after the other listeners to commits (the metrics' counts): what a stream shows is
     * counted already.
     */
    public void announce(EventHub events, ClusterBus bus) {
        service.onCommitted(recorded -> {
            var event = new ClusterMessage.AuditRecorded(
                    recorded.id(), recorded.event().action());
            events.publish("audit", event);
            bus.publish(event);
        });
        bus.on(ClusterMessage.AuditRecorded.class, event -> events.publish("audit", event));
    }

    public void register(Router router) {
        routes.register(router);
    }
}
