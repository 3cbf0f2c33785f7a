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
 * delivery policies apply in its receivers.
 */
final class WebSocketFanout implements Fanout {
    static final WebSocketFanout INSTANCE = new WebSocketFanout();

    private WebSocketFanout() {
    }

    @Override
    public Group newGroup(boolean latestOnly, int maxBacklog) {
        WebSocketGroup<OutboundMessage> group = WebSocketGroup.withReceivers(latestOnly, maxBacklog);
        return new Group() {
            @Override
            public void add(StreamSession session, Receiver receiver) {
                group.add(((WebSocketStreamSession) session).webSocket(), new WebSocketGroup.Receiver<>() {
                    @Override
                    public void receive(OutboundMessage message) {
                        receiver.receive(message);
                    }

                    @Override
                    public void missed(long count) {
                        receiver.missed(count);
                    }
                });
            }

            @Override
            public void remove(StreamSession session) {
                group.remove(((WebSocketStreamSession) session).webSocket());
            }

            @Override
            public boolean publish(OutboundMessage message) {
                return group.broadcast(message);
            }

            @Override
            public long conflated() {
                return group.conflated();
            }
        };
    }
}
