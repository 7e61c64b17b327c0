/**
 * Finding DNS tunnels nobody configured: what a query name looks like below its registrable domain
 * ({@link io.routerlog.detect.NameShape}, {@link io.routerlog.detect.RegistrableDomains}), a bounded sample of the distinct
 * names one domain was asked for ({@link io.routerlog.detect.DistinctSample}), and the score that weighs what was seen of a
 * domain ({@link io.routerlog.detect.TunnelScore}).
 *
 * <p>Not a stage of the receive path but a library of it: aggregation measures names with it and the store scores what it
 * merged, so it uses no other routerlog package.
 */
@NullMarked
package io.routerlog.detect;

import org.jspecify.annotations.NullMarked;
