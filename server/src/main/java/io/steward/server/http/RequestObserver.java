package io.steward.server.http;

/** Told when each request starts and how it ended: its method, route template (not the raw path), status and duration. */
public interface RequestObserver {
    RequestObserver NONE = new RequestObserver() {
        @Override
        public void started() {}

        @Override
        public void finished(String method, String route, int status, long nanos) {}
    };

    void started();

    void finished(String method, String route, int status, long nanos);
}
