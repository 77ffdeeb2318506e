package io.steward.server.health;

import java.time.Duration;
import java.util.Map;

/**
 * One thing the server checks about itself or its surroundings. {@link #essential()} checks are
 * the server's own essentials: only they can make it {@code DOWN}; any other failing check makes
 * it {@code DEGRADED}.
 */
public interface HealthCheck {
    String name();

    boolean essential();

    /** How long the check may take before it counts as failed. */
    Duration timeout();

    Result run() throws Exception;

    /** What a check saw: {@code UP}, {@code DEGRADED} or {@code DOWN}, and details for people. */
    record Result(String status, Map<String, Object> details) {
        public static Result up(Map<String, Object> details) {
            return new Result("UP", details);
        }

        public static Result degraded(Map<String, Object> details) {
            return new Result("DEGRADED", details);
        }

        public static Result down(Map<String, Object> details) {
            return new Result("DOWN", details);
        }
    }
}
