package io.blockbuster.websocket;

import io.blockbuster.websocket.internal.GroupMember;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Connections that messages are broadcast to, each on its own event loop (as Netty's
 * {@code ChannelGroup} is to its users). A {@link #broadcast} costs the calling thread one queue
 * entry per event loop and at most one task hand-off per loop, however many connections listen.
 *
 * <p><b>Gathering.</b> Each event loop runs at most one task of the group at a time. Messages
 * broadcast while that task waits or runs gather behind it and go out together: the task sends
 * every gathered message (up to {@value #MAX_MESSAGES_PER_RUN}, then it yields the loop) to each
 * connection, and writes each connection once, after its last message, so a loop that fell behind
 * catches up with one write per connection instead of one per message. When no message waits behind
 * the one being sent, each connection is written as soon as it has it, straight from the message's
 * shared frame when nothing is queued for it (no queue entry, no copy), so the first connections'
 * bytes leave while the loop still sends to the rest.
 *
 * <p><b>Overload.</b> A group of {@link PreparedMessage}s applies its {@link Overload} policy to each
 * connection on its own: {@link Overload#LATEST} keeps a connection that is not writable (above its
 * high watermark) to the newest message, dropping older ones ({@link #dropped()} counts them);
 * {@link Overload#CLOSE_SLOW_PEER} sends everything and leaves a connection that cannot keep up to
 * its {@link WebSocketLimits#maxBufferedBytes()} limit, which closes it. A group created with
 * {@link #withReceivers()} hands each message to each member's own {@link Receiver}, which decides
 * (the stream hub keeps its per-stream delivery policies so).
 *
 * <p><b>Backlog.</b> When the broadcaster outruns a loop, what waits for that loop is bounded. A
 * conflating group (from {@code create(LATEST)} or {@code withReceivers(true)}) hands a loop that
 * falls behind only the newest waiting message and counts the others in {@link #conflated()}. A group
 * that keeps every message tells the broadcaster to slow down: {@link #broadcast} returns false once
 * a loop is more than {@value #MAX_MESSAGES_PER_RUN} messages behind. Past its backlog bound
 * ({@value #MAX_BACKLOG} unless given) a receivers group sheds the oldest waiting message and tells the members it missed through
 * {@link Receiver#missed} ({@link #shed()} counts them); a {@code CLOSE_SLOW_PEER} group sheds
 * nothing, so its waiting messages are bounded only by a broadcaster that honours the push-back.
 *
 * <p>Members that close are removed on the next broadcast that reaches them. Thread safe: every
 * method may be called from any thread.
 *
 * @param <M> the message type: {@link PreparedMessage}, or whatever the members' receivers take
 */
public final class WebSocketGroup<M> {
    private static final System.Logger LOG = System.getLogger("io.blockbuster.websocket");
    /** Messages one task sends before its loop gets back to its other work. */
    public static final int MAX_MESSAGES_PER_RUN = 16;
    /** Messages that may wait for one loop before the oldest is conflated or shed, unless the group says otherwise. */
    public static final int MAX_BACKLOG = 4 * MAX_MESSAGES_PER_RUN;

    /** What happens to a connection that cannot take messages as fast as they are broadcast. */
    public enum Overload {
        /**
         * While the connection is not writable, only the newest message waits for it (older ones
         * are dropped and counted); it is sent as soon as the connection is writable again. For
         * streams where only the latest value matters (prices, positions, gauges).
         */
        LATEST,
        /**
         * Every message is queued; a connection whose backlog passes
         * {@link WebSocketLimits#maxBufferedBytes()} is closed as too slow (its
         * {@link WebSocketLimits#slowPeerCloseCode()}). For streams where nothing may be skipped.
         */
        CLOSE_SLOW_PEER
    }

    /**
     * Takes one broadcast message for one member. Called on the member's event loop; sends made to
     * the member's connection during the call are written at once when the message is the only one
     * waiting, else together after the gather (do not block).
     *
     * @param <M> the message type
     */
    @FunctionalInterface
    public interface Receiver<M> {
        /** Handles {@code message} for this member. */
        void receive(M message);

        /**
         * {@code count} messages were shed before they reached this member: its loop fell more than
         * the group's backlog bound behind. Called on the member's loop, before the
         * next message. The default does nothing.
         */
        default void missed(long count) {
        }
    }

    private final Overload overload;
    /** Only the newest waiting message is worth sending to a loop that fell behind. */
    private final boolean conflate;
    /** Messages that may wait for one loop before the oldest is conflated or shed. */
    private final int maxBacklog;
    private final Object lock = new Object();
    /** Copy on write, under {@code lock}; read without it by {@link #broadcast}. */
    @SuppressWarnings("unchecked")
    private volatile LoopPart<M>[] parts = new LoopPart[0];
    private final LongAdder dropped = new LongAdder();
    private final LongAdder conflated = new LongAdder();
    private final LongAdder shed = new LongAdder();

    private WebSocketGroup(Overload overload, boolean conflate, int maxBacklog) {
        if (maxBacklog < 1) {
            throw new IllegalArgumentException("maxBacklog < 1");
        }
        this.overload = overload;
        this.conflate = conflate;
        this.maxBacklog = maxBacklog;
    }

    /** A group that broadcasts {@link PreparedMessage}s to its connections under {@code overload}. */
    public static WebSocketGroup<PreparedMessage> create(Overload overload) {
        if (overload == null) {
            throw new NullPointerException("overload");
        }
        return new WebSocketGroup<>(overload, overload == Overload.LATEST, MAX_BACKLOG);
    }

    /** A group whose members each take every message through their own {@link Receiver}. */
    public static <M> WebSocketGroup<M> withReceivers() {
        return withReceivers(false, MAX_BACKLOG);
    }

    /**
     * A group whose members each take messages through their own {@link Receiver}: with
     * {@code latestOnly}, a loop that fell behind is handed only the newest waiting message; without,
     * at most {@code maxBacklog} messages wait for a loop, and older ones are shed.
     */
    public static <M> WebSocketGroup<M> withReceivers(boolean latestOnly, int maxBacklog) {
        return new WebSocketGroup<>(null, latestOnly, maxBacklog);
    }

    /**
     * Adds a connection that is sent every message as it is (a group from {@link #create}).
     *
     * @return false if it was a member already
     * @throws IllegalStateException on a group {@link #withReceivers() with receivers}
     * @throws IllegalArgumentException for a {@link WebSocket} not made by this library
     */
    public boolean add(WebSocket webSocket) {
        if (overload == null) {
            throw new IllegalStateException("this group's members need a receiver");
        }
        return add(webSocket, null);
    }

    /**
     * Adds a connection whose messages go to {@code receiver} (on a group from {@link #create},
     * null means: send them as they are).
     *
     * @return false if it was a member already (its receiver is not changed)
     * @throws IllegalArgumentException for a {@link WebSocket} not made by this library
     */
    public boolean add(WebSocket webSocket, Receiver<? super M> receiver) {
        if (receiver == null && overload == null) {
            throw new NullPointerException("receiver");
        }
        Member<M> member = new Member<>(webSocket, receiver);
        synchronized (lock) {
            LoopPart<M> part = partOf(member.loop());
            if (part == null) {
                part = new LoopPart<>(this, member.loop());
                LoopPart<M>[] grown = Arrays.copyOf(parts, parts.length + 1);
                grown[parts.length] = part;
                parts = grown;
            }
            return part.add(member);
        }
    }

    /** Removes a connection; false if it was not a member. */
    public boolean remove(WebSocket webSocket) {
        synchronized (lock) {
            for (LoopPart<M> part : parts) {
                if (part.remove(webSocket)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The number of members. */
    public int size() {
        int n = 0;
        for (LoopPart<M> part : parts) {
            n += part.members.length;
        }
        return n;
    }

    /**
     * Sends {@code message} to every member, each on its own event loop; returns at once. Messages
     * broadcast by one thread reach each member in that order (some may be conflated or shed, see
     * the class comment).
     *
     * @return false when a loop is more than {@value #MAX_MESSAGES_PER_RUN} messages behind: the
     *     message is queued all the same, but the broadcaster should slow down
     */
    public boolean broadcast(M message) {
        if (message == null) {
            throw new NullPointerException("message");
        }
        boolean keepingUp = true;
        for (LoopPart<M> part : parts) {
            keepingUp &= part.add(message);
        }
        return keepingUp;
    }

    /** Messages dropped by the {@link Overload#LATEST} policy: older ones replaced while a connection was not writable. */
    public long dropped() {
        return dropped.sum();
    }

    /** Messages a conflating group did not hand to members of a loop that fell behind (one per member). */
    public long conflated() {
        return conflated.sum();
    }

    /** Messages shed from a receivers group's backlog past its bound (one per member). */
    public long shed() {
        return shed.sum();
    }

    private LoopPart<M> partOf(Executor loop) {
        for (LoopPart<M> part : parts) {
            if (part.loop == loop) {
                return part;
            }
        }
        return null;
    }

    /** One member (the connection's group access, inherited); its mutable fields belong to its loop thread. */
    private static final class Member<M> extends GroupMember {
        final Receiver<? super M> receiver;
        /** Loop thread: a send to this member is held until the gather releases it. */
        boolean held;
        /** Loop thread, {@link Overload#LATEST}: the newest message not sent yet, or null. */
        PreparedMessage waiting;

        Member(WebSocket webSocket, Receiver<? super M> receiver) {
            super(webSocket);
            this.receiver = receiver;
        }
    }

    private record Batch<M>(Member<M>[] members, M message) {
    }

    /** The members on one event loop, and the one gathering task the group runs there. */
    private static final class LoopPart<M> implements Runnable {
        private final WebSocketGroup<M> group;
        final Executor loop;
        @SuppressWarnings("unchecked")
        volatile Member<M>[] members = new Member[0];
        private final ConcurrentLinkedQueue<Batch<M>> pending = new ConcurrentLinkedQueue<>();
        /** Batches in {@code pending}. */
        private final AtomicInteger backlog = new AtomicInteger();
        /** Messages shed and not yet told to the members; guarded by this part's monitor. */
        private long shedUntold;
        private final AtomicBoolean scheduled = new AtomicBoolean();

        LoopPart(WebSocketGroup<M> group, Executor loop) {
            this.group = group;
            this.loop = loop;
        }

        /** Under the group's lock. */
        boolean add(Member<M> m) {
            Member<M>[] now = members;
            for (Member<M> existing : now) {
                if (existing.webSocket() == m.webSocket()) {
                    return false;
                }
            }
            Member<M>[] grown = Arrays.copyOf(now, now.length + 1);
            grown[now.length] = m;
            members = grown;
            return true;
        }

        /** Under the group's lock. */
        boolean remove(WebSocket webSocket) {
            Member<M>[] now = members;
            for (int i = 0; i < now.length; i++) {
                if (now[i].webSocket() == webSocket) {
                    @SuppressWarnings("unchecked")
                    Member<M>[] shrunk = new Member[now.length - 1];
                    System.arraycopy(now, 0, shrunk, 0, i);
                    System.arraycopy(now, i + 1, shrunk, i, shrunk.length - i);
                    members = shrunk;
                    return true;
                }
            }
            return false;
        }

        /**
         * Any thread: queues the message for the members there are now, and makes sure a task runs.
         * Returns false when this loop is more than a run's worth of messages behind.
         */
        boolean add(M message) {
            Member<M>[] snapshot = members;
            if (snapshot.length == 0) {
                return true;
            }
            pending.add(new Batch<>(snapshot, message));
            int waiting = backlog.incrementAndGet();
            if (waiting > group.maxBacklog && (group.conflate || group.overload == null)) {
                if (group.conflate) {
                    Batch<M> oldest = poll(); // may race the task's poll: either way one fewer waits
                    if (oldest != null) {
                        group.conflated.add(oldest.members().length);
                    }
                } else {
                    shedOldest();
                }
            }
            if (scheduled.compareAndSet(false, true)) {
                loop.execute(this);
            }
            return waiting <= MAX_MESSAGES_PER_RUN;
        }

        /**
         * Drops the oldest waiting message and counts it as untold. Under the monitor with
         * {@link #pollInOrder()}, so the task never delivers a message after a gap it was not told of.
         */
        private synchronized void shedOldest() {
            Batch<M> oldest = poll();
            if (oldest != null) {
                group.shed.add(oldest.members().length);
                shedUntold++;
            }
        }

        /** Not conflating: the oldest waiting batch, after telling the members what was shed before it. */
        private Batch<M> pollInOrder() {
            long missed;
            Batch<M> b;
            synchronized (this) {
                missed = shedUntold;
                shedUntold = 0;
                b = poll();
            }
            if (missed > 0) {
                tellMissed(members, missed);
            }
            return b;
        }

        private Batch<M> poll() {
            Batch<M> b = pending.poll();
            if (b != null) {
                backlog.decrementAndGet();
            }
            return b;
        }

        /** Conflating: the newest waiting batch; the older ones are counted and skipped. */
        private Batch<M> pollNewest() {
            Batch<M> b = poll();
            Batch<M> newer;
            while (b != null && (newer = poll()) != null) {
                group.conflated.add(b.members().length);
                b = newer;
            }
            return b;
        }

        /** Loop thread: sends what gathered, each member written once after its last message. */
        @Override
        public void run() {
            Member<M>[] previous = null;
            Batch<M> b;
            for (int i = 0; i < MAX_MESSAGES_PER_RUN && (b = group.conflate ? pollNewest() : pollInOrder()) != null; i++) {
                if (previous != null && b.members() != previous) {
                    releaseAll(previous); // membership changed between the gathered messages
                }
                previous = b.members();
                // The newest message: write each member at once. Others behind it: let them gather.
                boolean last = i == MAX_MESSAGES_PER_RUN - 1 || pending.isEmpty();
                for (Member<M> m : b.members()) {
                    if (last && !m.held) {
                        deliver(m, b.message()); // alone: its send writes it at once, no flush needed
                        continue;
                    }
                    if (!m.held) {
                        m.held = true;
                        m.hold();
                    }
                    deliver(m, b.message());
                    if (last) {
                        m.held = false;
                        m.release();
                    }
                }
            }
            if (previous != null) {
                releaseAll(previous);
            }
            scheduled.set(false);
            // A message added before the line above found the task still scheduled and left it to us.
            if (!pending.isEmpty() && scheduled.compareAndSet(false, true)) {
                loop.execute(this);
            }
        }

        private static <M> void tellMissed(Member<M>[] members, long count) {
            for (Member<M> m : members) {
                if (m.receiver != null) {
                    try {
                        m.receiver.missed(count);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "group receiver failed for " + m.webSocket(), e);
                    }
                }
            }
        }

        private static <M> void releaseAll(Member<M>[] members) {
            for (Member<M> m : members) {
                if (m.held) {
                    m.held = false;
                    m.release();
                }
            }
        }

        private void deliver(Member<M> m, M message) {
            if (m.receiver != null) {
                try {
                    m.receiver.receive(message);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "group receiver failed for " + m.webSocket(), e);
                }
                return;
            }
            WebSocket ws = m.webSocket();
            if (!ws.isOpen()) {
                group.remove(ws);
                return;
            }
            PreparedMessage prepared = (PreparedMessage) message;
            if (group.overload == Overload.CLOSE_SLOW_PEER || (m.waiting == null && ws.isWritable())) {
                m.send(prepared);
                return;
            }
            if (m.waiting == null) {
                m.whenWritable(() -> sendWaiting(m));
            } else {
                group.dropped.increment();
            }
            m.waiting = prepared;
        }

        private static <M> void sendWaiting(Member<M> m) {
            PreparedMessage w = m.waiting;
            m.waiting = null;
            if (w != null) {
                m.send(w);
            }
        }
    }
}
