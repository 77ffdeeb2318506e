package io.steward.server.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Fans events out to every connected stream. Publishing never waits for a client: each client
 * has its own bounded buffer, and an event that does not fit is dropped for that client alone
 * (and counted). Recent events are kept so that a client reconnecting with {@code Last-Event-ID}
 * gets what it missed. Ids grow across restarts (they start from the clock), so an id from
 * before a restart is simply older than everything new.
 */
public final class EventHub implements AutoCloseable {
    /** Events a client may fall behind by before its new events are dropped. */
    public static final int CLIENT_BUFFER = 256;
    /** Recent events kept for reconnecting clients: about 15 minutes of the 1 Hz metrics. */
    public static final int REPLAY = 1_024;

    private final ObjectMapper mapper;
    private final AtomicLong ids = new AtomicLong(System.currentTimeMillis() * 1_000);
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final Deque<Event> recent = new ArrayDeque<>();
    private final LongAdder dropped = new LongAdder();
    private volatile boolean closed;

    /** One event as it goes on the wire: id, type and JSON data. */
    public record Event(long id, String type, String json) {
        static final Event END = new Event(-1, "", "");
    }

    public EventHub(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** One connected stream. */
    public final class Client implements AutoCloseable {
        private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(CLIENT_BUFFER);
        private final LongAdder droppedHere = new LongAdder();

        private Client() {}

        void offer(Event event) {
            if (!queue.offer(event)) {
                droppedHere.increment();
                dropped.increment();
            }
        }

        /** The next event, or null when none came within {@code wait} (time for a heartbeat). */
        public Event next(Duration wait) throws InterruptedException {
            return queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        }

        public long dropped() {
            return droppedHere.sum();
        }

        @Override
        public void close() {
            clients.remove(this);
        }
    }

    /**
     * Connects a client. With {@code lastEventId} it first gets the kept events after that id,
     * then live ones, without a gap or a duplicate between the two.
     */
    public Client connect(long lastEventId) {
        var client = new Client();
        synchronized (recent) {
            if (lastEventId > 0) {
                for (Event e : recent) {
                    if (e.id() > lastEventId) {
                        client.offer(e);
                    }
                }
            }
            if (closed) {
                client.offer(Event.END);
            }
            clients.add(client);
        }
        return client;
    }

    /** Sends {@code data} as JSON to every client as an event of {@code type}. */
    public void publish(String type, Object data) {
        String json;
        try {
            json = mapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data must serialise to JSON", e);
        }
        publishJson(type, json);
    }

    private void publishJson(String type, String json) {
        synchronized (recent) {
            var event = new Event(ids.incrementAndGet(), type, json);
            recent.addLast(event);
            if (recent.size() > REPLAY) {
                recent.removeFirst();
            }
            for (Client client : clients) {
                client.offer(event);
            }
        }
    }

    public int clientCount() {
        return clients.size();
    }

    /** Events dropped because a client's buffer was full, since start. */
    public long droppedCount() {
        return dropped.sum();
    }

    /** Ends every stream. */
    @Override
    public void close() {
        List<Client> all;
        synchronized (recent) {
            closed = true;
            all = new ArrayList<>(clients);
        }
        for (Client client : all) {
            client.queue.clear();
            client.queue.offer(Event.END);
        }
    }

    static boolean isEnd(Event event) {
        return event == Event.END;
    }
}
