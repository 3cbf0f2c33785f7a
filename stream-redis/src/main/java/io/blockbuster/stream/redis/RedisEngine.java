package io.blockbuster.stream.redis;

import io.blockbuster.stream.EngineStatus;
import io.blockbuster.stream.StreamEngine;
import io.blockbuster.stream.StreamOptions;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link StreamEngine} that shares streams between hub nodes through one Redis (standalone, or
 * found through Sentinel): every node that runs a hub with an engine of the same Redis and key prefix
 * serves the same streams, with the same seqs, history and epoch.
 *
 * <pre>{@code
 * StreamHub hub = StreamHub.builder()
 *         .engine(RedisEngine.builder("redis://redis.internal:6379/0").keyPrefix("theblock:").build())
 *         .build();
 * }</pre>
 *
 * <ul>
 *   <li>Publishing runs a script that assigns the seq and appends to the stream's history (a Redis
 *       stream capped near {@link StreamOptions#historyCapacity()}) in one step, asynchronously: the
 *       publishing thread does not wait for Redis. Values queued while a call is in flight go in the
 *       next call together.</li>
 *   <li>Each node reads every joined stream with one blocking {@code XREAD} on a connection of its
 *       own and hands each message to its hub once, which encodes it once and fans it out.</li>
 *   <li>Polled and incremental sources run on the node that holds the source's lease.</li>
 *   <li>While Redis is unreachable the engine reports itself unhealthy ({@link #status()}), refuses
 *       publishes, and reconnects with backoff; on return each node re-reads what it missed, or learns
 *       that the history was lost (a new epoch).</li>
 * </ul>
 *
 * <p>Key layout, failure modes and costs: {@code docs/cluster.md}. Thread safe.
 */
public final class RedisEngine implements StreamEngine {
    private static final System.Logger LOG = System.getLogger(RedisEngine.class.getName());
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final RedisClient client;
    private final String prefix;
    private final String nodeId = randomHex();
    private final ScriptRunner scripts = new ScriptRunner();
    private final Reader reader;
    private final Thread readerThread;
    private final ScheduledExecutorService leases;
    private final LongAdder publishFailures = new LongAdder();
    private final int maxPendingPublishes;
    private final Object lock = new Object();

    // Guarded by lock.
    private StatefulRedisConnection<String, byte[]> readConnection;
    private StatefulRedisConnection<String, byte[]> publishConnection;
    private volatile boolean closed;
    private volatile String problem = "connecting"; // null while healthy
    // The epoch a script creates if it finds a stream's history gone. New after every disconnect, so
    // a Redis that restarts never gets back an epoch this node offered before.
    private volatile byte[] candidateEpoch = randomEpoch();

    private RedisEngine(Builder b) {
        this.prefix = b.keyPrefix;
        this.maxPendingPublishes = b.maxPendingPublishes;
        this.client = RedisClient.create(b.uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // Fail fast while disconnected: the hub reports the engine unhealthy and refuses
                // publishes instead of queueing them without bound.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(b.commandTimeout))
                .build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> connection) {
                // Redis may come back empty (a restart without persistence): re-check every epoch.
                disconnected("connection to Redis lost");
            }
        });
        this.reader = new Reader(this, MIN_BACKOFF, MAX_BACKOFF);
        this.readerThread = new Thread(reader, "blockbuster-redis-reader");
        readerThread.setDaemon(true);
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "blockbuster-redis-lease");
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        this.leases = pool;
        readerThread.start();
    }

    /**
     * A builder for an engine on {@code uri}: {@code redis://[:password@]host[:port][/db]},
     * {@code rediss://...} for TLS, or {@code redis-sentinel://[:password@]host[:port][,host2[:port2]][/db]#masterName}.
     *
     * @throws IllegalArgumentException if the URI is malformed
     */
    public static Builder builder(String uri) {
        return new Builder(RedisURI.create(uri));
    }

    @Override
    public Stream join(String name, StreamOptions options, Receiver receiver) {
        RedisKeys keys = RedisKeys.of(prefix, name);
        Reader.Joined joined = reader.join(keys, options, receiver);
        return new SharedStream(keys, options, joined);
    }

    @Override
    public SourceLease lease(String name, Duration pollInterval) {
        // Held for 1.5 poll intervals from each renewal (renewed three times per period): a dead
        // holder's lease lapses within 1.5 intervals and the next node polls about half an interval later.
        long ttlMillis = Math.max(300, pollInterval.toMillis() * 3 / 2);
        return new RedisLease(this, RedisKeys.of(prefix, name).lease(), nodeId, ttlMillis, leases);
    }

    @Override
    public EngineStatus status() {
        String p = problem;
        if (p == null && publishFailures.sum() > 0) {
            return new EngineStatus("redis", true, publishFailures.sum() + " publishes failed since start");
        }
        return new EngineStatus("redis", p == null, p);
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            lock.notifyAll();
        }
        leases.shutdownNow();
        readerThread.interrupt();
        client.shutdownAsync(0, 2000, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    // ---- shared with Reader and RedisLease ----

    boolean isClosed() {
        return closed;
    }

    ScriptRunner scripts() {
        return scripts;
    }

    /** The reader's own connection (its blocking XREAD would stall anything sharing it), connecting if need be. */
    StatefulRedisConnection<String, byte[]> readConnection() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("engine closed");
            }
            if (readConnection == null) {
                readConnection = client.connect(CODEC);
            }
            if (publishConnection == null) {
                publishConnection = client.connect(CODEC);
            }
            return readConnection;
        }
    }

    /** The connection for publishes and leases, or null before the first successful connect. */
    StatefulRedisConnection<String, byte[]> publishConnection() {
        synchronized (lock) {
            return publishConnection;
        }
    }

    /**
     * Marks the engine healthy, first loading the scripts into Redis when it was not (a Redis that
     * restarted knows none), so that publishes run them by SHA at once instead of each stream's first
     * call failing over to {@code EVAL}. Publishes are refused until this is done.
     */
    void healthy() {
        if (problem != null) {
            StatefulRedisConnection<String, byte[]> c = publishConnection();
            for (String script : Scripts.ALL) {
                c.sync().scriptLoad(script);
            }
            problem = null;
        }
    }

    void unhealthy(String why) {
        if (problem == null && !closed) {
            LOG.log(System.Logger.Level.WARNING, "Redis engine unhealthy: " + why);
        }
        problem = why;
        candidateEpoch = randomEpoch(); // before any script runs on the Redis we reconnect to
    }

    private void disconnected(String why) {
        unhealthy(why);
        reader.resyncAll();
    }

    /** Waits up to {@code delay} or until the engine closes; never sleeps past a close. */
    void pause(Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        synchronized (lock) {
            long left;
            while (!closed && (left = deadline - System.nanoTime()) > 0) {
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The epoch for a script that may find the stream's history gone (a fresh one per connection). */
    byte[] candidateEpoch() {
        return candidateEpoch;
    }

    private static byte[] randomEpoch() {
        return randomHex().getBytes(StandardCharsets.US_ASCII);
    }

    private static String randomHex() {
        return String.format("%016x", ThreadLocalRandom.current().nextLong());
    }

    /** One joined stream: publishes go to Redis through its publisher; delivery comes back through the reader. */
    private final class SharedStream implements Stream {
        private final Publisher publisher;
        private final Reader.Joined joined;

        SharedStream(RedisKeys k, StreamOptions options, Reader.Joined joined) {
            this.publisher = new Publisher(RedisEngine.this, k, options.historyCapacity(), options.dedupCapacity(),
                    maxPendingPublishes);
            this.joined = joined;
        }

        @Override
        public boolean publish(byte[] utf8, long millis, String dedupKey, boolean skipEqual) {
            StatefulRedisConnection<String, byte[]> c = publishConnection();
            if (c == null || !c.isOpen() || problem != null) {
                return false; // never pretend: the value reaches no node
            }
            return publisher.publish(utf8, millis, dedupKey, skipEqual);
        }

        @Override
        public void leave() {
            reader.leave(joined);
        }
    }

    void publishFailed(int count) {
        publishFailures.add(count);
    }

    static byte[] ascii(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Options of an engine. Not thread safe; build once.
     */
    public static final class Builder {
        private final RedisURI uri;
        private String keyPrefix = "blockbuster:";
        private Duration commandTimeout = Duration.ofSeconds(5);
        private int maxPendingPublishes = 65_536;

        private Builder(RedisURI uri) {
            this.uri = Objects.requireNonNull(uri);
        }

        /**
         * Prefix of every key (default {@code "blockbuster:"}): applications sharing one Redis use
         * different prefixes; the nodes of one application use the same.
         */
        public Builder keyPrefix(String prefix) {
            this.keyPrefix = Objects.requireNonNull(prefix);
            return this;
        }

        /** How long a Redis command may take before it counts as failed (default 5 s). */
        public Builder commandTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.commandTimeout = timeout;
            return this;
        }

        /**
         * Publishes of one stream queued on this node and not yet sent to Redis (default 65,536);
         * beyond it a publish is refused rather than queued without bound.
         */
        public Builder maxPendingPublishes(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("max must be positive: " + max);
            }
            this.maxPendingPublishes = max;
            return this;
        }

        /** The engine; it connects in the background (an unreachable Redis is retried with backoff). */
        public RedisEngine build() {
            return new RedisEngine(this);
        }
    }
}
