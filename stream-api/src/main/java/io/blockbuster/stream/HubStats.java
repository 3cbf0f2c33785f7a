package io.blockbuster.stream;

import io.blockbuster.stream.json.Json;
import java.util.Map;

/**
 * A snapshot of the hub's counters, readable as an object or as JSON ({@link #toJson()}).
 *
 * @param connections open connections
 * @param connectionsOpened connections opened since start
 * @param slowConsumersDisconnected connections closed with {@link StreamCloseCodes#SLOW_CONSUMER}
 * @param errorReplies {@code error} replies sent for bad requests
 * @param streams per-stream counters by name, in registration order
 * @param engine whether the hub's {@link StreamEngine} works now (a health check reports this)
 */
public record HubStats(int connections, long connectionsOpened, long slowConsumersDisconnected, long errorReplies,
                       Map<String, StreamStats> streams, EngineStatus engine) {

    /** Counters of a hub whose engine's status is not known (left out of {@link #toJson()} and metrics). */
    public HubStats(int connections, long connectionsOpened, long slowConsumersDisconnected, long errorReplies,
                    Map<String, StreamStats> streams) {
        this(connections, connectionsOpened, slowConsumersDisconnected, errorReplies, streams, null);
    }

    /** The same numbers as a JSON object (instants as ISO-8601 strings). */
    public String toJson() {
        return Json.write(this);
    }
}
