package io.blockbuster.stream.redis;

/**
 * The Lua scripts that make each shared step atomic in Redis. A stream whose {@code meta} hash is
 * missing has lost its history (or never had one): the first script to notice creates a new epoch
 * (the caller's random candidate) and drops whatever is left of the old log and keys, so a seq never
 * means two things under one epoch.
 */
final class Scripts {
    private static final String ENSURE_EPOCH = """
            local epoch = redis.call('HGET', KEYS[1], 'epoch')
            if not epoch then
              epoch = ARGV[1]
              redis.call('DEL', KEYS[2], KEYS[3])
              redis.call('HSET', KEYS[1], 'epoch', epoch, 'seq', 0)
            end
            """;

    /**
     * KEYS: meta, log, keys. ARGV: candidate epoch, maxlen, dedup capacity, then per value four:
     * data, millis, dedup key ('' for none), skip-equal ('1' or '0'). Returns {epoch, last seq}. A
     * value equal to the newest (skip-equal) or with a key among the recent ones is dropped. Assigning
     * the seq and appending happen in one step, so two nodes publishing at once never share or skip
     * a seq.
     */
    static final String PUBLISH = ENSURE_EPOCH + """
            local seq = 0
            for i = 4, #ARGV, 4 do
              local data, millis, key = ARGV[i], ARGV[i + 1], ARGV[i + 2]
              local drop = false
              if ARGV[i + 3] == '1' then
                local newest = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)[1]
                drop = newest ~= nil and newest[2][2] == data
              end
              if not drop and key ~= '' and redis.call('ZSCORE', KEYS[3], key) then drop = true end
              if not drop then
                seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
                redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '0-' .. seq, 'd', data, 't', millis, 'e', epoch)
                if key ~= '' then
                  redis.call('ZADD', KEYS[3], seq, key)
                  redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -(tonumber(ARGV[3]) + 1))
                end
              end
            end
            return {epoch, seq}
            """;

    /** KEYS: meta, log, keys. ARGV: candidate epoch. Returns the stream's epoch. */
    static final String EPOCH = ENSURE_EPOCH + "return epoch\n";

    /** KEYS: lease. ARGV: node id, ttl millis. Takes or renews the lease; 1 if this node holds it. */
    static final String HOLD_LEASE = """
            local holder = redis.call('GET', KEYS[1])
            if holder == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            if not holder and redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
            return 0
            """;

    /** KEYS: lease. ARGV: node id. Deletes the lease if this node holds it. */
    static final String RELEASE_LEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    static final java.util.List<String> ALL = java.util.List.of(PUBLISH, EPOCH, HOLD_LEASE, RELEASE_LEASE);

    private Scripts() {
    }
}
