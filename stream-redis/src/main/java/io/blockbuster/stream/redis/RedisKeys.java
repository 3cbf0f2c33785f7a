package io.blockbuster.stream.redis;

/**
 * The Redis keys of one stream. All four carry the stream name as a hash tag ({@code {name}}), so a
 * script that touches several of them stays within one slot.
 *
 * <pre>
 * {prefix}{name}:meta    hash    epoch, seq (the last assigned seq)
 * {prefix}{name}:log     stream  the history: entry id 0-seq, fields d (JSON), t (millis), e (epoch)
 * {prefix}{name}:keys    zset    recent dedup keys of an incremental source, scored by seq
 * {prefix}{name}:lease   string  id of the node that runs the source, with an expiry
 * </pre>
 *
 * @param meta the hash of epoch and seq
 * @param log the history stream
 * @param keys the recent dedup keys
 * @param lease the source lease
 */
record RedisKeys(String meta, String log, String keys, String lease) {

    static RedisKeys of(String prefix, String stream) {
        String base = prefix + "{" + stream + "}:";
        return new RedisKeys(base + "meta", base + "log", base + "keys", base + "lease");
    }
}
