package io.steward.server.flags;

import io.steward.server.api.Endpoint;
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
        router.handle(Endpoint.FLAGS, ex -> ex.ok(new Page<>(flags.list(), null)))
                .handle(Endpoint.FLAG_UPDATE, ex -> {
                    String key = ex.pathParam("key");
                    var body = ex.body(FlagRequest.class);
                    ex.ok(flags.put(ex.principal(), key, body, ex.ifMatch(), ex.requestId()));
                })
                .handle(
                        Endpoint.FLAG_EVALUATE,
                        ex -> ex.ok(flags.evaluate(
                                ex.pathParam("key"), ex.query("userId").orElse(null))))
                .handle(
                        Endpoint.FLAG_PREVIEW,
                        ex -> ex.ok(flags.preview(
                                ex.pathParam("key"), ex.query("percentage").orElse(null))));
    }
}
