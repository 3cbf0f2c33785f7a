package io.blockbuster.websocket.internal;

import java.util.concurrent.CompletableFuture;

/**
 * The future of a send whose frame went to the socket at once: complete, and one instance shared by
 * all such sends (a broadcast makes thousands a second), so it refuses the two methods that could
 * change a completed future. What hangs off it ({@code thenRun}, ...) gets futures of its own.
 */
final class Written extends CompletableFuture<Void> {
    static final Written INSTANCE = new Written();

    private Written() {
        complete(null);
    }

    @Override
    public void obtrudeValue(Void value) {
        throw new UnsupportedOperationException("the shared future of sends written at once");
    }

    @Override
    public void obtrudeException(Throwable ex) {
        throw new UnsupportedOperationException("the shared future of sends written at once");
    }
}
