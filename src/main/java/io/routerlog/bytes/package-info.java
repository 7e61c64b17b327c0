/**
 * Shared helpers for the allocation-free receive path, which works on {@code byte[]} ranges rather than strings:
 * ASCII comparisons and searches ({@code Bytes}), a hash table keyed by byte ranges ({@code BytesTable}), and
 * IPv4/IPv6 address literals read and written in place ({@code IpText}).
 *
 * <p>Null-marked: a reference is never null unless declared {@code @Nullable}. NullAway checks this at compile time.
 */
@NullMarked
package io.routerlog.bytes;

import org.jspecify.annotations.NullMarked;
