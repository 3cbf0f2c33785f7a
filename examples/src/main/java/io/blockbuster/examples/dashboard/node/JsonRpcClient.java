package io.blockbuster.examples.dashboard.node;

import io.blockbuster.stream.json.Json;
import io.blockbuster.stream.json.JsonException;
import io.blockbuster.stream.json.JsonLimits;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A JSON-RPC 2.0 client over HTTP POST ({@link HttpClient}). One call is one request; the node's
 * answer is read up to {@value #MAX_RESPONSE_BYTES} bytes and parsed with our own JSON parser.
 *
 * <p>Every failure — refused connection, timeout, HTTP status other than 200, unreadable or
 * mismatched response, or a JSON-RPC {@code error} object — becomes a
 * {@link NodeUnavailableException} with a short message saying which. Thread safe.
 */
final class JsonRpcClient {

    static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

    private final URI endpoint;
    private final Duration timeout;
    private final HttpClient http;
    private final AtomicLong ids = new AtomicLong();

    JsonRpcClient(URI endpoint, Duration timeout) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    URI endpoint() {
        return endpoint;
    }

    /**
     * Calls {@code method} with {@code params} (a Map for named parameters, a List for positional
     * ones, or null for none) and returns the {@code result}, parsed as {@link Json#parse} does.
     */
    Object call(String method, Object params) {
        long id = ids.incrementAndGet();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("jsonrpc", "2.0");
        request.put("id", id);
        request.put("method", method);
        if (params != null) {
            request.put("params", params);
        }
        HttpRequest httpRequest = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeUtf8(request)))
                .build();
        byte[] body;
        try {
            HttpResponse<InputStream> response = http.send(httpRequest, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new NodeUnavailableException(method + ": node answered HTTP " + response.statusCode());
                }
                body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            }
        } catch (HttpTimeoutException e) {
            throw new NodeUnavailableException(method + ": no answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new NodeUnavailableException(method + ": cannot reach " + endpoint + " ("
                    + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeUnavailableException(method + ": interrupted", e);
        }
        if (body.length > MAX_RESPONSE_BYTES) {
            throw new NodeUnavailableException(method + ": answer larger than " + MAX_RESPONSE_BYTES + " bytes");
        }
        Object parsed;
        try {
            parsed = Json.parseUtf8(body, new JsonLimits(64, MAX_RESPONSE_BYTES));
        } catch (JsonException e) {
            throw new NodeUnavailableException(method + ": answer is not JSON (" + e.getMessage() + ")", e);
        }
        if (!(parsed instanceof Map<?, ?> response) || !"2.0".equals(response.get("jsonrpc"))) {
            throw new NodeUnavailableException(method + ": answer is not a JSON-RPC 2.0 response");
        }
        if (!(response.get("id") instanceof Number n) || n.longValue() != id) {
            throw new NodeUnavailableException(method + ": answer has the wrong id");
        }
        if (response.get("error") instanceof Map<?, ?> error) {
            throw new NodeUnavailableException(method + ": node error " + error.get("code") + " "
                    + error.get("message"));
        }
        if (!response.containsKey("result")) {
            throw new NodeUnavailableException(method + ": answer has neither result nor error");
        }
        return response.get("result");
    }
}
