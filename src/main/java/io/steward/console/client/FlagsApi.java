package io.steward.console.client;

import io.steward.server.api.Endpoint;
import io.steward.server.api.FlagEvaluation;
import io.steward.server.api.FlagPreview;
import io.steward.server.api.FlagRequest;
import io.steward.server.api.FlagView;
import java.util.List;

/** Feature flags: their settings, who gets them, and what a change would do. */
public final class FlagsApi {
    private final Transport transport;

    FlagsApi(Transport transport) {
        this.transport = transport;
    }

    public List<FlagView> list() {
        return transport.send(ApiCall.page(Endpoint.FLAGS, FlagView.class)).items();
    }

    /** Changes a flag; {@code version} is the one the person edited (412 if it changed meanwhile). */
    public FlagView update(String key, long version, FlagRequest change) {
        return transport.send(ApiCall.of(Endpoint.FLAG_UPDATE, FlagView.class, key)
                .ifMatch(version)
                .body(change));
    }

    /** Whether the flag is on for one user, and why. */
    public FlagEvaluation evaluate(String key, String userId) {
        return transport.send(
                ApiCall.of(Endpoint.FLAG_EVALUATE, FlagEvaluation.class, key).query("userId", userId));
    }

    /** What setting the flag to {@code percentage} would change for the current users. */
    public FlagPreview preview(String key, int percentage) {
        return transport.send(
                ApiCall.of(Endpoint.FLAG_PREVIEW, FlagPreview.class, key).query("percentage", percentage));
    }
}
