package io.blockbuster.stream.binding;

import io.blockbuster.stream.Fanout;
import io.blockbuster.stream.OutboundMessage;
import io.blockbuster.stream.StreamSession;
import io.blockbuster.websocket.WebSocketGroup;

/**
 * The hub's {@link Fanout} over websocket-core: each stream's subscribers in a
 * {@link WebSocketGroup} whose members take messages through the hub's receivers, so a publish costs
 * the publisher one hand-off per event loop, and a loop that is busy gathers what is published
 * meanwhile and writes each connection once. The group bounds what waits for a loop (conflating for
 * LATEST streams, pushing back and then shedding for QUEUE streams); the hub's per-subscriber
 * delivery policies, and its bound on delivery lag, apply in its receivers.
 */
final class WebSocketFanout implements Fanout {
    static final WebSocketFanout INSTANCE = new WebSocketFanout();

    private WebSocketFanout() {
    }

    /** One publish as the group carries it: one object per publish, shared by every member. */
    private record Published(OutboundMessage message, long nanos) {
    }

    /** A member's receiver: the hub's, over the group's interface (the hub core knows no transport types). */
    private record Member(Receiver hub) implements WebSocketGroup.Receiver<Published> {
        @Override
        public void receive(Published published) {
            hub.receive(published.message(), published.nanos());
        }

        @Override
        public void missed(long count) {
            hub.missed(count);
        }
    }

    @Override
    public Group newGroup(boolean latestOnly, int maxBacklog) {
        WebSocketGroup<Published> group = WebSocketGroup.withReceivers(latestOnly, maxBacklog);
        return new Group() {
            @Override
            public void add(StreamSession session, Receiver receiver) {
                group.add(((WebSocketStreamSession) session).webSocket(), new Member(receiver));
            }

            @Override
            public void remove(StreamSession session) {
                group.remove(((WebSocketStreamSession) session).webSocket());
            }

            @Override
            public boolean publish(OutboundMessage message, long publishedNanos) {
                return group.broadcast(new Published(message, publishedNanos));
            }

            @Override
            public long conflated() {
                return group.conflated();
            }
        };
    }
}
