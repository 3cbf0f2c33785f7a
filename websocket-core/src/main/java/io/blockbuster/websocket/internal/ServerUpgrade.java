package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.HandshakeDecision;
import io.blockbuster.websocket.HttpHandler;
import io.blockbuster.websocket.HttpReply;
import io.blockbuster.websocket.WebSocketHandler;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.protocol.Extension;
import io.blockbuster.websocket.protocol.HandshakeException;
import io.blockbuster.websocket.protocol.HttpRequest;
import io.blockbuster.websocket.protocol.ServerHandshake;
import io.blockbuster.websocket.protocol.UpgradeRequest;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A server's answer to one complete request head, in this order: plain HTTP (the host's
 * {@link HttpHandler} or {@code 426}), RFC 6455 validation ({@code 400}/{@code 426}), the path's
 * handler ({@code 404}), the Origin allow-list ({@code 403}), the host's {@link WebSocketHandler}
 * (its rejection, or {@code 500} when it throws), then the subprotocol and extensions.
 *
 * <p>Does no I/O: the caller writes {@link Outcome#response()} and, for a rejection, closes.
 * Runs on the connection's loop thread, as the host's handlers must know.
 */
final class ServerUpgrade {
    private static final System.Logger LOG = System.getLogger("io.blockbuster.websocket");

    /**
     * The bytes to send and, when accepted, what the new connection runs with; {@code rejection} is
     * the HTTP status of a refused upgrade (counted in the server's stats), 0 when nothing was
     * refused (an acceptance, or a plain HTTP request the host's handler answered).
     */
    record Outcome(ByteBuffer response, WebSocketListener listener, String subprotocol, List<Extension> extensions,
                   int rejection) {
        boolean isAccepted() {
            return listener != null;
        }

        static Outcome reject(int status, String body) {
            TransportEvents.rejected(status, body);
            return new Outcome(ServerHandshake.reject(status, body == null ? "" : body), null, null, List.of(), status);
        }
    }

    private ServerUpgrade() {
    }

    static Outcome decide(ServerSettings settings, HttpRequest request) {
        if (!request.headers().hasToken("Upgrade", "websocket")) {
            return plainHttp(settings.httpHandler(), request);
        }
        try {
            UpgradeRequest upgrade = ServerHandshake.validate(request);
            WebSocketHandler handler = settings.handlers().get(upgrade.path());
            if (handler == null) {
                return Outcome.reject(404, "no WebSocket endpoint at this path");
            }
            if (!settings.origins().isEmpty()) {
                String origin = upgrade.origin();
                if (origin == null || !settings.origins().contains(origin.toLowerCase(Locale.ROOT))) {
                    return Outcome.reject(403, "origin not allowed");
                }
            }
            HandshakeDecision decision;
            try {
                decision = Objects.requireNonNull(handler.handshake(RequestView.of(request, upgrade.subprotocols())), "handshake decision");
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "WebSocket handler for " + upgrade.path() + " failed", e);
                return Outcome.reject(500, "internal error");
            }
            if (!decision.isAccepted()) {
                return Outcome.reject(decision.status(), decision.body());
            }
            String subprotocol = decision.subprotocol();
            if (subprotocol == null) {
                for (String p : settings.subprotocols()) {
                    if (upgrade.subprotocols().contains(p)) {
                        subprotocol = p;
                        break;
                    }
                }
            } else if (!upgrade.subprotocols().contains(subprotocol)) {
                // RFC 6455 4.2.2: the server may only select a subprotocol the client offered
                LOG.log(Level.WARNING, "WebSocket handler for " + upgrade.path() + " chose subprotocol "
                        + subprotocol + ", which the client did not offer");
                return Outcome.reject(500, "internal error");
            }
            List<Extension> extensions = settings.extensions().isEmpty() || upgrade.extensionOffers().isEmpty()
                    ? List.of() : ServerHandshake.negotiate(upgrade.extensionOffers(), settings.extensions());
            return new Outcome(ServerHandshake.accept(upgrade, subprotocol, extensions), decision.listener(),
                    subprotocol, extensions, 0);
        } catch (HandshakeException e) {
            return Outcome.reject(e.status(), e.getMessage());
        }
    }

    private static Outcome plainHttp(HttpHandler handler, HttpRequest request) {
        HttpReply reply = null;
        if (handler != null) {
            try {
                reply = handler.handle(RequestView.of(request));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "HTTP handler failed", e);
                reply = HttpReply.text(500, "internal error\n");
            }
        }
        if (reply == null) {
            return Outcome.reject(426, "Upgrade Required: this port speaks WebSocket\n");
        }
        return new Outcome(ServerHandshake.closingResponse(reply.status(), reply.contentType(), reply.body()),
                null, null, List.of(), 0);
    }
}
