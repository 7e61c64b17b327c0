/**
 * What holds for every source, applied between the parsers and the aggregation: canonical and anonymized client
 * addresses, the stored form of names, the names never stored ({@code --ignore-domain}), DNSTT folding and
 * over-long names.
 *
 * <p>Null-marked: a reference is never null unless declared {@code @Nullable}. NullAway checks this at compile time.
 */
@NullMarked
package io.routerlog.rules;

import org.jspecify.annotations.NullMarked;
