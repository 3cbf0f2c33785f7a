package io.blockbuster.stream.internal;

import io.blockbuster.stream.HandshakeInfo;
import io.blockbuster.stream.StreamSession;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;

/**
 * The hub's account of who connects and what they subscribe to, at INFO through the
 * {@code System.Logger} named {@value #LOGGER} ("client 127.0.0.1:50312 subscribed to
 * network_metrics"), what an operator looks for when "no data arrives". Once per connection and per
 * subscription, never per message; hosts silence it with {@code StreamHub.builder().activityLog(false)}
 * or by that logger's level.
 */
public final class ActivityLog {
    /** The logger's name. */
    public static final String LOGGER = "io.blockbuster.stream.activity";

    private static final System.Logger LOG = System.getLogger(LOGGER);

    private final boolean enabled;

    /** A log that writes when {@code enabled}. */
    public ActivityLog(boolean enabled) {
        this.enabled = enabled;
    }

    void connected(StreamSession session) {
        if (isOn()) {
            String path = session.handshake() == null ? null : session.handshake().path();
            log(session, "connected" + (path == null ? "" : " to " + path));
        }
    }

    void disconnected(StreamSession session) {
        if (isOn()) {
            log(session, "disconnected");
        }
    }

    void subscribed(StreamSession session, String stream) {
        if (isOn()) {
            log(session, "subscribed to " + stream);
        }
    }

    void unsubscribed(StreamSession session, String stream) {
        if (isOn()) {
            log(session, "unsubscribed from " + stream);
        }
    }

    private boolean isOn() {
        return enabled && LOG.isLoggable(Level.INFO);
    }

    private static void log(StreamSession session, String what) {
        LOG.log(Level.INFO, "client " + address(session.handshake()) + " " + what);
    }

    private static String address(HandshakeInfo handshake) {
        InetSocketAddress remote = handshake == null ? null : handshake.remoteAddress();
        if (remote == null) {
            return "(address unknown)";
        }
        String host = remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + remote.getPort();
    }
}
