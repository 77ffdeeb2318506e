package io.steward.server.api;

/** A series of the in-server time-series store: its name, unit and what it measures. */
public record MetricSeries(String name, String unit, String description) {}
