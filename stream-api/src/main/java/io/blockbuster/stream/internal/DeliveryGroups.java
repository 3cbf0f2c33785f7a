package io.blockbuster.stream.internal;

import io.blockbuster.stream.DeliveryPolicy;
import io.blockbuster.stream.Fanout;
import java.util.Arrays;

/**
 * A channel's subscribers, grouped by the {@link Fanout} their sessions deliver through ({@link
 * io.blockbuster.stream.StreamSession#fanout()}), so that a publish costs the publishing thread one
 * hand-off per fanout group rather than one send per subscriber; the transport's fanout gathers per
 * thread. Immutable: a change returns a new instance (copy on write), so a publish reads one
 * consistent snapshot without holding a lock while it delivers. Changes are made under the
 * channel's lock, which also orders them with the fanout groups' own membership. A fanout's group
 * stays when its last subscriber leaves (it is empty, costs a publish nothing, and keeps its counters).
 */
final class DeliveryGroups {
    static final DeliveryGroups EMPTY = new DeliveryGroups(new Group[0], 0);
    /** The least backlog a QUEUE stream's fanout group keeps for a busy thread before shedding. */
    static final int MIN_SHED_BACKLOG = 1024;

    /** Subscribers sharing one fanout; {@code fanout} null means the publishing thread delivers. */
    record Group(Fanout fanout, Fanout.Group delivery, Subscription[] members) {
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
        Fanout fanout = s.session.transport.fanout();
        int g = indexOf(fanout);
        Group[] next;
        if (g < 0) {
            next = Arrays.copyOf(groups, groups.length + 1);
            // What may wait for a busy thread before the oldest is shed: bursts pass (a thread that is
            // merely busy for a moment must not cost its subscribers a 4000), sustained overload does
            // not grow without bound; a publisher hears PUSHED_BACK long before this.
            int maxBacklog = Math.max(s.channel.options.queueCapacity(), MIN_SHED_BACKLOG);
            Fanout.Group delivery = fanout == null ? null : fanout.newGroup(
                    s.channel.options.policy() == DeliveryPolicy.LATEST, maxBacklog);
            next[groups.length] = new Group(fanout, delivery, new Subscription[] {s});
        } else {
            Subscription[] members = groups[g].members();
            Subscription[] grown = Arrays.copyOf(members, members.length + 1);
            grown[members.length] = s;
            next = groups.clone();
            next[g] = new Group(fanout, groups[g].delivery(), grown);
        }
        Fanout.Group delivery = next[g < 0 ? groups.length : g].delivery();
        if (delivery != null) {
            delivery.add(s.session.transport, s); // the subscription is its own receiver
        }
        return new DeliveryGroups(next, size + 1);
    }

    /** Without {@code s}; this same instance if {@code s} is not here. */
    DeliveryGroups minus(Subscription s) {
        int g = indexOf(s.session.transport.fanout());
        if (g < 0) {
            return this;
        }
        Subscription[] members = groups[g].members();
        for (int i = 0; i < members.length; i++) {
            if (members[i] == s) {
                Group[] next;
                if (groups[g].delivery() != null) {
                    groups[g].delivery().remove(s.session.transport);
                }
                if (members.length == 1 && groups[g].delivery() == null) {
                    next = new Group[groups.length - 1];
                    System.arraycopy(groups, 0, next, 0, g);
                    System.arraycopy(groups, g + 1, next, g, next.length - g);
                } else {
                    Subscription[] shrunk = new Subscription[members.length - 1];
                    System.arraycopy(members, 0, shrunk, 0, i);
                    System.arraycopy(members, i + 1, shrunk, i, shrunk.length - i);
                    next = groups.clone();
                    next[g] = new Group(groups[g].fanout(), groups[g].delivery(), shrunk);
                }
                return new DeliveryGroups(next, size - 1);
            }
        }
        return this;
    }

    private int indexOf(Fanout fanout) {
        for (int i = 0; i < groups.length; i++) {
            if (groups[i].fanout() == fanout) {
                return i;
            }
        }
        return -1;
    }
}
