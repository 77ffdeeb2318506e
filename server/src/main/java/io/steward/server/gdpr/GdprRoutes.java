package io.steward.server.gdpr;

import io.steward.server.api.Endpoint;
import io.steward.server.api.GdprCommands;
import io.steward.server.api.Page;
import io.steward.server.db.Keyset;
import io.steward.server.http.Exchange;
import io.steward.server.http.Router;
import java.util.UUID;

/** {@code /api/v1/gdpr/requests} and the subject export {@code /api/v1/users/{id}/export}. */
public final class GdprRoutes {
    private final GdprService gdpr;
    private final SubjectExportService exports;
    private final RetentionService retention;

    public GdprRoutes(GdprService gdpr, SubjectExportService exports, RetentionService retention) {
        this.gdpr = gdpr;
        this.exports = exports;
        this.retention = retention;
    }

    public void register(Router router) {
        router.handle(Endpoint.GDPR_OPEN, this::open)
                .handle(Endpoint.GDPR_REQUESTS, this::list)
                .handle(Endpoint.GDPR_REQUEST, ex -> ex.ok(gdpr.get(ex.principal(), ex.uuidParam("id"))))
                .handle(Endpoint.GDPR_TIMELINE, ex -> ex.ok(new Page<>(gdpr.timeline(ex.uuidParam("id")), null)))
                .handle(
                        Endpoint.GDPR_VERIFY,
                        ex -> ex.ok(gdpr.withTimeline(gdpr.verify(
                                ex.principal(),
                                ex.uuidParam("id"),
                                ex.body(GdprCommands.Verify.class),
                                ex.requestId()))))
                .handle(
                        Endpoint.GDPR_EXTEND,
                        ex -> ex.ok(gdpr.withTimeline(gdpr.extend(
                                ex.principal(),
                                ex.uuidParam("id"),
                                ex.body(GdprCommands.Extend.class),
                                ex.requestId()))))
                .handle(
                        Endpoint.GDPR_REJECT,
                        ex -> ex.ok(gdpr.withTimeline(gdpr.reject(
                                ex.principal(),
                                ex.uuidParam("id"),
                                ex.body(GdprCommands.Reject.class),
                                ex.requestId()))))
                .handle(
                        Endpoint.GDPR_APPROVE,
                        ex -> ex.ok(gdpr.withTimeline(gdpr.approve(
                                ex.principal(), ex.uuidParam("id"), ex.body(GdprCommands.Note.class), ex.requestId()))))
                .handle(
                        Endpoint.GDPR_COMPLETE,
                        ex -> ex.ok(gdpr.withTimeline(gdpr.complete(
                                ex.principal(), ex.uuidParam("id"), ex.body(GdprCommands.Note.class), ex.requestId()))))
                .handle(
                        Endpoint.GDPR_RECIPIENT_NOTIFIED,
                        ex -> ex.ok(gdpr.withTimeline(gdpr.recipientNotified(
                                ex.principal(), ex.uuidParam("id"), ex.pathParam("recipient"), ex.requestId()))))
                .handle(Endpoint.USER_EXPORT, this::export)
                .handle(Endpoint.GDPR_RETENTION_RUN, this::retention);
    }

    private void open(Exchange ex) {
        var created = gdpr.open(ex.principal(), ex.body(GdprCommands.Open.class), ex.requestId());
        ex.responseHeader("Location", Endpoint.GDPR_REQUEST.path(created.id()));
        ex.json(201, created);
    }

    private void list(Exchange ex) {
        boolean overdue = ex.flag("overdue", false);
        int limit = ex.limit();
        ex.ok(gdpr.list(
                ex.principal(),
                ex.query("status"),
                ex.query("type"),
                overdue,
                ex.uuidQuery("userId"),
                limit,
                ex.query("cursor").map(Keyset::decode).orElse(null)));
    }

    private void retention(Exchange ex) {
        boolean dryRun = ex.flag("dryRun", true);
        ex.ok(retention.run(dryRun, ex.principal().userId(), ex.requestId()));
    }

    private void export(Exchange ex) throws java.io.IOException {
        UUID subject = ex.uuidParam("id");
        var export = exports.export(subject);
        ex.responseHeader("X-Content-SHA256", export.sha256());
        ex.download("application/json", "subject-" + subject + ".json", out -> {
            // audited once the download may go ahead (a refused one hands nothing over), before the first byte
            gdpr.exported(ex.principal(), subject, export.sha256(), ex.requestId());
            out.write(new String(export.json(), java.nio.charset.StandardCharsets.UTF_8));
        });
    }
}
