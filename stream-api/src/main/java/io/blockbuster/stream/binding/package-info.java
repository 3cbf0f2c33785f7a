/**
 * Mounts a {@link io.blockbuster.stream.StreamHub} on the websocket-core server and connects
 * {@link io.blockbuster.stream.client.StreamClient}s over its client: the only package of this module that
 * imports {@code io.blockbuster.websocket} types. websocket-core is an optional dependency of this
 * module: a host that uses this package adds websocket-core (and {@code requires io.blockbuster.websocket});
 * a host on another transport implements {@link io.blockbuster.stream.StreamSession} and needs neither.
 */
package io.blockbuster.stream.binding;
