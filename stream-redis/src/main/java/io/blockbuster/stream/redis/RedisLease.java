package io.blockbuster.stream.redis;

import io.blockbuster.stream.StreamEngine;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One node's claim to run one source: a Redis key {@code SET NX PX} with the node's id, renewed three
 * times per time-to-live while the node wants it. The node believes it holds the lease only until
 * the time-to-live has passed since the last renewal it sent, so a node cut off from Redis stops
 * polling by the time another can take over. Two nodes may still briefly both poll (a long pause);
 * the publish script drops their repeats, so a double leader costs a poll, never a duplicate.
 */
final class RedisLease implements StreamEngine.SourceLease {
    private static final System.Logger LOG = System.getLogger(RedisLease.class.getName());

    private final RedisEngine engine;
    private final String[] key;
    private final byte[] nodeId;
    private final byte[] ttl;
    private final long ttlNanos;
    private final ScheduledFuture<?> renewal;
    private volatile long heldUntil;   // nanoTime; 0 when not held
    private volatile long wantedUntil; // nanoTime
    private volatile boolean held;
    private volatile boolean released;

    RedisLease(RedisEngine engine, String key, String nodeId, long ttlMillis, ScheduledExecutorService executor) {
        this.engine = engine;
        this.key = new String[] {key};
        this.nodeId = nodeId.getBytes(StandardCharsets.US_ASCII);
        this.ttl = RedisEngine.ascii(ttlMillis);
        this.ttlNanos = TimeUnit.MILLISECONDS.toNanos(ttlMillis);
        this.renewal = executor.scheduleWithFixedDelay(this::renew, 0, Math.max(1, ttlMillis / 3), TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean tryHold() {
        long now = System.nanoTime();
        wantedUntil = now + 2 * ttlNanos;
        return held && now - heldUntil < 0;
    }

    @Override
    public void release() {
        released = true;
        renewal.cancel(false);
        if (held) {
            held = false;
            StatefulRedisConnection<String, byte[]> c = engine.publishConnection();
            if (c != null && c.isOpen()) {
                engine.scripts().run(c.async(), Scripts.RELEASE_LEASE, ScriptOutputType.INTEGER, key, nodeId);
            }
        }
    }

    private void renew() {
        if (released) {
            return;
        }
        StatefulRedisConnection<String, byte[]> c = engine.publishConnection();
        if (c == null || !c.isOpen()) {
            return; // lapses by itself after ttl
        }
        long sentAt = System.nanoTime();
        try {
            if (sentAt - wantedUntil > 0) {
                if (held) {
                    held = false; // nobody here wants it: let another node have it now rather than at expiry
                    engine.scripts().run(c.async(), Scripts.RELEASE_LEASE, ScriptOutputType.INTEGER, key, nodeId)
                            .toCompletableFuture().get(ttlNanos, TimeUnit.NANOSECONDS);
                }
                return;
            }
            Long got = engine.scripts().<Long>run(c.async(), Scripts.HOLD_LEASE, ScriptOutputType.INTEGER, key, nodeId, ttl)
                    .toCompletableFuture().get(ttlNanos, TimeUnit.NANOSECONDS);
            heldUntil = sentAt + ttlNanos;
            held = got != null && got == 1L;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                LOG.log(System.Logger.Level.DEBUG, "lease renewal failed: " + key[0], e);
            }
        }
    }
}
