/**
 * permessage-deflate (RFC 7692) for the extension seam of {@link io.blockbuster.websocket.protocol}:
 * {@link io.blockbuster.websocket.deflate.PerMessageDeflate} negotiates it on either side and
 * creates one {@link io.blockbuster.websocket.deflate.PerMessageDeflateExtension} per connection;
 * {@link io.blockbuster.websocket.deflate.CompressedFrame} is a broadcast compressed once.
 * Uses {@code java.util.zip} only and does no I/O.
 */
package io.blockbuster.websocket.deflate;
