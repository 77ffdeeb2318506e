package io.steward.server.demo;

import io.steward.server.db.Database;
import io.steward.server.db.Tx;
import java.sql.SQLException;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import net.datafaker.Faker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds an empty platform with N demo users and two years of their history: programmes,
 * enrolments, communications, sessions and e-mail logs. Values come from datafaker with fixed
 * seeds, so the same N on the same day gives the same rows; they are streamed into PostgreSQL
 * with COPY in one transaction, so a seed is all there or not at all. Seeding happens once per
 * database: a second call does nothing.
 */
public final class DemoService {
    private static final Logger LOG = LoggerFactory.getLogger(DemoService.class);
    private static final long TWO_YEARS = 730L * 86_400;
    private static final int PROGRAMS = 48;
    private static final List<Locale> LOCALES = List.of(
            Locale.of("en", "GB"),
            Locale.of("en", "US"),
            Locale.of("de", "DE"),
            Locale.of("fr", "FR"),
            Locale.of("es", "ES"),
            Locale.of("it", "IT"),
            Locale.of("nl", "NL"),
            Locale.of("pl", "PL"));
    private static final int PEOPLE_PER_LOCALE = 1_500;
    private static final int INDEX_BUILDERS = 2;
    private static final List<String> TABLES =
            List.of("users", "programs", "enrollments", "communications", "user_sessions", "email_logs");

    private final Database db;
    private final DemoRepository repository;
    private final Clock clock;

    public DemoService(Database db, DemoRepository repository, Clock clock) {
        this.db = db;
        this.repository = repository;
        this.clock = clock;
    }

    /** What a seeding produced; all zero with {@code alreadySeeded} when it had happened before. */
    public record Summary(
            int users,
            int programs,
            long enrollments,
            long communications,
            long sessions,
            long emailLogs,
            long millis,
            boolean alreadySeeded) {}

