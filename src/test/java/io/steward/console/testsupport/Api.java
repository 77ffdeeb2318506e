package io.steward.console.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Plain HTTP to the test server for what a test arranges or tidies up behind the console's back
 * (another staff member creating an account, a rule removed after a test).
 */
public final class Api {
    private static final MediaType JSON = MediaType.get("application/json");
    private final OkHttpClient http = new OkHttpClient();
    private final URI base;
    private final String token;

    private Api(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** Not signed in: for sign-in attempts. */
    public static Api anonymous(TestServer server) {
        return new Api(server.url(), "");
    }

    /** Signed in as the test server's admin. */
    public static Api asAdmin(TestServer server) {
        String body = anonymous(server)
                .send(
                        "POST",
                        "/api/v1/auth/login",
                        "{\"email\":\"" + TestServer.ADMIN + "\",\"password\":\"" + TestServer.PASSWORD + "\"}",
                        200);
        return new Api(server.url(), body.replaceFirst(".*\"token\"\\s*:\\s*\"([^\"]+)\".*", "$1"));
    }

    /** Sends a request and checks its status; returns the body. */
    public String send(String method, String path, String json, int expectedStatus) {
        var request = new Request.Builder()
                .url(base.resolve(path).toString())
                .method(method, json == null ? null : RequestBody.create(json, JSON));
        if (!token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        try (Response response = http.newCall(request.build()).execute()) {
            String body = response.body().string();
            assertThat(response.code()).as(method + " " + path + ": " + body).isEqualTo(expectedStatus);
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a support account with the test password; returns its id. */
    public String createSupportAccount(String email) {
        String body = send(
                "POST",
                "/api/v1/users",
                "{\"email\":\"" + email + "\",\"name\":\"Console Test\",\"role\":\"support\",\"password\":\""
                        + TestServer.PASSWORD + "\"}",
                201);
        return body.replaceFirst(".*\"id\"\\s*:\\s*\"([0-9a-f-]{36})\".*", "$1");
    }

    /** Deletes every alert rule whose name starts with {@code prefix}. */
    public void deleteRulesNamed(String prefix) {
        String rules = send("GET", "/api/v1/alert-rules", null, 200);
        var matcher = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"\\s*,\\s*\"name\"\\s*:\\s*\""
                        + java.util.regex.Pattern.quote(prefix))
                .matcher(rules);
        while (matcher.find()) {
            send("DELETE", "/api/v1/alert-rules/" + matcher.group(1), null, 204);
        }
    }
}
