/**
 * The command line for people: {@code routerlog top domains}, {@code routerlog top clients} and
 * {@code routerlog queries}, which ask a running node's JSON API ({@code /api/v1}, on its HTTP port) and print
 * aligned tables (or the API's JSON with {@code --json}). A client of the node, not part of it: nothing in the
 * receive path imports this package.
 *
 * <p>Null-marked: a reference is never null unless declared {@code @Nullable}. NullAway checks this at compile time.
 */
@NullMarked
package io.routerlog.cli;

import org.jspecify.annotations.NullMarked;
