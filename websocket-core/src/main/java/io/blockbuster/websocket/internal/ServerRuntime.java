package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.protocol.FrameEncoder;
import io.blockbuster.websocket.protocol.ProtocolLimits;
import io.blockbuster.websocket.protocol.Role;

import javax.net.ssl.SSLEngine;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The running part of a server: the listening socket (served by the first event loop), the event
 * loops, and the set of live connections used for the connection limit and graceful shutdown.
 */
public final class ServerRuntime {
    private static final System.Logger LOG = System.getLogger("io.blockbuster.websocket");
    private static final int ACCEPTS_PER_WAKEUP = 256;
    private static final long ACCEPT_PAUSE_MILLIS = 100;
    private static final byte[] BUSY = ("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] TOO_MANY = ("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);

    private final ServerSettings settings;
    /** The assembler's limits, one instance for every connection (not 32 bytes more in each idle one). */
    private final ProtocolLimits protocolLimits;
    private final FrameEncoder encoder = new FrameEncoder(Role.SERVER, () -> 0);
    private final Set<LoopConnection> connections = ConcurrentHashMap.newKeySet();
    /** Per-address counts; null when {@link io.blockbuster.websocket.AddressLimits} are off. */
    private final AddressTable addresses;
    /** TLS handshake work off the loops; null without TLS. */
    private final TlsTasks tlsTasks;
    private final AtomicInteger count = new AtomicInteger();
    /** Counters for {@code WebSocketServer.stats()}: bumped once per connection, never per message. */
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong slowPeersClosed = new AtomicLong();
    /** Upgrades answered with an HTTP error instead of 101, indexed by status (100-599). */
    private final AtomicLongArray rejected = new AtomicLongArray(600);
    /** Held by start and shutdown; never taken by loop threads. */
    private final Object lifecycle = new Object();
    /** Notified by loop threads when the last connection goes during shutdown. */
    private final Object drained = new Object();
    private volatile EventLoop[] loops;
    private ServerSocketChannel listener;
    private volatile InetSocketAddress address;
    private volatile boolean stopping;
    private boolean started;
    private boolean stopped;
    private int nextLoop;

    private final boolean daemon;
    /** Opened when shutdown has finished (or shutdown came before start). */
    private final CountDownLatch terminated = new CountDownLatch(1);

    public ServerRuntime(ServerSettings settings, boolean daemon) {
        this.settings = settings;
        this.protocolLimits = new ProtocolLimits(settings.limits().maxFramePayloadBytes(), settings.limits().maxMessageBytes());
        this.tlsTasks = settings.tls() == null ? null : new TlsTasks("blockbuster-tls");
        this.addresses = settings.addressLimits().isOff() ? null : new AddressTable(settings.addressLimits());
        this.daemon = daemon;
    }

    /** Waits until {@link #shutdown} has finished; false if {@code timeout} passed first. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    public ServerSettings settings() {
        return settings;
    }

    public InetSocketAddress address() {
        InetSocketAddress a = address;
        if (a == null) {
            throw new IllegalStateException("server not started");
        }
        return a;
    }

    public int connectionCount() {
        return count.get();
    }

    /** Connections that finished the opening handshake since start. */
    public long connectionsOpened() {
        return opened.get();
    }

    /** Connections closed because the peer read too slowly, since start. */
    public long slowPeersClosed() {
        return slowPeersClosed.get();
    }

    /** Upgrades refused with an HTTP status since start, by status, in status order; only statuses seen. */
    public Map<Integer, Long> handshakesRejected() {
        Map<Integer, Long> byStatus = new TreeMap<>();
        for (int status = 100; status < rejected.length(); status++) {
            long n = rejected.get(status);
            if (n != 0) {
                byStatus.put(status, n);
            }
        }
        return byStatus;
    }

    /** An upgrade was refused with {@code status}; 0 (nothing refused) is not counted. */
    void countRejected(int status) {
        if (status >= 100 && status < rejected.length()) {
            rejected.incrementAndGet(status);
        }
    }

    void countOpened() {
        opened.incrementAndGet();
    }

    void countSlowPeer() {
        slowPeersClosed.incrementAndGet();
    }

    public void start() throws IOException {
        synchronized (lifecycle) {
            if (started || stopped) {
                throw new IllegalStateException(stopped ? "already shut down" : "already started");
            }
            started = true;
            ServerSocketChannel ssc = ServerSocketChannel.open();
            try {
                ssc.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                ssc.bind(new InetSocketAddress(settings.bindAddress(), settings.port()), 1024);
                ssc.configureBlocking(false);
            } catch (IOException e) {
                ssc.close();
                throw e;
            }
            listener = ssc;
            address = (InetSocketAddress) ssc.getLocalAddress();
            loops = new EventLoop[settings.eventLoops()];
            for (int i = 0; i < loops.length; i++) {
                loops[i] = new EventLoop("blockbuster-server-" + address.getPort() + "-" + i, daemon);
                loops[i].start();
            }
            CompletableFuture<Void> registered = new CompletableFuture<>();
            loops[0].execute(() -> {
                try {
                    ssc.register(loops[0].selector(), SelectionKey.OP_ACCEPT, new Acceptor());
                    registered.complete(null);
                } catch (IOException e) {
                    registered.completeExceptionally(e);
                }
            });
            try {
                registered.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                shutdown(Duration.ZERO);
                throw new IOException("could not start accepting", e);
            }
            LOG.log(Level.DEBUG, "WebSocket server listening on {0} with {1} event loops", address, loops.length);
        }
    }

