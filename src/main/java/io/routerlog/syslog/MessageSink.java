package io.routerlog.syslog;

/** Receives each syslog message that parsed. The message is only valid during the call. */
public interface MessageSink {
    void message(SyslogMessage message);
}
