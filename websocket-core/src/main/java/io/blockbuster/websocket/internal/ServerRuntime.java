package io.blockbuster.websocket.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/** The running part of a server: acceptor, event loops, connections. */
public final class ServerRuntime {
    private final ServerSettings settings;

    public ServerRuntime(ServerSettings settings) {
        this.settings = settings;
    }

    public ServerSettings settings() {
        return settings;
    }

    public void start() throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    public InetSocketAddress address() {
        throw new UnsupportedOperationException("not yet");
    }

    public int connectionCount() {
        return 0;
    }

    public void shutdown(Duration grace) {
    }
}
