package io.steward.server.flags;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.server.audit.AuditService;
import io.steward.server.db.Database;
import io.steward.server.http.Router;
import java.time.Clock;

/** The feature flags wired: repository, service and routes. */
public record FlagsModule(FlagRoutes routes) {

    public static FlagsModule wire(Database db, ObjectMapper mapper, AuditService audit, Clock clock) {
        return new FlagsModule(new FlagRoutes(new FlagService(db, new FlagRepository(mapper), audit, clock)));
    }

    public void register(Router router) {
        routes.register(router);
    }
}
