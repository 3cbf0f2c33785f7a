package io.blockbuster.websocket;

import io.blockbuster.websocket.protocol.ExtensionFactory;

/**
 * Lets tests of other packages plug any extension into a server or client: the builders offer
 * hosts only permessage-deflate, and keep the general seam package-private for tests such as the
 * deflate tests' counting wrapper.
 */
public final class TestExtensions {
    private TestExtensions() {
    }

    /** {@code builder} with {@code factory} added to the extensions it negotiates. */
    public static WebSocketServer.Builder with(WebSocketServer.Builder builder, ExtensionFactory factory) {
        return builder.extension(factory);
    }

    /** {@code builder} with {@code factory} added to the extensions it offers. */
    public static WebSocketClient.Builder with(WebSocketClient.Builder builder, ExtensionFactory factory) {
        return builder.extension(factory);
    }
}
