package io.steward.server.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over one plain socket, kept alive from request to request, with the operating
 * system's default TCP settings (no {@code TCP_NODELAY}, no forced quick ACKs): what a simple
 * client sees, timed from the first byte of the request written to the last byte of the answer
 * read. Reads {@code Content-Length} and chunked bodies.
 */
public final class RawHttpClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String host;

    /** One answer and how long the client waited for it. */
    public record Answer(int status, Map<String, String> headers, byte[] body, long nanos) {}

    public RawHttpClient(String baseUrl) throws IOException {
        URI uri = URI.create(baseUrl);
        this.host = uri.getHost() + ":" + uri.getPort();
        this.socket = new Socket();
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
        socket.setSoTimeout(60_000);
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }

    /** {@code GET path} with the given extra headers. */
    public Answer get(String path, Map<String, String> headers) throws IOException {
        var request = new StringBuilder("GET ")
                .append(path)
                .append(" HTTP/1.1\r\nHost: ")
                .append(host)
                .append("\r\n");
        headers.forEach(
                (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        byte[] bytes = request.toString().getBytes(StandardCharsets.US_ASCII);
        long started = System.nanoTime();
        out.write(bytes);
        out.flush();
        String statusLine = line();
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        var answerHeaders = new LinkedHashMap<String, String>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            answerHeaders.put(
                    line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).strip());
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(answerHeaders.get("transfer-encoding"))) {
            var chunks = new ByteArrayOutputStream();
            for (int size = chunkSize(); size > 0; size = chunkSize()) {
                chunks.write(exactly(size));
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
            body = chunks.toByteArray();
        } else {
            body = exactly(Integer.parseInt(answerHeaders.getOrDefault("content-length", "0")));
        }
        return new Answer(status, answerHeaders, body, System.nanoTime() - started);
    }

    private int chunkSize() throws IOException {
        String line = line();
        int semicolon = line.indexOf(';');
        return Integer.parseInt(
                semicolon < 0 ? line.strip() : line.substring(0, semicolon).strip(), 16);
    }

    private byte[] exactly(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("the connection closed within a body");
        }
        return bytes;
    }

    private String line() throws IOException {
        var line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the connection closed within an answer");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
