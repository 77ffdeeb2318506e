package io.steward.server.flags;

import io.steward.server.api.FlagRequest;
import io.steward.server.api.Page;
import io.steward.server.http.Router;

/** Feature flags over HTTP. */
public final class FlagRoutes {
    private final FlagService flags;

    public FlagRoutes(FlagService flags) {
        this.flags = flags;
    }

    public void register(Router router) {
        router.handle("GET", "/api/v1/flags", ex -> ex.ok(new Page<>(flags.list(), null)))
                .handle("PUT", "/api/v1/flags/{key}", ex -> {
                    String key = ex.pathParam("key");
                    var body = ex.body(FlagRequest.class);
                    ex.ok(flags.put(ex.principal(), key, body, ex.ifMatch(), ex.requestId()));
                })
                .handle(
                        "GET",
                        "/api/v1/flags/{key}/evaluate",
                        ex -> ex.ok(flags.evaluate(
                                ex.pathParam("key"), ex.query("userId").orElse(null))))
                .handle(
                        "GET",
                        "/api/v1/flags/{key}/preview",
                        ex -> ex.ok(flags.preview(
                                ex.pathParam("key"), ex.query("percentage").orElse(null))));
    }
}
