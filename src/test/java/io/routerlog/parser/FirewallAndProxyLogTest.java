package io.routerlog.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.event.FirewallPacket;
import io.routerlog.event.HttpRequest;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.testing.DnsmasqChain;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Firewall LOG lines and HAProxy request logs, as routers send them over syslog, through the rules. */
class FirewallAndProxyLogTest {
    private final DnsmasqChain chain = new DnsmasqChain();
    private final PipelineCounters counters = chain.counters;
    private final List<FirewallPacket> packets = chain.sink.firewall;
    private final List<HttpRequest> requests = chain.sink.http;

    private void line(String s) {
        chain.line(s);
    }

    @Test
    void openWrtFirewallLogLines() {
        line("<4>Nov 22 01:59:47 OpenWrt kernel: [ 8452.123456] drop wan in: IN=eth1 OUT= MAC=00:11:22:33:44:55:66:"
                + "77:88:99:aa:bb:08:00 SRC=203.0.113.9 DST=198.51.100.2 LEN=60 TOS=0x00 PREC=0x00 TTL=51 ID=4711 DF "
                + "PROTO=TCP SPT=51515 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0");
        line("<4>Nov 22 01:59:47 OpenWrt kernel: [ 8452.2] reject wan in: IN=eth1 OUT= SRC=2001:db8::9 "
                + "DST=2001:db8:1::2 LEN=104 TC=0 HOPLIMIT=60 FLOWLBL=0 PROTO=ICMPv6 TYPE=128 CODE=0 ID=1 SEQ=1");
        line("<4>Nov 22 01:59:47 OpenWrt kernel: IN=br-lan OUT=eth1 SRC=192.168.1.5 DST=1.1.1.1 LEN=84 PROTO=UDP "
                + "SPT=5353 DPT=53 LEN=64");
        assertThat(packets)
                .containsExactly(
                        new FirewallPacket("drop wan in:", "203.0.113.9", "198.51.100.2", "TCP", "22"),
                        new FirewallPacket("reject wan in:", "2001:db8::9", "2001:db8:1::2", "ICMPv6", ""),
                        new FirewallPacket("", "192.168.1.5", "1.1.1.1", "UDP", "53"));
    }

    @Test
    void otherKernelMessagesAreOnlyCountedAndCutLinesAreBad() {
        line("<6>Nov 22 01:59:47 OpenWrt kernel: [ 12.345678] br-lan: port 1(lan1) entered forwarding state");
        line("<4>Nov 22 01:59:47 OpenWrt kernel: [ 8452.1] drop wan in: IN=eth1 OUT= MAC=00:11:22:33:44:55 SRC=203.0");
        line("<4>Nov 22 01:59:47 OpenWrt kernel: [ 8452.1] drop wan in: IN=eth1 OUT= SRC=203.0.113.9 DST=");
        assertThat(packets).isEmpty();
        assertThat(counters.dropCount(DropReason.BAD_FIREWALL_LINE)).isEqualTo(2);
        assertThat(counters.programs().snapshot()).containsEntry("kernel", 3L);
    }

    @Test
    void haproxyHttpLogs() {
        line(
                "<134>Nov 22 01:59:47 proxy haproxy[14389]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in "
                        + "static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 {1wt.eu} {} \"GET /index.html HTTP/1.1\"");
        line("<134>Nov 22 01:59:47 proxy haproxy[14389]: 2001:db8::5:40022 [06/Feb/2009:12:14:15.001] https-in~ "
                + "api/app2 0/0/1/12/13 503 212 - - SC-- 3/3/0/0/0 0/0 \"POST /v1 HTTP/2.0\"");
        line("<134>1 2026-11-22T01:59:47Z proxy haproxy 14389 - - 192.168.1.7:1234 [22/Nov/2026:01:59:47.000] "
                + "http-in http-in/<NOSRV> -1/-1/-1/-1/0 -1 0 - - PR-- 1/1/0/0/0 0/0 \"GET / HTTP/1.1\"");
        assertThat(requests)
                .containsExactly(
                        new HttpRequest("10.0.1.2", "http-in", "static", "200"),
                        new HttpRequest("2001:db8::5", "https-in", "api", "503"),
                        new HttpRequest("192.168.1.7", "http-in", "http-in", "-1"));
        assertThat(counters.dropCount(DropReason.BAD_HTTP_LINE)).isZero();
    }

    @Test
    void otherHaproxyMessagesTcpLogsAndCutLines() {
        line("<133>Nov 22 01:59:47 proxy haproxy[1]: Proxy http-in started.");
        line("<134>Nov 22 01:59:47 proxy haproxy[1]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] db-in db/pg1 "
                + "0/0/5007 212 -- 0/0/0/0/3 0/0");
        line("<134>Nov 22 01:59:47 proxy haproxy[1]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 "
                + "10/0/30/69/109");
        assertThat(requests).isEmpty();
        assertThat(counters.dropCount(DropReason.BAD_HTTP_LINE))
                .as("only the cut request")
                .isEqualTo(1);
    }
}
