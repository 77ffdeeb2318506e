package io.steward.server.flags;

import io.steward.server.access.Principal;
import io.steward.server.api.FlagEvaluation;
import io.steward.server.api.FlagPreview;
import io.steward.server.api.FlagRequest;
import io.steward.server.api.FlagView;
import io.steward.server.audit.AuditService;
import io.steward.server.db.Database;
import io.steward.server.error.ServiceException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Feature flags. Every evaluation reads the flag from the database (a primary-key lookup), so a
 * change is seen by every server instance at once. Percentage rollouts use Unleash's bucketing
 * ({@link Murmur3#bucket}): a user keeps their answer, and raising the percentage only adds users.
 */
public final class FlagService {
    static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    static final int MAX_RULE_USERS = 1_000;

    private final Database db;
    private final FlagRepository repository;
    private final AuditService audit;
    private final Clock clock;

    public FlagService(Database db, FlagRepository repository, AuditService audit, Clock clock) {
        this.db = db;
        this.repository = repository;
        this.audit = audit;
        this.clock = clock;
    }

    public List<FlagView> list() {
        return db.read(repository::list);
    }

    public FlagView put(
            Principal actor, String key, FlagRequest request, OptionalLong expectedVersion, String requestId) {
        checkKey(key);
        if (request.percentage() != null && (request.percentage() < 0 || request.percentage() > 100)) {
            throw new ServiceException.Validation("percentage", "percentage must be between 0 and 100");
        }
        if (request.description() != null && request.description().length() > 500) {
            throw new ServiceException.Validation("description", "description must be at most 500 characters");
        }
        if (request.rules() != null) {
            var ids = request.rules().userIds();
            if (ids == null
                    || ids.size() > MAX_RULE_USERS
                    || ids.stream().anyMatch(id -> id == null || id.isBlank() || id.length() > 200)) {
                throw new ServiceException.Validation(
                        "rules", "rules.userIds must be a list of at most " + MAX_RULE_USERS + " user ids");
            }
        }
        return db.inTransaction(tx -> {
            var before = repository.find(tx, key, true);
            if (expectedVersion.isPresent()) {
                long current = before.map(FlagView::version).orElse(0L);
                if (current != expectedVersion.getAsLong()) {
                    throw new ServiceException.PreconditionFailed(
                            "the flag changed since version " + expectedVersion.getAsLong() + "; it is at " + current);
                }
            }
            boolean enabled = request.enabled() != null
                    ? request.enabled()
                    : before.map(FlagView::enabled).orElse(false);
            int percentage = request.percentage() != null
                    ? request.percentage()
                    : before.map(FlagView::percentage).orElse(enabled ? 100 : 0);
            String description = request.description() != null
                    ? request.description().strip()
                    : before.map(FlagView::description).orElse("");
            var rules = request.rules() != null
                    ? new FlagView.Rules(request.rules().userIds().stream()
                            .map(String::strip)
                            .distinct()
                            .toList())
                    : before.map(FlagView::rules).orElse(FlagView.Rules.NONE);
            repository.upsert(tx, key, enabled, percentage, description, rules, actor.userId(), clock.instant());
            var after = repository.find(tx, key, false).orElseThrow();
            var details = new LinkedHashMap<String, Object>();
            details.put("key", key);
            before.ifPresent(b -> details.put("before", describe(b)));
            details.put("after", describe(after));
            audit.record(
                    tx,
                    new AuditService.Event(
                            actor.userId(),
                            before.isPresent() ? "flag.updated" : "flag.created",
                            null,
                            requestId,
                            details));
            return after;
        });
    }

    public FlagEvaluation evaluate(String key, @Nullable String userId) {
        if (userId == null || userId.isBlank()) {
            throw new ServiceException.Validation("userId", "userId is required");
        }
        if (userId.length() > 200) {
            throw new ServiceException.Validation("userId", "userId must be at most 200 characters");
        }
        var flag = find(key);
        return evaluate(flag, userId);
    }

    static FlagEvaluation evaluate(FlagView flag, String userId) {
        if (!flag.enabled()) {
            return new FlagEvaluation(flag.key(), userId, false, "disabled", null);
        }
        if (flag.rules().userIds().contains(userId)) {
            return new FlagEvaluation(flag.key(), userId, true, "rule", null);
        }
        int bucket = Murmur3.bucket(flag.key(), userId);
        boolean on = bucket <= flag.percentage();
        return new FlagEvaluation(flag.key(), userId, on, on ? "rollout" : "outside-rollout", bucket);
    }

    /** Counts, over every current account, who has the flag now and who would at {@code percentage}. */
    public FlagPreview preview(String key, @Nullable String percentageRaw) {
        int percentage;
        try {
            percentage = percentageRaw == null ? -1 : Integer.parseInt(percentageRaw);
        } catch (NumberFormatException e) {
            percentage = -1;
        }
        if (percentage < 0 || percentage > 100) {
            throw new ServiceException.Validation("percentage", "percentage must be a whole number from 0 to 100");
        }
        var flag = find(key);
        var proposed = new FlagView(
                flag.key(),
                true,
                percentage,
                flag.description(),
                flag.rules(),
                flag.createdAt(),
                flag.updatedAt(),
                flag.updatedBy(),
                flag.version());
        var users = new AtomicLong();
        var onNow = new AtomicLong();
        var onAfter = new AtomicLong();
        var turningOn = new AtomicLong();
        var turningOff = new AtomicLong();
        db.read(tx -> {
            repository.eachUserId(tx, id -> {
                users.incrementAndGet();
                boolean now = evaluate(flag, id).enabled();
                boolean after = evaluate(proposed, id).enabled();
                if (now) {
                    onNow.incrementAndGet();
                }
                if (after) {
                    onAfter.incrementAndGet();
                }
                if (after && !now) {
                    turningOn.incrementAndGet();
                }
                if (now && !after) {
                    turningOff.incrementAndGet();
                }
            });
            return null;
        });
        return new FlagPreview(
                key,
                flag.enabled() ? flag.percentage() : 0,
                percentage,
                users.get(),
                onNow.get(),
                onAfter.get(),
                turningOn.get(),
                turningOff.get());
    }

    private FlagView find(String key) {
        checkKey(key);
        return db.read(tx -> repository.find(tx, key, false))
                .orElseThrow(() -> new ServiceException.NotFound("no feature flag " + key));
    }

    private static void checkKey(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new ServiceException.Validation(
                    "key", "a flag key is 1 to 100 lower-case letters, digits, dots, dashes or underscores");
        }
    }

    private static Map<String, Object> describe(FlagView f) {
        var map = new LinkedHashMap<String, Object>();
        map.put("enabled", f.enabled());
        map.put("percentage", f.percentage());
        map.put("description", f.description());
        map.put("ruleUsers", f.rules().userIds().size());
        map.put("version", f.version());
        return map;
    }
}
