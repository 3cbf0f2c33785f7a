package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.AddressLimits;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Counts connections and recent handshakes per remote address for {@link AddressLimits}. An
 * address has an entry only while it holds a connection or its handshake bucket is refilling, so
 * the table stays bounded by open connections plus the addresses of the last second's accepts.
 *
 * <p>Threading: admitted on the accepting loop, released on each connection's loop; one monitor,
 * held for a map operation only.
 */
final class AddressTable {
    private static final long SECOND = 1_000_000_000L;

    private final int maxConnections;
    private final int rate;
    private final Map<InetAddress, Entry> entries = new HashMap<>();

    private static final class Entry {
        int open;
        double tokens;
        long refilled;
    }

    AddressTable(AddressLimits limits) {
        this.maxConnections = limits.maxConnections();
        this.rate = limits.maxHandshakesPerSecond();
    }

    /** Counts a new connection from {@code address}; false (nothing counted) when a limit refuses it. */
    synchronized boolean admit(InetAddress address, long now) {
        if (address == null) {
            return false; // the socket is already gone
        }
        Entry e = entries.get(address);
        if (e == null) {
            if (entries.size() >= 1024) {
                sweep(now);
            }
            e = new Entry();
            e.tokens = rate;
            e.refilled = now;
            entries.put(address, e);
        }
        refill(e, now);
        if (maxConnections > 0 && e.open >= maxConnections) {
            return false;
        }
        if (rate > 0) {
            if (e.tokens < 1) {
                return false;
            }
            e.tokens--;
        }
        e.open++;
        return true;
    }

    /** A connection {@link #admit admitted} from {@code address} has gone. */
    synchronized void release(InetAddress address, long now) {
        Entry e = entries.get(address);
        if (e == null) {
            return;
        }
        e.open--;
        refill(e, now);
        if (e.open <= 0 && e.tokens >= rate) {
            entries.remove(address);
        }
    }

    synchronized int size() {
        return entries.size();
    }

    private void refill(Entry e, long now) {
        if (rate > 0 && now - e.refilled > 0) {
            e.tokens = Math.min(rate, e.tokens + (now - e.refilled) * (double) rate / SECOND);
        }
        e.refilled = now;
    }

    /** Drops entries that hold no connection and have refilled: they would start the same anew. */
    private void sweep(long now) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            refill(e, now);
            if (e.open <= 0 && e.tokens >= rate) {
                it.remove();
            }
        }
    }
}
