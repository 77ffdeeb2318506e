package io.steward.console.metrics;

/** One value of a series at a second ({@code at} in epoch seconds). */
public record Point(long at, double value) {}
