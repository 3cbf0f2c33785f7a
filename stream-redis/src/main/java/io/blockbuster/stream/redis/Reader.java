package io.blockbuster.stream.redis;

import io.blockbuster.stream.StreamEngine;
import io.blockbuster.stream.StreamOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The node's one reader of every joined stream: a blocking {@code XREAD} over all of them on a
 * connection of its own, each entry decoded once and handed to the stream's receiver, in seq order,
 * on this one thread (so a receiver's calls never overlap).
 *
 * <p>Before a stream is read, and again after any Redis failure or disconnect, it is synced: its
 * epoch is checked (and created if Redis lost it); when the epoch is new to this node, the receiver is
 * reset and given the retained history, and reading continues after it. With the epoch unchanged,
 * reading simply continues after the last entry read; entries trimmed meanwhile show as a seq gap.
 * Why a blocking read rather than pub/sub: the stream is the history too, so one read path gives live
 * delivery, catch-up after a disconnect, and no message that pub/sub would drop while disconnected.
 */
final class Reader implements Runnable {
    private static final System.Logger LOG = System.getLogger(Reader.class.getName());
    private static final long BLOCK_MILLIS = 500;
    private static final long READ_COUNT = 1024;

    /** One stream this node reads. */
    static final class Joined {
        final RedisKeys keys;
        final StreamOptions options;
        final StreamEngine.Receiver receiver;
        // Reader thread only, apart from the flag.
        String epoch;
        byte[] epochBytes; // as the log entries carry it
        String lastId = "0-0";
        volatile boolean needsSync = true;

        Joined(RedisKeys keys, StreamOptions options, StreamEngine.Receiver receiver) {
            this.keys = keys;
            this.options = options;
            this.receiver = receiver;
        }
    }

    private final RedisEngine engine;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Map<String, Joined> byLog = new ConcurrentHashMap<>();

    Reader(RedisEngine engine, Duration minBackoff, Duration maxBackoff) {
        this.engine = engine;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
    }

    Joined join(RedisKeys keys, StreamOptions options, StreamEngine.Receiver receiver) {
        Joined j = new Joined(keys, options, receiver);
        if (byLog.putIfAbsent(keys.log(), j) != null) {
            throw new IllegalStateException("stream joined twice: " + keys.log());
        }
        return j;
    }

    void leave(Joined j) {
        byLog.remove(j.keys.log(), j);
    }

    void resyncAll() {
        for (Joined j : byLog.values()) {
            j.needsSync = true;
        }
    }

    @Override
    public void run() {
        Duration backoff = minBackoff;
        while (!engine.isClosed()) {
            try {
                StatefulRedisConnection<String, byte[]> c = engine.readConnection();
                RedisCommands<String, byte[]> redis = c.sync();
                for (Joined j : byLog.values()) {
                    if (j.needsSync) {
                        sync(c, j);
                    }
                }
                engine.healthy();
                backoff = minBackoff;
                readOnce(redis);
            } catch (RuntimeException e) {
                if (engine.isClosed()) {
                    return;
                }
                engine.unhealthy(describe(e));
                resyncAll();
                engine.pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    /** Learns the stream's epoch; on a new one, resets the receiver and replays the retained history. */
    private void sync(StatefulRedisConnection<String, byte[]> c, Joined j) {
        j.needsSync = false; // first: a disconnect during the sync sets it again
        String[] keys = {j.keys.meta(), j.keys.log(), j.keys.keys()};
        byte[] epochBytes = await(engine.scripts().<byte[]>run(c.async(), Scripts.EPOCH, ScriptOutputType.VALUE, keys,
                engine.candidateEpoch()).toCompletableFuture());
        String epoch = new String(epochBytes, StandardCharsets.US_ASCII);
        if (epoch.equals(j.epoch)) {
            return; // same history: XREAD continues after lastId
        }
        j.epoch = epoch;
        j.epochBytes = epochBytes;
        j.lastId = "0-0";
        j.receiver.reset(epoch);
        List<StreamMessage<String, byte[]>> newestFirst = c.sync().xrevrange(j.keys.log(), Range.unbounded(),
                Limit.from(j.options.historyCapacity()));
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            deliver(j, newestFirst.get(i));
        }
    }

    private void readOnce(RedisCommands<String, byte[]> redis) {
        List<XReadArgs.StreamOffset<String>> offsets = new ArrayList<>(byLog.size());
        for (Joined j : byLog.values()) {
            if (!j.needsSync) {
                offsets.add(XReadArgs.StreamOffset.from(j.keys.log(), j.lastId));
            }
        }
        if (offsets.isEmpty()) {
            engine.pause(Duration.ofMillis(BLOCK_MILLIS / 10)); // nothing joined yet
            return;
        }
        @SuppressWarnings({"unchecked", "rawtypes"}) // Lettuce takes varargs of a generic type
        XReadArgs.StreamOffset<String>[] array = offsets.toArray(new XReadArgs.StreamOffset[0]);
        List<StreamMessage<String, byte[]>> read = redis.xread(XReadArgs.Builder.block(BLOCK_MILLIS).count(READ_COUNT), array);
        for (StreamMessage<String, byte[]> m : read) {
            Joined j = byLog.get(m.getStream());
            if (j != null && !j.needsSync) {
                deliver(j, m);
            }
        }
    }

    private void deliver(Joined j, StreamMessage<String, byte[]> m) {
        Map<String, byte[]> body = m.getBody();
        if (!Arrays.equals(body.get("e"), j.epochBytes)) {
            j.needsSync = true; // the history was replaced under us: sync learns the new epoch
            return;
        }
        String id = m.getId();
        long seq = Long.parseLong(id, id.indexOf('-') + 1, id.length(), 10);
        long millis = parseLong(body.get("t"));
        j.lastId = id;
        try {
            j.receiver.receive(seq, millis, body.get("d"));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "receiver of " + j.keys.log() + " threw", e);
        }
    }

    /** ASCII digits to a long, without a String on the way (one per entry read). */
    private static long parseLong(byte[] digits) {
        long n = 0;
        for (byte b : digits) {
            n = n * 10 + (b - '0');
        }
        return n;
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Redis did not answer in 30 s");
        }
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
