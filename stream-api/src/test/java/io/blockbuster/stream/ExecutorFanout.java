package io.blockbuster.stream;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * A {@link Fanout} for in-memory sessions: each publish to a group becomes one task on
 * {@code executor} that hands the message to every member's receiver. It does not gather (the
 * websocket-core binding's {@code WebSocketGroup} does, and is tested there); it lets the hub's tests
 * hold deliveries back and see what a delivery on another thread does to order, snapshots and
 * replays. With bounds it also behaves as a transport under overload does: past {@code pushBackAfter}
 * waiting publishes it asks the publisher to slow down, past {@code shedAfter} the oldest waiting
 * publish reaches its members as {@link Receiver#missed missed} instead.
 */
public final class ExecutorFanout implements Fanout {
    private final Executor executor;
    private final int pushBackAfter;
    private final int shedAfter;

    /** A fanout running each publish's hand-over as one task on {@code executor}, without bounds. */
    public ExecutorFanout(Executor executor) {
        this(executor, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    ExecutorFanout(Executor executor, int pushBackAfter, int shedAfter) {
        this.executor = executor;
        this.pushBackAfter = pushBackAfter;
        this.shedAfter = shedAfter;
    }

    /** One publish on its way to the members there were then. */
    private static final class Job {
        final OutboundMessage message;
        final long publishedNanos;
        final List<Receiver> members;
        boolean shed;

        Job(OutboundMessage message, long publishedNanos, List<Receiver> members) {
            this.message = message;
            this.publishedNanos = publishedNanos;
            this.members = members;
        }
    }

    @Override
    public Group newGroup(boolean latestOnly, int maxBacklog) {
        Map<StreamSession, Receiver> members = new LinkedHashMap<>();
        ArrayDeque<Job> waiting = new ArrayDeque<>();
        return new Group() {
            @Override
            public synchronized void add(StreamSession session, Receiver receiver) {
                members.put(session, receiver);
            }

            @Override
            public synchronized void remove(StreamSession session) {
                members.remove(session);
            }

            @Override
            public boolean publish(OutboundMessage message, long publishedNanos) {
                Job job;
                int n;
                synchronized (this) {
                    job = new Job(message, publishedNanos, List.copyOf(members.values()));
                    waiting.addLast(job);
                    n = waiting.size();
                    if (n > shedAfter) {
                        for (Job j : waiting) {
                            if (!j.shed) {
                                j.shed = true;
                                break;
                            }
                        }
                    }
                }
                executor.execute(() -> run(job));
                return n <= pushBackAfter;
            }

            private void run(Job job) {
                boolean shed;
                synchronized (this) {
                    waiting.remove(job);
                    shed = job.shed;
                }
                for (Receiver r : job.members) {
                    if (shed) {
                        r.missed(1);
                    } else {
                        r.receive(job.message, job.publishedNanos);
                    }
                }
            }

            @Override
            public long conflated() {
                return 0;
            }
        };
    }
}