    /** Seeds {@code users} demo platform users, unless this database was seeded before. */
    public Summary seed(int users) {
        if (users < 1) {
            throw new IllegalArgumentException("demo user count must be positive");
        }
        long started = System.nanoTime();
        Summary summary = db.inTransaction(tx -> {
            repository.lockSeeding(tx);
            if (repository.seededUsers(tx).isPresent()) {
                return new Summary(0, 0, 0, 0, 0, 0, 0, true);
            }
            repository.prepareBulkLoad(tx);
            List<String> restore = repository.suspendConstraints(tx, TABLES);
            Instant now = clock.instant();
            var plan = new Generator(users, now.truncatedTo(ChronoUnit.DAYS).getEpochSecond());
            plan.users(tx);
            plan.programs(tx);
            long enrollments = plan.enrollments(tx);
            long communications = plan.communications(tx);
            long sessions = plan.sessions(tx);
            long emailLogs = plan.emailLogs(tx);
            // keys, unique indexes and foreign keys are back before commit: a seeding that would break
            // one rolls back whole. Plain indexes cannot fail on the data; they are built after the
            // commit on two connections at once, and recorded so that an interrupted build resumes.
            List<String> later =
                    restore.stream().filter(DemoService::plainIndex).toList();
            repository.execute(
                    tx,
                    restore.stream().filter(statement -> !plainIndex(statement)).toList());
            repository.markSeeded(tx, users, now, later);
            return new Summary(users, PROGRAMS, enrollments, communications, sessions, emailLogs, 0, false);
        });
        if (!summary.alreadySeeded()) {
            finishPendingIndexes();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (summary.alreadySeeded()) {
            LOG.info("demo data already present; nothing seeded");
            return summary;
        }
        var done = new Summary(
                summary.users(),
                summary.programs(),
                summary.enrollments(),
                summary.communications(),
                summary.sessions(),
                summary.emailLogs(),
                millis,
                false);
        LOG.info(
                "demo data seeded: {} users, {} programmes, {} enrolments, {} communications, {} sessions,"
                        + " {} e-mail logs in {} ms",
                done.users(),
                done.programs(),
                done.enrollments(),
                done.communications(),
                done.sessions(),
                done.emailLogs(),
                millis);
        return done;
    }

    private static boolean plainIndex(String statement) {
        return statement.startsWith("CREATE INDEX ");
    }

    /**
     * Builds the indexes a seeding left to build (all of them right after it, or what a stopped
     * server left), two at a time on their own connections, the slow trigram ones first; then
     * gathers the tables' planner statistics.
     */
    public void finishPendingIndexes() {
        List<String> pending = db.read(repository::pendingIndexes);
        if (pending.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        var queue = new java.util.concurrent.ConcurrentLinkedQueue<String>();
        pending.stream().filter(s -> s.contains(" USING gin ")).forEach(queue::add);
        pending.stream().filter(s -> !s.contains(" USING gin ")).forEach(queue::add);
        var failures = new java.util.concurrent.CopyOnWriteArrayList<RuntimeException>();
        var builders = new ArrayList<Thread>();
        for (int i = 0; i < INDEX_BUILDERS; i++) {
            builders.add(Thread.ofPlatform().name("steward-demo-index-" + i).start(() -> {
                String statement;
                while (failures.isEmpty() && (statement = queue.poll()) != null) {
                    // an index that exists already was built before an interruption
                    String build = "CREATE INDEX IF NOT EXISTS " + statement.substring("CREATE INDEX ".length());
                    try {
                        db.inTransaction(tx -> {
                            repository.execute(tx, List.of("SET LOCAL maintenance_work_mem = '512MB'", build));
                            return null;
                        });
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            }));
        }
        for (Thread builder : builders) {
            try {
                builder.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while building the demo indexes", e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
        // planner statistics for the new rows now, not when autovacuum gets to them: until then
        // the first searches would be planned as if the tables were empty
        db.inTransaction(tx -> {
            repository.execute(
                    tx, TABLES.stream().map(table -> "ANALYZE " + table).toList());
            repository.clearPendingIndexes(tx);
            return null;
        });
        LOG.info(
                "demo indexes built and tables analysed: {} indexes in {} ms",
                pending.size(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** One person's worth of fake values, from one locale. */
    private record Person(
            String firstName,
            String lastName,
            String street,
            String city,
            String postalCode,
            String country,
            String phone,
            String asciiFirst,
            String asciiLast) {}

    /** Generates the rows table by table; each table has its own seeded random sequence. */
    private final class Generator {
        private final int count;
        private final long anchor;
        private final long seed;
        private final List<List<Person>> people = new ArrayList<>();
        private final List<String> domains = new ArrayList<>();
        private final List<String> userAgents = new ArrayList<>();
        private final List<String> subjects = new ArrayList<>();
        private final List<String> sentences = new ArrayList<>();
        private final UUID[] programIds = new UUID[PROGRAMS];
        private final long[] idHigh;
        private final long[] idLow;
        private final long[] created;
        private final long[] lastLogin;
        private final String[] emails;

        Generator(int count, long anchor) {
            this.count = count;
            this.anchor = anchor;
            this.seed = 0x5EED_0000L + count;
            this.idHigh = new long[count];
            this.idLow = new long[count];
            this.created = new long[count];
            this.lastLogin = new long[count];
            this.emails = new String[count];
            pools();
        }

        private void pools() {
            for (Locale locale : LOCALES) {
                var faker = new Faker(locale, new Random(locale.toLanguageTag().hashCode()));
                String country = locale.getDisplayCountry(Locale.ENGLISH);
                var list = new ArrayList<Person>(PEOPLE_PER_LOCALE);
                for (int i = 0; i < PEOPLE_PER_LOCALE; i++) {
                    String firstName = faker.name().firstName();
                    String lastName = faker.name().lastName();
                    list.add(new Person(
                            firstName,
                            lastName,
                            faker.address().streetAddress(),
                            faker.address().city(),
                            faker.address().zipCode(),
                            country,
                            faker.phoneNumber().phoneNumber(),
                            ascii(firstName),
                            ascii(lastName)));
                }
                people.add(list);
            }
            var faker = new Faker(Locale.ENGLISH, new Random(7));
            for (int i = 0; i < 120; i++) {
                domains.add(faker.internet().domainName());
                userAgents.add(faker.internet().userAgent());
                subjects.add(faker.lorem().sentence(4).replace(".", ""));
            }
            for (int i = 0; i < 400; i++) {
                sentences.add(faker.lorem().paragraph(2));
            }
        }

        private Random random(String table) {
            return new Random(seed ^ table.hashCode());
        }

        private static UUID uuid(Random random) {
            long high = (random.nextLong() & ~0xF000L) | 0x4000L;
            long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
            return new UUID(high, low);
        }

        private long between(Random random, long from, long to) {
            return to <= from ? from : from + (long) (random.nextDouble() * (to - from));
        }

        void users(Tx tx) throws SQLException {
            Random random = random("users");
            String columns = "id, email, name, role, active, email_verified, phone, street, city, postal_code, country,"
                    + " date_of_birth, marketing_consent, created_at, updated_at, last_login, deleted_at";
            try (var copy = repository.copy(tx, "users", columns)) {
                for (int i = 0; i < count; i++) {
                    UUID id = uuid(random);
                    idHigh[i] = id.getMostSignificantBits();
                    idLow[i] = id.getLeastSignificantBits();
                    List<Person> local = people.get(random.nextInt(people.size()));
                    Person first = local.get(random.nextInt(local.size()));
                    Person last = local.get(random.nextInt(local.size()));
                    Person home = local.get(random.nextInt(local.size()));
                    String email = email(first.asciiFirst(), last.asciiLast(), i, random);
                    emails[i] = email;
                    // rows arrive in the order people registered, as on a live platform: the table's
                    // physical order follows created_at, which the newest-first list relies on
                    long createdAt = anchor - 1 - (long) ((count - i - random.nextDouble()) * TWO_YEARS / count);
                    created[i] = createdAt;
                    boolean deleted = random.nextInt(100) == 0;
                    boolean active = !deleted && random.nextInt(100) >= 7;
                    long login = random.nextInt(10) == 0 ? -1 : between(random, createdAt, anchor - 1);
                    lastLogin[i] = login;
                    long updatedAt = Math.max(createdAt, between(random, createdAt, anchor - 1));
                    long birthDay = java.time.LocalDate.of(1950, 1, 1).toEpochDay() + random.nextInt(55 * 365);
                    copy.uuid(id)
                            .text(email)
                            .text(first.firstName() + " " + last.lastName())
                            .text(random.nextInt(100) < 5 ? "instructor" : "student")
                            .bool(active)
                            .bool(random.nextInt(100) >= 12)
                            .text(home.phone())
                            .text(home.street())
                            .text(home.city())
                            .text(home.postalCode())
                            .text(home.country())
                            .date(birthDay)
                            .bool(random.nextInt(100) < 35)
                            .timestamp(createdAt)
                            .timestamp(updatedAt)
                            .timestamp(login)
                            .timestamp(deleted ? between(random, createdAt, anchor - 1) : -1);
                    copy.endRow();
                }
                copy.finish();
            }
        }

        private String email(String f, String l, int index, Random random) {
            String domain = domains.get(random.nextInt(domains.size()));
            return switch (random.nextInt(3)) {
                case 0 -> f + "." + l + index + "@" + domain;
                case 1 -> f.charAt(0) + l + index + "@" + domain;
                default -> l + "." + f + index + "@" + domain;
            };
        }

        private static String ascii(String value) {
            String plain = Normalizer.normalize(value, Normalizer.Form.NFD)
                    .replaceAll("[^A-Za-z]", "")
                    .toLowerCase(Locale.ROOT);
            return plain.isEmpty() ? "user" : plain;
        }

        void programs(Tx tx) throws SQLException {
            Random random = random("programs");
            var faker = new Faker(Locale.ENGLISH, new Random(seed));
            try (var copy =
                    repository.copy(tx, "programs", "id, code, title, description, starts_on, ends_on, created_at")) {
                for (int p = 0; p < PROGRAMS; p++) {
                    programIds[p] = uuid(random);
                    long start = (anchor - TWO_YEARS) / 86_400 + random.nextInt(700);
                    copy.uuid(programIds[p])
                            .text("PRG-" + (1001 + p))
                            .text(faker.educator().course())
                            .text(faker.lorem().paragraph(3))
                            .date(start)
                            .date(start + 90 + random.nextInt(640))
                            .timestamp(anchor - TWO_YEARS - 86_400L * random.nextInt(60));
                    copy.endRow();
                }
                copy.finish();
            }
        }

        long enrollments(Tx tx) throws SQLException {
            Random random = random("enrollments");
            String columns = "id, user_id, program_id, status, enrolled_at, completed_at, grade";
            try (var copy = repository.copy(tx, "enrollments", columns)) {
                for (int i = 0; i < count; i++) {
                    int n = random.nextInt(4); // 0-3, 1.5 on average
                    int firstProgram = random.nextInt(PROGRAMS);
                    for (int k = 0; k < n; k++) {
                        // consecutive programmes modulo the total: distinct for one user
                        UUID program = programIds[(firstProgram + k * 7) % PROGRAMS];
                        long enrolled = between(random, created[i], anchor - 1);
                        int roll = random.nextInt(100);
                        String status = roll < 40 ? "completed" : roll < 50 ? "withdrawn" : "active";
                        copy.uuid(uuid(random))
                                .uuid(new UUID(idHigh[i], idLow[i]))
                                .uuid(program)
                                .text(status);
                        copy.timestamp(enrolled);
                        if (status.equals("completed")) {
                            copy.timestamp(between(random, enrolled, anchor - 1))
                                    .decimal(50 + random.nextDouble() * 50);
                        } else {
                            copy.nothing().nothing();
                        }
                        copy.endRow();
                    }
                }
                copy.finish();
                return copy.rows();
            }
        }

        long communications(Tx tx) throws SQLException {
            Random random = random("communications");
            String[] channels = {"email", "email", "in_app", "sms", "phone"};
            try (var copy =
                    repository.copy(tx, "communications", "id, user_id, channel, direction, subject, body, sent_at")) {
                for (int i = 0; i < count; i++) {
                    int n = random.nextInt(3); // 0-2, 1 on average
                    for (int k = 0; k < n; k++) {
                        copy.uuid(uuid(random))
                                .uuid(new UUID(idHigh[i], idLow[i]))
                                .text(channels[random.nextInt(channels.length)])
                                .text(random.nextInt(4) == 0 ? "inbound" : "outbound")
                                .text(subjects.get(random.nextInt(subjects.size())))
                                .text(sentences.get(random.nextInt(sentences.size())))
                                .timestamp(between(random, created[i], anchor - 1));
                        copy.endRow();
                    }
                }
                copy.finish();
                return copy.rows();
            }
        }

        long sessions(Tx tx) throws SQLException {
            Random random = random("sessions");
            String columns = "id, user_id, started_at, ended_at, ip_address, user_agent";
            try (var copy = repository.copy(tx, "user_sessions", columns)) {
                for (int i = 0; i < count; i++) {
                    if (lastLogin[i] < 0) {
                        continue;
                    }
                    int n = 1 + random.nextInt(2); // 1-2 for users who ever signed in
                    for (int k = 0; k < n; k++) {
                        long started = k == 0 ? lastLogin[i] : between(random, created[i], lastLogin[i]);
                        copy.uuid(uuid(random))
                                .uuid(new UUID(idHigh[i], idLow[i]))
                                .timestamp(started)
                                .timestamp(random.nextInt(10) == 0 ? -1 : started + 60 + random.nextInt(3 * 3600))
                                .text((1 + random.nextInt(223)) + "." + random.nextInt(256) + "." + random.nextInt(256)
                                        + "." + (1 + random.nextInt(254)))
                                .text(userAgents.get(random.nextInt(userAgents.size())));
                        copy.endRow();
                    }
                }
                copy.finish();
                return copy.rows();
            }
        }

        long emailLogs(Tx tx) throws SQLException {
            Random random = random("email_logs");
            String[] templates = {
                "welcome",
                "verify_email",
                "password_reset",
                "course_reminder",
                "enrolment_confirmed",
                "certificate_ready",
                "newsletter"
            };
            String[] statuses = {
                "delivered", "delivered", "delivered", "opened", "opened", "sent", "bounced", "failed", "queued"
            };
            try (var copy = repository.copy(tx, "email_logs", "id, user_id, to_address, template, status, sent_at")) {
                for (int i = 0; i < count; i++) {
                    int n = 1 + random.nextInt(2); // the welcome mail, and one more for half of them
                    for (int k = 0; k < n; k++) {
                        copy.uuid(uuid(random))
                                .uuid(new UUID(idHigh[i], idLow[i]))
                                .text(emails[i])
                                .text(k == 0 ? "welcome" : templates[random.nextInt(templates.length)])
                                .text(statuses[random.nextInt(statuses.length)])
                                .timestamp(k == 0 ? created[i] : between(random, created[i], anchor - 1));
                        copy.endRow();
                    }
                }
                copy.finish();
                return copy.rows();
            }
        }
    }
}
