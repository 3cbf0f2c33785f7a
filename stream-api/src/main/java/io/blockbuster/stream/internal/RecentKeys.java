package io.blockbuster.stream.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last {@code capacity} distinct keys seen, oldest evicted first: the dedup memory of an
 * incremental source. Not thread safe; one source polls at a time.
 */
public final class RecentKeys {
    private final LinkedHashMap<Object, Boolean> keys;

    /** Remembers up to {@code capacity} keys. */
    public RecentKeys(int capacity) {
        this.keys = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Records {@code key}; true if it was not among the remembered keys (i.e. the item is new). */
    public boolean add(Object key) {
        return keys.putIfAbsent(key, Boolean.TRUE) == null;
    }
}
