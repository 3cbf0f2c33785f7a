package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.protocol.HttpRequest;
import java.net.InetSocketAddress;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The transport's JDK Flight Recorder events: connection opened and closed, handshake rejected,
 * slow peer closed. They cost nothing unless a recording enables them: each emitter first asks a
 * probe instance whether its event type is enabled and returns before building any string or
 * object (the allocation test holds it to that). Names and fields are listed in
 * docs/operations.md; keep them stable, recordings and dashboards refer to them.
 */
final class TransportEvents {
    private static final Opened OPENED = new Opened();
    private static final Closed CLOSED = new Closed();
    private static final Rejected REJECTED = new Rejected();
    private static final SlowPeer SLOW_PEER = new SlowPeer();

    private TransportEvents() {
    }

    @Name("io.blockbuster.websocket.ConnectionOpened")
    @Label("WebSocket Connection Opened")
    @Category({"blockbuster", "WebSocket"})
    @Description("A WebSocket connection finished its opening handshake")
    @StackTrace(false)
    static final class Opened extends Event {
        @Label("Remote Address")
        String remote;
        @Label("Path")
        @Description("The request path (server side); the URI path (client side)")
        String path;
        @Label("Server")
        boolean server;
    }

    @Name("io.blockbuster.websocket.ConnectionClosed")
    @Label("WebSocket Connection Closed")
    @Category({"blockbuster", "WebSocket"})
    @Description("An open WebSocket connection ended; 1006 when it ended without a close handshake")
    @StackTrace(false)
    static final class Closed extends Event {
        @Label("Remote Address")
        String remote;
        @Label("Path")
        String path;
        @Label("Server")
        boolean server;
        @Label("Close Code")
        int closeCode;
        @Label("Close Reason")
        String closeReason;
        @Label("Closed By Peer")
        boolean closedByPeer;
        @Label("Connected For")
        @Timespan(Timespan.NANOSECONDS)
        long connectedFor;
        @Label("Bytes In")
        @DataAmount
        long bytesIn;
        @Label("Bytes Out")
        @DataAmount
        long bytesOut;
    }

    @Name("io.blockbuster.websocket.HandshakeRejected")
    @Label("WebSocket Handshake Rejected")
    @Category({"blockbuster", "WebSocket"})
    @Description("The server answered a request on its port with an HTTP error instead of an upgrade")
    @StackTrace(false)
    static final class Rejected extends Event {
        @Label("Status")
        int status;
        @Label("Reason")
        String reason;
    }

    @Name("io.blockbuster.websocket.SlowPeerClosed")
    @Label("WebSocket Slow Peer Closed")
    @Category({"blockbuster", "WebSocket"})
    @Description("A peer read too slowly: its outbound buffer passed maxBufferedBytes and the connection is being closed")
    @StackTrace(false)
    static final class SlowPeer extends Event {
        @Label("Remote Address")
        String remote;
        @Label("Max Buffered Bytes")
        @Description("The limit its outbound backlog would have passed")
        @DataAmount
        long maxBufferedBytes;
        @Label("Close Code")
        int closeCode;
    }

    static void opened(InetSocketAddress remote, ConnectionHandle handle, boolean server) {
        if (!OPENED.isEnabled()) {
            return;
        }
        Opened e = new Opened();
        e.remote = String.valueOf(remote);
        e.path = pathOf(handle);
        e.server = server;
        e.commit();
    }

    static void closed(InetSocketAddress remote, ConnectionHandle handle, boolean server, int code, String reason,
                       boolean byPeer, long openedNanos, long bytesIn, long bytesOut) {
        if (!CLOSED.isEnabled()) {
            return;
        }
        Closed e = new Closed();
        e.remote = String.valueOf(remote);
        e.path = pathOf(handle);
        e.server = server;
        e.closeCode = code;
        e.closeReason = reason;
        e.closedByPeer = byPeer;
        e.connectedFor = System.nanoTime() - openedNanos;
        e.bytesIn = bytesIn;
        e.bytesOut = bytesOut;
        e.commit();
    }

    static void rejected(int status, String reason) {
        if (!REJECTED.isEnabled()) {
            return;
        }
        Rejected e = new Rejected();
        e.status = status;
        e.reason = reason;
        e.commit();
    }

    static void slowPeer(InetSocketAddress remote, long maxBufferedBytes, int closeCode) {
        if (!SLOW_PEER.isEnabled()) {
            return;
        }
        SlowPeer e = new SlowPeer();
        e.remote = String.valueOf(remote);
        e.maxBufferedBytes = maxBufferedBytes;
        e.closeCode = closeCode;
        e.commit();
    }

    private static String pathOf(ConnectionHandle handle) {
        HttpRequest request = handle == null ? null : handle.request();
        return request == null ? null : request.path();
    }
}
