package io.blockbuster.websocket.internal;

import java.nio.channels.SelectionKey;

/** What a selection key is attached to: called on the loop thread when the key is ready. */
interface IoHandler {
    void onReady(SelectionKey key);

    /** The loop is stopping: release the channel at once, without callbacks that could block. */
    void onLoopStopped();
}
