/**
 * Cuts received bytes into syslog frames: RFC 6587 octet counting or {@code \n}/{@code \0} delimiters, the same
 * for TCP streams and for each UDP datagram, with the frame size, frame timeout and the buffer budget shared by all
 * connections.
 *
 * <p>Null-marked: a reference is never null unless declared {@code @Nullable}. NullAway checks this at compile time.
 */
@NullMarked
package io.routerlog.framing;

import org.jspecify.annotations.NullMarked;
