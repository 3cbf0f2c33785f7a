/**
 * Mounts a {@link io.blockbuster.stream.StreamHub} on the websocket-core server and connects
 * {@link io.blockbuster.stream.StreamClient}s over its client: the only package of this module that
 * imports {@code io.blockbuster.websocket} types.
 */
package io.blockbuster.stream.binding;
