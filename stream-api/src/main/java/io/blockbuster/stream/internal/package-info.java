/**
 * Not exported: the hub's machinery behind {@link io.blockbuster.stream.StreamHub}. A
 * {@link io.blockbuster.stream.internal.HubContext} holds what one hub shares;
 * {@link io.blockbuster.stream.internal.Channel} owns a stream's log (seq, history, delivery);
 * {@link io.blockbuster.stream.internal.HubSession} is the hub's state of one connection. Nothing
 * here imports {@code StreamHub}, the client or a transport type.
 */
package io.blockbuster.stream.internal;
