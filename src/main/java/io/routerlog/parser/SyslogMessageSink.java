package io.routerlog.parser;

/**
 * Receives each syslog message that parsed. The message is only valid during the call. It lives with the parsers,
 * which consume the messages, so the syslog stage imports it rather than the parsers reaching back up the flow.
 */
public interface SyslogMessageSink {
    void message(SyslogMessage message);
}
