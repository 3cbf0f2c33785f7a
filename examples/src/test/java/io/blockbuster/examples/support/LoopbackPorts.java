package io.blockbuster.examples.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for tests that must know a server's port before it starts (e.g. to restart it on the same one). */
public final class LoopbackPorts {
    private LoopbackPorts() {
    }

    /**
     * A loopback port that was free a moment ago. Another process may take it before the caller binds
     * it; tests that can bind port 0 instead should.
     */
    public static int free() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