    /** Accepts on the first loop and deals connections round-robin to every loop. */
    private final class Acceptor extends Timed implements IoHandler {
        private SelectionKey key;

        @Override
        public void onReady(SelectionKey key) {
            this.key = key;
            for (int i = 0; i < ACCEPTS_PER_WAKEUP && !stopping; i++) {
                SocketChannel ch;
                try {
                    ch = listener.accept();
                } catch (IOException e) {
                    // e.g. out of file descriptors: the socket stays readable, so pause accepting
                    // for a moment instead of spinning (and logging) on every wakeup
                    LOG.log(Level.WARNING, "accept failed, pausing accepts for " + ACCEPT_PAUSE_MILLIS + " ms: " + e);
                    key.interestOps(0);
                    loops[0].timers().schedule(this, System.nanoTime() + ACCEPT_PAUSE_MILLIS * 1_000_000L);
                    return;
                }
                if (ch == null) {
                    return;
                }
                if (count.incrementAndGet() > settings.limits().maxConnections()) {
                    count.decrementAndGet();
                    countRejected(503);
                    refuse(ch, BUSY);
                    continue;
                }
                if (addresses != null && !addresses.admit(remoteAddress(ch), System.nanoTime())) {
                    count.decrementAndGet();
                    countRejected(429);
                    refuse(ch, TOO_MANY);
                    continue;
                }
                EventLoop loop = loops[nextLoop];
                nextLoop = (nextLoop + 1) % loops.length;
                loop.execute(() -> register(loop, ch));
            }
        }

        @Override
        void onTimer(long nowNanos) {
            if (key != null && key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        }

        @Override
        public void onLoopStopped() {
        }
    }

    /** The peer's IP address; null if the socket is already gone (then it is refused and closed). */
    private static InetAddress remoteAddress(SocketChannel ch) {
        try {
            return ((InetSocketAddress) ch.getRemoteAddress()).getAddress();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void refuse(SocketChannel ch, byte[] response) {
        try {
            ch.configureBlocking(false);
            ch.write(ByteBuffer.wrap(response));
        } catch (IOException ignored) {
            // refused anyway
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void register(EventLoop loop, SocketChannel ch) {
        LoopConnection c = null;
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            InetSocketAddress remote = (InetSocketAddress) ch.getRemoteAddress();
            Transport transport;
            if (settings.tls() != null) {
                SSLEngine engine = settings.tls().createSSLEngine();
                engine.setUseClientMode(false);
                transport = new TlsTransport(ch, engine, loop.pool(), tlsTasks, loop);
            } else {
                transport = new PlainTransport(ch, loop.writeStage());
            }
            c = new LoopConnection(loop, ch, transport, Role.SERVER, settings.limits(), protocolLimits, encoder, this, null, remote);
            connections.add(c);
            if (stopping) {
                c.goAway();
                return;
            }
            c.startServer();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "could not set up accepted connection: " + e);
            if (c != null) {
                c.abort();
            } else {
                count.decrementAndGet();
                if (addresses != null) {
                    addresses.release(remoteAddress(ch), System.nanoTime());
                }
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    /** Called by a connection when it is closed (its loop thread). */
    void removed(LoopConnection c) {
        if (connections.remove(c)) {
            if (addresses != null) {
                addresses.release(c.remoteAddress().getAddress(), System.nanoTime());
            }
            if (count.decrementAndGet() == 0 && stopping) {
                synchronized (drained) {
                    drained.notifyAll();
                }
            }
        }
    }

    public void shutdown(Duration grace) {
        if (loops != null) {
            for (EventLoop loop : loops) {
                if (loop.inLoop()) {
                    throw new IllegalStateException("shutdown waits for the event loops; call it from another thread");
                }
            }
        }
        synchronized (lifecycle) {
            if (!started || stopped) {
                stopped = true;
                terminated.countDown();
                return;
            }
            stopped = true;
            stopping = true;
            LOG.log(Level.DEBUG, "WebSocket server on {0} shutting down", address);
            CompletableFuture<Void> closedListener = new CompletableFuture<>();
            loops[0].execute(() -> {
                try {
                    listener.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                closedListener.complete(null);
            });
            await(closedListener);
            for (LoopConnection c : connections) {
                c.loopOf().execute(c::goAway);
            }
            long deadline = System.nanoTime() + grace.toNanos();
            synchronized (drained) {
                try {
                    while (count.get() > 0) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            break;
                        }
                        drained.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            for (LoopConnection c : connections) {
                c.abort();
            }
            for (EventLoop loop : loops) {
                loop.stop();
            }
            for (EventLoop loop : loops) {
                try {
                    if (!loop.join(30_000)) {
                        LOG.log(Level.WARNING, "event loop did not stop within 30 s");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            try {
                listener.close();
            } catch (IOException ignored) {
                // already closed
            }
            if (tlsTasks != null) {
                tlsTasks.shutdown();
            }
            LOG.log(Level.DEBUG, "WebSocket server on {0} stopped", address);
            terminated.countDown();
        }
    }

    private static void await(CompletableFuture<Void> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "event loop did not answer: " + e);
        }
    }
}
