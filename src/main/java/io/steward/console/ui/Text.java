package io.steward.console.ui;

import io.steward.console.client.ApiException;
import io.steward.console.client.ServerUnreachable;
import io.steward.console.startup.BundledServer;
import java.time.Duration;

/** How the console words durations and problems, the same on every screen. */
public final class Text {
    private Text() {}

    /** "42 s", "4 min 10 s", "2 h 5 min", "3 d 4 h" (zero parts left out). */
    public static String duration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
        }
        if (seconds < 86_400) {
            return seconds / 3600 + " h" + (seconds % 3600 / 60 == 0 ? "" : " " + seconds % 3600 / 60 + " min");
        }
        return seconds / 86_400 + " d" + (seconds % 86_400 / 3600 == 0 ? "" : " " + seconds % 86_400 / 3600 + " h");
    }

    /** A failure as a sentence for a person: the server's words with its request id, or why it could not be reached. */
    public static String problem(Throwable failure) {
        return switch (failure) {
            case ServerUnreachable unreachable -> String.valueOf(unreachable.getMessage());
            case ApiException api -> capitalised(api.getMessage()) + ".";
            case BundledServer.BundledServerFailed start -> String.valueOf(start.getMessage());
            default -> "Something went wrong: " + failure.getClass().getSimpleName() + ".";
        };
    }

    public static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
