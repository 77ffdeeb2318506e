package io.steward.console.client;

import io.steward.server.api.Endpoint;
import io.steward.server.api.HealthReport;
import io.steward.server.api.SystemInfo;

/** The platform's health and the server itself. */
public final class SystemApi {
    private final Transport transport;

    SystemApi(Transport transport) {
        this.transport = transport;
    }

    public HealthReport health() {
        return transport.send(ApiCall.of(Endpoint.HEALTH, HealthReport.class));
    }

    public SystemInfo system() {
        return transport.send(ApiCall.of(Endpoint.SYSTEM, SystemInfo.class));
    }
}
