package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.protocol.ClientHandshake;
import io.blockbuster.websocket.protocol.HandshakeException;
import io.blockbuster.websocket.protocol.HttpRequest;
import io.blockbuster.websocket.protocol.HttpResponse;
import io.blockbuster.websocket.protocol.HttpResponseParser;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Reads the opening handshake off the socket's bytes until it is decided. Server: the request head
 * ({@link RequestHeadReader}), then {@link ServerUpgrade}'s answer; a malformed head is answered
 * with its HTTP status. Client: the response, validated against the request sent.
 *
 * <p>Threading: loop thread only; the connection drops it once the handshake is decided.
 */
final class OpeningHandshake {
    private static final System.Logger LOG = System.getLogger("io.blockbuster.websocket");

    private final InetSocketAddress remote;
    private final ServerSettings server;
    private final RequestHeadReader requestReader;
    private final ClientRuntime.Attempt attempt;
    private final HttpResponseParser responseParser;
    /** Client: the request to send. */
    private final ByteBuffer request;
    private byte[] requestHead;

    private OpeningHandshake(InetSocketAddress remote, ServerSettings server, ClientRuntime.Attempt attempt,
                             int maxHeaderBytes) {
        this.remote = remote;
        this.server = server;
        this.attempt = attempt;
        this.requestReader = server == null ? null : new RequestHeadReader(maxHeaderBytes);
        this.responseParser = server == null ? new HttpResponseParser(maxHeaderBytes) : null;
        this.request = server == null ? attempt.handshake.request() : null;
        if (request != null) {
            requestHead = new byte[request.remaining()];
            request.duplicate().get(requestHead);
        }
    }

    /** Server side: waits for the upgrade request. */
    static OpeningHandshake server(ServerSettings settings, InetSocketAddress remote, int maxHeaderBytes) {
        return new OpeningHandshake(remote, settings, null, maxHeaderBytes);
    }

    /** Client side: the connection sends {@link #request()} and waits for the response. */
    static OpeningHandshake client(ClientRuntime.Attempt attempt, InetSocketAddress remote, int maxHeaderBytes) {
        return new OpeningHandshake(remote, null, attempt, maxHeaderBytes);
    }

    /**
     * Consumes handshake bytes from {@code buf}; what follows the head stays there.
     *
     * @return null until decided; then the server's answer to send (and, if accepted, what the
     *     connection opens with), or for a client the accepted response (no bytes to send)
     * @throws HandshakeException client side: the server's response is not a valid upgrade
     */
    ServerUpgrade.Outcome read(ByteBuffer buf) {
        return server == null ? readResponse(buf) : readRequest(buf);
    }

    /** Client side: the upgrade request's bytes. */
    ByteBuffer request() {
        return request.duplicate();
    }

    /** The request head as it went over the wire: the client's at once, the server's once {@link #read} decided. */
    byte[] requestHead() {
        return requestHead;
    }

    private ServerUpgrade.Outcome readRequest(ByteBuffer buf) {
        HttpRequest req;
        try {
            req = requestReader.read(buf);
        } catch (HandshakeException e) {
            if (LOG.isLoggable(Level.DEBUG)) {
                LOG.log(Level.DEBUG, "handshake from " + remote + " refused: " + e.status() + " " + e.getMessage());
            }
            return ServerUpgrade.Outcome.reject(e.status(), e.getMessage());
        }
        if (req == null) {
            return null;
        }
        requestHead = requestReader.head();
        ServerUpgrade.Outcome outcome = ServerUpgrade.decide(server, req);
        if (!outcome.isAccepted() && LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "request from " + remote + " answered without upgrade: " + req.method() + " "
                    + req.path());
        }
        return outcome;
    }

    private ServerUpgrade.Outcome readResponse(ByteBuffer buf) {
        HttpResponse response = responseParser.parse(buf);
        if (response == null) {
            return null;
        }
        ClientHandshake.Result result = attempt.handshake.validate(response);
        return new ServerUpgrade.Outcome(null, attempt.listener, result.subprotocol(), result.extensions(), 0);
    }
}
