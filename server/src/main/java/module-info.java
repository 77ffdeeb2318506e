/** Steward's headless REST server. Only {@code io.steward.server.api} is meant for clients. */
module io.steward.server {
    requires io.helidon.webserver;
    requires io.helidon.http;
    requires io.helidon.common.tls;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires java.sql;
    requires com.zaxxer.hikari;
    requires org.postgresql.jdbc;
    requires flyway.core;
    requires embedded.postgres;
    requires org.slf4j;
    requires ch.qos.logback.classic;
    requires ch.qos.logback.core;
    requires jul.to.slf4j;
    requires org.bouncycastle.provider;
    requires com.google.crypto.tink;
    requires org.tukaani.xz;
    requires org.apache.commons.compress;
    requires org.lz4.java;
    requires com.github.librepdf.openpdf;
    requires org.jspecify;
    requires net.datafaker;
    requires jdk.unsupported;
    requires jdk.management;
    requires java.management;
    requires java.net.http;
    requires io.helidon.webserver.sse;
    requires io.helidon.http.sse;
    requires micrometer.core;
    requires micrometer.java21;
    requires micrometer.registry.prometheus;
    requires io.github.resilience4j.circuitbreaker;
    requires io.github.resilience4j.retry;
    requires io.github.resilience4j.core;

    exports io.steward.server.api;
    exports io.steward.server.embed;

    opens io.steward.server.api to
            com.fasterxml.jackson.databind;
    opens io.steward.server.backup to
            com.fasterxml.jackson.databind;
    opens io.steward.server.gdpr to
            com.fasterxml.jackson.databind;
    opens io.steward.server.reports to
            com.fasterxml.jackson.databind;
    opens db.migration;

    provides ch.qos.logback.classic.spi.Configurator with
            io.steward.server.logging.JsonLogConfigurator;
}
