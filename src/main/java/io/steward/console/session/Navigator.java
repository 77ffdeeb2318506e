package io.steward.console.session;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Sends the person from one screen to another ("alerts", "gdpr"…), optionally to one thing on it
 * (a request just recorded). The window attaches the screens once it has them; a screen that shows
 * things by id follows what it is sent to, or takes it when it opens.
 */
public final class Navigator {
    private volatile Consumer<String> shows = screen -> {};
    private final Map<String, UUID> pending = new ConcurrentHashMap<>();
    private final Map<String, Consumer<UUID>> followers = new ConcurrentHashMap<>();

    /** The window's way of showing a screen by its id. */
    public void attach(Consumer<String> showScreen) {
        this.shows = showScreen;
    }

    public void show(String screen) {
        shows.accept(screen);
    }

    /** Shows {@code screen} with {@code item} picked on it. */
    public void show(String screen, UUID item) {
        Consumer<UUID> follower = followers.get(screen);
        if (follower != null) {
            follower.accept(item);
        } else {
            pending.put(screen, item);
        }
        shows.accept(screen);
    }

    /**
     * Called by {@code screen} when it is built: what it was sent to before it existed, if anything;
     * from then on {@code follow} hears of every later one.
     */
    public Optional<UUID> follow(String screen, Consumer<UUID> follow) {
        followers.put(screen, follow);
        return Optional.ofNullable(pending.remove(screen));
    }
}
