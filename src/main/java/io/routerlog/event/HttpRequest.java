package io.routerlog.event;

/** An HTTP request logged by HAProxy ({@code option httplog}): client address, frontend, backend, status code. */
public record HttpRequest(String client, String frontend, String backend, String status) {}
