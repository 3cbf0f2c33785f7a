package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.RequestHead;
import io.blockbuster.websocket.protocol.HttpRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed request head as the host sees it ({@link RequestHead}), so the host API names no
 * protocol type. A view: nothing is copied; subprotocols are parsed on demand unless the
 * handshake's validation already did.
 */
final class RequestView implements RequestHead {
    private final HttpRequest request;
    private final List<String> subprotocols;

    private RequestView(HttpRequest request, List<String> subprotocols) {
        this.request = request;
        this.subprotocols = subprotocols;
    }

    /** A request whose offered subprotocols were already parsed (an upgrade the server validated). */
    static RequestHead of(HttpRequest request, List<String> subprotocols) {
        return new RequestView(request, subprotocols);
    }

    /** A request as it is (a plain HTTP request, or a connection's retained opening request); null stays null. */
    static RequestHead of(HttpRequest request) {
        return request == null ? null : new RequestView(request, null);
    }

    @Override
    public String method() {
        return request.method();
    }

    @Override
    public String target() {
        return request.target();
    }

    @Override
    public String path() {
        return request.path();
    }

    @Override
    public String query() {
        return request.query();
    }

    @Override
    public Map<String, List<String>> queryParameters() {
        return request.queryParameters();
    }

    @Override
    public String header(String name) {
        return request.headers().first(name);
    }

    @Override
    public List<String> headers(String name) {
        return request.headers().all(name);
    }

    @Override
    public Set<String> headerNames() {
        return request.headers().names();
    }

    @Override
    public List<String> subprotocols() {
        if (subprotocols != null) {
            return subprotocols;
        }
        List<String> offered = new ArrayList<>(2);
        for (String value : request.headers().all("Sec-WebSocket-Protocol")) {
            for (String token : value.split(",")) {
                String p = token.strip();
                if (!p.isEmpty()) {
                    offered.add(p);
                }
            }
        }
        return List.copyOf(offered);
    }

    @Override
    public String toString() {
        return request.method() + " " + request.target();
    }
}
