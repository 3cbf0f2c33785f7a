package io.blockbuster.stream.internal;

import io.blockbuster.stream.StreamSession;
import java.util.Arrays;
import java.util.concurrent.Executor;

/**
 * A channel's subscribers, grouped by the executor their sessions deliver on ({@link
 * StreamSession#executor()}), so that a publish costs the publishing thread one task per executor
 * rather than one send per subscriber. Immutable: a change returns a new instance (copy on write),
 * so a publish reads one consistent snapshot without holding a lock while it delivers.
 */
final class DeliveryGroups {
    static final DeliveryGroups EMPTY = new DeliveryGroups(new Group[0], 0);

    /** Subscribers sharing one executor; {@code delivery} null means the publishing thread delivers. */
    record Group(ExecutorDelivery delivery, Subscription[] members) {
        Executor executor() {
            return delivery == null ? null : delivery.executor();
        }
    }

    private final Group[] groups;
    private final int size;

    private DeliveryGroups(Group[] groups, int size) {
        this.groups = groups;
        this.size = size;
    }

    /** Every subscriber, in all groups. */
    int size() {
        return size;
    }

    Group[] groups() {
        return groups;
    }

    DeliveryGroups plus(Subscription s) {
        Executor executor = s.session.transport.executor();
        int g = indexOf(executor);
        Group[] next;
        if (g < 0) {
            next = Arrays.copyOf(groups, groups.length + 1);
            ExecutorDelivery delivery = executor == null ? null : new ExecutorDelivery(executor, s.channel.name);
            next[groups.length] = new Group(delivery, new Subscription[] {s});
        } else {
            Subscription[] members = groups[g].members();
            Subscription[] grown = Arrays.copyOf(members, members.length + 1);
            grown[members.length] = s;
            next = groups.clone();
            next[g] = new Group(groups[g].delivery(), grown);
        }
        return new DeliveryGroups(next, size + 1);
    }

    /** Without {@code s}; this same instance if {@code s} is not here. */
    DeliveryGroups minus(Subscription s) {
        int g = indexOf(s.session.transport.executor());
        if (g < 0) {
            return this;
        }
        Subscription[] members = groups[g].members();
        for (int i = 0; i < members.length; i++) {
            if (members[i] == s) {
                Group[] next;
                if (members.length == 1) {
                    next = new Group[groups.length - 1];
                    System.arraycopy(groups, 0, next, 0, g);
                    System.arraycopy(groups, g + 1, next, g, next.length - g);
                } else {
                    Subscription[] shrunk = new Subscription[members.length - 1];
                    System.arraycopy(members, 0, shrunk, 0, i);
                    System.arraycopy(members, i + 1, shrunk, i, shrunk.length - i);
                    next = groups.clone();
                    next[g] = new Group(groups[g].delivery(), shrunk);
                }
                return new DeliveryGroups(next, size - 1);
            }
        }
        return this;
    }

    private int indexOf(Executor executor) {
        for (int i = 0; i < groups.length; i++) {
            if (groups[i].executor() == executor) {
                return i;
            }
        }
        return -1;
    }
}
