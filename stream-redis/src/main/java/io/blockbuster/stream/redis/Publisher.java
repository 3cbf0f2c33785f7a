package io.blockbuster.stream.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends one stream's publishes to Redis: at most one script call in flight per stream, carrying
 * every value queued since the previous call (up to {@link #MAX_BATCH}). At a low rate that is one
 * value per call, as fast as a call can be; under load the per-call cost (a script run, a round trip)
 * is shared by a batch. One call at a time also keeps one node's values in the order they were
 * published, whatever happens to a call. The publishing thread only queues; it never waits for Redis.
 */
final class Publisher {
    private static final System.Logger LOG = System.getLogger(Publisher.class.getName());
    static final int MAX_BATCH = 256;
    private static final byte[] ONE = {'1'};
    private static final byte[] ZERO = {'0'};
    private static final byte[] NO_KEY = new byte[0];

    private record Pending(byte[] data, long millis, byte[] key, boolean skipEqual) {
    }

    private final RedisEngine engine;
    private final String[] keys;
    private final byte[] maxLen;
    private final byte[] dedupCapacity;
    private final int maxPending;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean inFlight = new AtomicBoolean();

    Publisher(RedisEngine engine, RedisKeys k, int historyCapacity, int dedupCapacity, int maxPending) {
        this.engine = engine;
        this.keys = new String[] {k.meta(), k.log(), k.keys()};
        this.maxLen = RedisEngine.ascii(historyCapacity);
        this.dedupCapacity = RedisEngine.ascii(dedupCapacity);
        this.maxPending = maxPending;
    }

    /** Queues one value; false (and nothing queued) if too many wait already. */
    boolean publish(byte[] utf8, long millis, String dedupKey, boolean skipEqual) {
        if (queued.incrementAndGet() > maxPending) {
            queued.decrementAndGet();
            return false;
        }
        queue.add(new Pending(utf8, millis, dedupKey == null ? NO_KEY : dedupKey.getBytes(StandardCharsets.UTF_8), skipEqual));
        sendIfIdle();
        return true;
    }

    private void sendIfIdle() {
        while (!queue.isEmpty() && inFlight.compareAndSet(false, true)) {
            if (send()) {
                return; // the call's completion sends what queued meanwhile
            }
            inFlight.set(false); // nothing was sent (queue drained by the previous call): look again
        }
    }

    /** Sends one batch; false if there was nothing to send. The caller holds the in-flight flag. */
    private boolean send() {
        List<byte[]> args = new ArrayList<>(3 + 4 * Math.min(MAX_BATCH, queued.get()));
        args.add(engine.candidateEpoch());
        args.add(maxLen);
        args.add(dedupCapacity);
        Pending p;
        int n = 0;
        while (n < MAX_BATCH && (p = queue.poll()) != null) {
            args.add(p.data);
            args.add(RedisEngine.ascii(p.millis));
            args.add(p.key);
            args.add(p.skipEqual ? ONE : ZERO);
            n++;
        }
        if (n == 0) {
            return false;
        }
        queued.addAndGet(-n);
        int count = n;
        StatefulRedisConnection<String, byte[]> c = engine.publishConnection();
        if (c == null) {
            failed(count, new IllegalStateException("not connected"));
            return false;
        }
        engine.scripts().run(c.async(), Scripts.PUBLISH, ScriptOutputType.MULTI, keys, args.toArray(new byte[0][]))
                .whenComplete((result, error) -> {
                    if (error != null) {
                        failed(count, error);
                    }
                    inFlight.set(false);
                    sendIfIdle();
                });
        return true;
    }

    private void failed(int count, Throwable error) {
        engine.publishFailed(count);
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, count + " publishes to Redis failed", error);
        }
    }
}
