package io.routerlog.syslog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.parser.SyslogMessage;
import io.routerlog.stats.DropReason;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SyslogParserTest {

    /** Parses a line that must be accepted. */
    private static SyslogMessage parse(String line) {
        return parse(line.getBytes(UTF_8));
    }

    private static SyslogMessage parse(byte[] bytes) {
        SyslogMessage m = new SyslogMessage();
        DropReason reason = SyslogParser.parse(bytes, 0, bytes.length, m);
        assertThat(reason).as("drop reason for %s", new String(bytes, UTF_8)).isNull();
        return m;
    }

    private static @Nullable DropReason drop(String line) {
        byte[] bytes = line.getBytes(UTF_8);
        return SyslogParser.parse(bytes, 0, bytes.length, new SyslogMessage());
    }

    /** All String fields, to compare whole parse results. */
    private static List<String> fields(SyslogMessage m) {
        return List.of(
                String.valueOf(m.format()),
                Integer.toString(m.pri()),
                m.timestamp(),
                m.hostname(),
                m.prefix(),
                m.program(),
                m.procId(),
                m.msgId(),
                m.structuredData(),
                m.message());
    }

    @Nested
    class Rfc3164 {
        @ParameterizedTest
        @ValueSource(strings = {"NOV", "nov", "Nox", "Mon", "J\u00e4n"})
        void otherWordsAreNoMonth(String word) {
            SyslogMessage m = parse("<30>" + word + " 22 01:59:47 OpenWrt dnsmasq[1]: started");

            assertThat(m.timestamp()).isEmpty();
        }

        @Test
        void openWrtLineWithHostname() {
            SyslogMessage m = parse("<30>Jan  5 12:34:56 OpenWrt dnsmasq[1]: query[A] example.com from 192.168.1.10");

            assertThat(m.format()).isEqualTo(SyslogMessage.Format.RFC3164);
            assertThat(m.pri()).isEqualTo(30);
            assertThat(m.facility()).isEqualTo(3);
            assertThat(m.severity()).isEqualTo(6);
            assertThat(m.timestamp()).isEqualTo("Jan  5 12:34:56");
            assertThat(m.hostname()).isEqualTo("OpenWrt");
            assertThat(m.prefix()).isEmpty();
            assertThat(m.program()).isEqualTo("dnsmasq");
            assertThat(m.procId()).isEqualTo("1");
            assertThat(m.msgId()).isEmpty();
            assertThat(m.structuredData()).isEmpty();
            assertThat(m.message()).isEqualTo("query[A] example.com from 192.168.1.10");
            assertThat(m.programIs("dnsmasq")).isTrue();
            assertThat(m.programIs("dnsmasq-dhcp")).isFalse();
        }

        @Test
        void lineWithoutHostname() {
            SyslogMessage m = parse("<30>Sep  3 15:54:12 dnsmasq[1]: started, version 2.90 cachesize 150");

            assertThat(m.timestamp()).isEqualTo("Sep  3 15:54:12");
            assertThat(m.hostname()).isEmpty();
            assertThat(m.prefix()).isEmpty();
            assertThat(m.program()).isEqualTo("dnsmasq");
            assertThat(m.procId()).isEqualTo("1");
            assertThat(m.message()).isEqualTo("started, version 2.90 cachesize 150");
        }

        @Test
        void logPrefixAfterHostname() {
            SyslogMessage m =
                    parse("<30>Jan  5 12:34:56 OpenWrt r1: dnsmasq[1]: query[A] example.com from 192.168.1.10");

            assertThat(m.hostname()).isEqualTo("OpenWrt");
            assertThat(m.prefix()).isEqualTo("r1");
            assertThat(m.program()).isEqualTo("dnsmasq");
            assertThat(m.procId()).isEqualTo("1");
            assertThat(m.message()).isEqualTo("query[A] example.com from 192.168.1.10");
        }

        @Test
        void logPrefixWithoutHostname() {
            SyslogMessage m = parse("<30>Jan  5 12:34:56 r1: dnsmasq-dhcp[1234]: DHCPACK(br-lan) 192.168.1.100"
                    + " aa:bb:cc:dd:ee:ff laptop");

            assertThat(m.hostname()).isEmpty();
            assertThat(m.prefix()).isEqualTo("r1");
            assertThat(m.program()).isEqualTo("dnsmasq-dhcp");
            assertThat(m.procId()).isEqualTo("1234");
            assertThat(m.message()).isEqualTo("DHCPACK(br-lan) 192.168.1.100 aa:bb:cc:dd:ee:ff laptop");
        }

        @Test
        void kernelTagWithHostname() {
            SyslogMessage m = parse("<6>Jan  5 12:34:56 OpenWrt kernel: [   12.345678] br-lan: port 1(lan1)"
                    + " entered forwarding state");

            assertThat(m.pri()).isEqualTo(6);
            assertThat(m.facility()).isZero();
            assertThat(m.hostname()).isEqualTo("OpenWrt");
            assertThat(m.prefix()).isEmpty();
            assertThat(m.program()).isEqualTo("kernel");
            assertThat(m.procId()).isEmpty();
            assertThat(m.message()).isEqualTo("[   12.345678] br-lan: port 1(lan1) entered forwarding state");
        }

        @Test
        void kernelTagFollowedByWordWithColon() {
            // the word after "kernel:" looks like a tag but it is part of the message
            SyslogMessage m = parse("<6>Jan  5 12:34:56 OpenWrt kernel: br-lan: port 1(lan1) entered blocking state");

            assertThat(m.prefix()).isEmpty();
            assertThat(m.program()).isEqualTo("kernel");
            assertThat(m.message()).isEqualTo("br-lan: port 1(lan1) entered blocking state");
        }

        @Test
        void kernelTagWithPrefix() {
            SyslogMessage m = parse("<4>Jan  5 12:34:56 OpenWrt r1: kernel: [ 1.000000] eth0: link up");

            assertThat(m.hostname()).isEqualTo("OpenWrt");
            assertThat(m.prefix()).isEqualTo("r1");
            assertThat(m.program()).isEqualTo("kernel");
            assertThat(m.procId()).isEmpty();
            assertThat(m.message()).isEqualTo("[ 1.000000] eth0: link up");
        }

        @Test
        void kernelTagWithPrefixWithoutHostname() {
            SyslogMessage m = parse("<4>Jan  5 12:34:56 r1: kernel: [ 1.000000] eth0: link up");

            assertThat(m.hostname()).isEmpty();
            assertThat(m.prefix()).isEqualTo("r1");
            assertThat(m.program()).isEqualTo("kernel");
            assertThat(m.message()).isEqualTo("[ 1.000000] eth0: link up");
        }

        @Test
        void spacePaddedAndTwoDigitDays() {
            assertThat(parse("<30>Jan  5 12:34:56 OpenWrt netifd: x").timestamp())
                    .isEqualTo("Jan  5 12:34:56");
            assertThat(parse("<30>Dec 31 23:59:59 OpenWrt netifd: x").timestamp())
                    .isEqualTo("Dec 31 23:59:59");
            SyslogMessage m = parse("<30>Feb 15 01:02:03 OpenWrt netifd: x");
            assertThat(m.timestamp()).isEqualTo("Feb 15 01:02:03");
            assertThat(m.hostname()).isEqualTo("OpenWrt");
        }

        @ParameterizedTest
        @ValueSource(strings = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"})
        void everyEnglishMonthIsATimestamp(String month) {
            SyslogMessage m = parse("<30>" + month + "  9 08:07:06 OpenWrt dnsmasq[1]: hello");

            assertThat(m.timestamp()).isEqualTo(month + "  9 08:07:06");
            assertThat(m.hostname()).isEqualTo("OpenWrt");
            assertThat(m.program()).isEqualTo("dnsmasq");
        }

        @Test
        void fractionalSecondsAndYearInTimestamp() {
            SyslogMessage frac = parse("<30>Jan  5 12:34:56.789 OpenWrt dnsmasq[1]: hello");
            assertThat(frac.timestamp()).isEqualTo("Jan  5 12:34:56.789");
            assertThat(frac.hostname()).isEqualTo("OpenWrt");

            SyslogMessage year = parse("<30>Jan  5 2026 12:34:56 OpenWrt dnsmasq[1]: hello");
            assertThat(year.timestamp()).isEqualTo("Jan  5 2026 12:34:56");
            assertThat(year.hostname()).isEqualTo("OpenWrt");
            assertThat(year.message()).isEqualTo("hello");
        }

        @Test
        void tagWithoutPid() {
            SyslogMessage m = parse("<29>Jan  5 12:34:56 OpenWrt netifd: Interface 'lan' is now up");

            assertThat(m.hostname()).isEqualTo("OpenWrt");
            assertThat(m.prefix()).isEmpty();
            assertThat(m.program()).isEqualTo("netifd");
            assertThat(m.procId()).isEmpty();
            assertThat(m.message()).isEqualTo("Interface 'lan' is now up");
        }

        @Test
        void tagWithoutPidAndWithoutHostname() {
            SyslogMessage m = parse("<29>Jan  5 12:34:56 netifd: Network device 'eth0' link is up");

            assertThat(m.hostname()).isEmpty();
            assertThat(m.program()).isEqualTo("netifd");
            assertThat(m.procId()).isEmpty();
            assertThat(m.message()).isEqualTo("Network device 'eth0' link is up");
        }

        @Test
        void messageWithoutTag() {
            SyslogMessage m = parse("<13>Jan  5 12:34:56 OpenWrt hello from the router");

            assertThat(m.hostname()).isEqualTo("OpenWrt");
            assertThat(m.program()).isEmpty();
            assertThat(m.programLength()).isZero();
            assertThat(m.procId()).isEmpty();
            assertThat(m.message()).isEqualTo("hello from the router");
        }

        @Test
        void singleWordMessageWithoutTagOrHostname() {
            SyslogMessage m = parse("<13>Jan  5 12:34:56 hello");

            assertThat(m.hostname()).isEmpty();
            assertThat(m.program()).isEmpty();
            assertThat(m.message()).isEqualTo("hello");
        }

        @Test
        void rfc3339TimestampInRfc3164Position() {
            SyslogMessage m = parse(
                    "<30>2026-01-05T12:34:56.123456+01:00 OpenWrt dnsmasq[7]: query[AAAA] example.com" + " from ::1");

            assertThat(m.format()).isEqualTo(SyslogMessage.Format.RFC3164);
            assertThat(m.timestamp()).isEqualTo("2026-01-05T12:34:56.123456+01:00");
            assertThat(m.hostname()).isEqualTo("OpenWrt");
            assertThat(m.program()).isEqualTo("dnsmasq");
            assertThat(m.procId()).isEqualTo("7");
            assertThat(m.message()).isEqualTo("query[AAAA] example.com from ::1");
        }

        @Test
        void noTimestampWithTagOnly() {
            SyslogMessage m = parse("<30>dnsmasq[1]: query[A] example.com from 192.168.1.10");

            assertThat(m.format()).isEqualTo(SyslogMessage.Format.RFC3164);
            assertThat(m.timestamp()).isEmpty();
            assertThat(m.hostname()).isEmpty();
            assertThat(m.program()).isEqualTo("dnsmasq");
            assertThat(m.procId()).isEqualTo("1");
            assertThat(m.message()).isEqualTo("query[A] example.com from 192.168.1.10");
        }

        @Test
        void noTimestampWithHostname() {
            SyslogMessage m = parse("<30>OpenWrt dnsmasq[1]: query[A] example.com from 192.168.1.10");

            assertThat(m.timestamp()).isEmpty();
            assertThat(m.hostname()).isEqualTo("OpenWrt");
            assertThat(m.program()).isEqualTo("dnsmasq");
            assertThat(m.message()).isEqualTo("query[A] example.com from 192.168.1.10");
        }

        @Test
        void tagAtEndOfLineGivesEmptyMessage() {
            SyslogMessage m = parse("<30>Jan  5 12:34:56 OpenWrt dnsmasq[1]:");

            assertThat(m.program()).isEqualTo("dnsmasq");
            assertThat(m.procId()).isEqualTo("1");
            assertThat(m.message()).isEmpty();
        }

        @Test
        void ipv6HostnameIsNotMistakenForATag() {
            SyslogMessage m = parse("<30>Jan  5 12:34:56 fd00::1 dnsmasq[1]: hello");

            assertThat(m.hostname()).isEqualTo("fd00::1");
            assertThat(m.program()).isEqualTo("dnsmasq");
            assertThat(m.message()).isEqualTo("hello");
        }

        @Test
        void notAMonthIsNoTimestamp() {
            SyslogMessage m = parse("<30>jan  5 12:34:56 OpenWrt dnsmasq[1]: hello");

            assertThat(m.timestamp()).isEmpty();
            assertThat(m.program()).isNotEqualTo("dnsmasq");
        }
    }

    @Nested
    class Rfc5424 {
        @Test
        void rsyslogsProtocol23FormatKeepsASpaceBeforeTheMessageThatIsNotPartOfIt() {
            // RSYSLOG_SyslogProtocol23Format: "%msg%" keeps the space that followed the tag
            SyslogMessage m = parse("<30>1 2026-12-02T10:00:00+00:00 vm dnsmasq 300 - -  query[A] x from 10.0.0.9");
            SyslogMessage sd = parse("<30>1 2026-12-02T10:00:00+00:00 vm dnsmasq 300 - [a@1 b=\"c\"]  query[A] x");

            assertThat(m.program()).isEqualTo("dnsmasq");
            assertThat(m.message()).isEqualTo("query[A] x from 10.0.0.9");
            assertThat(sd.message()).isEqualTo("query[A] x");
        }

        @Test
        void headerFieldsOfOtherThanPrintableAsciiAreABadHeader() {
            // octet counting can carry any byte: none reaches the program label
            assertThat(drop("<30>1 - - ap\0p - - - msg")).isEqualTo(DropReason.BAD_HEADER);
            assertThat(drop("<30>1 - - app\n - - msg")).isEqualTo(DropReason.BAD_HEADER);
            assertThat(drop("<30>1 - h\u00e9st app - - - msg")).isEqualTo(DropReason.BAD_HEADER);
        }

        @Test
        void blanksAroundTheMessageAreNotPartOfIt() {
            assertThat(parse("<30>1 - - dnsmasq - - - \t query[A] x from ::1 \t ")
                            .message())
                    .isEqualTo("query[A] x from ::1");
            assertThat(parse("<30>Jan  5 12:34:56 OpenWrt dnsmasq[1]:   query[A] x from ::1  ")
                            .message())
                    .isEqualTo("query[A] x from ::1");
        }

        @Test
        void fullHeaderWithStructuredData() {
            SyslogMessage m = parse("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47"
                    + " [exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"] An application"
                    + " event log entry");

            assertThat(m.format()).isEqualTo(SyslogMessage.Format.RFC5424);
            assertThat(m.pri()).isEqualTo(165);
            assertThat(m.facility()).isEqualTo(20);
            assertThat(m.severity()).isEqualTo(5);
            assertThat(m.timestamp()).isEqualTo("2003-10-11T22:14:15.003Z");
            assertThat(m.hostname()).isEqualTo("mymachine.example.com");
            assertThat(m.program()).isEqualTo("evntslog");
            assertThat(m.procId()).isEmpty();
            assertThat(m.msgId()).isEqualTo("ID47");
            assertThat(m.structuredData())
                    .isEqualTo("[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"]");
            assertThat(m.message()).isEqualTo("An application event log entry");
            assertThat(m.prefix()).isEmpty();
        }

        @Test
        void allNilFields() {
            SyslogMessage m = parse("<30>1 - - - - - - hello");

            assertThat(m.format()).isEqualTo(SyslogMessage.Format.RFC5424);
            assertThat(m.timestamp()).isEmpty();
            assertThat(m.hostname()).isEmpty();
            assertThat(m.program()).isEmpty();
            assertThat(m.procId()).isEmpty();
            assertThat(m.msgId()).isEmpty();
            assertThat(m.structuredData()).isEmpty();
            assertThat(m.message()).isEqualTo("hello");
        }

        @Test
        void utilLinuxLoggerLineKeepsBracketsOfTheMessage() {
            SyslogMessage m = parse("<30>1 2026-11-22T01:59:45.999048+00:00 vm dnsmasq 5533 -"
                    + " [timeQuality tzKnown=\"1\" isSynced=\"0\"] 1 127.0.0.10/36096 query[A] google.com from"
                    + " 127.0.0.10");

            assertThat(m.timestamp()).isEqualTo("2026-11-22T01:59:45.999048+00:00");
            assertThat(m.hostname()).isEqualTo("vm");
            assertThat(m.program()).isEqualTo("dnsmasq");
            assertThat(m.procId()).isEqualTo("5533");
            assertThat(m.msgId()).isEmpty();
            assertThat(m.structuredData()).isEqualTo("[timeQuality tzKnown=\"1\" isSynced=\"0\"]");
            assertThat(m.message()).isEqualTo("1 127.0.0.10/36096 query[A] google.com from 127.0.0.10");
        }

        @Test
        void messageStartingWithBracketAfterNilStructuredData() {
            SyslogMessage m = parse("<30>1 - host app - - - [A] is not structured data");

            assertThat(m.structuredData()).isEmpty();
            assertThat(m.message()).isEqualTo("[A] is not structured data");
        }

        @Test
        void severalStructuredDataElements() {
            SyslogMessage m = parse("<30>1 2026-01-05T12:34:56Z host app 42 MID [a@1 x=\"1\"][b@2 y=\"2\" z=\"3\"]"
                    + "[c@3] the message [not sd]");

            assertThat(m.procId()).isEqualTo("42");
            assertThat(m.msgId()).isEqualTo("MID");
            assertThat(m.structuredData()).isEqualTo("[a@1 x=\"1\"][b@2 y=\"2\" z=\"3\"][c@3]");
            assertThat(m.message()).isEqualTo("the message [not sd]");
        }

        @Test
        void escapesInsideParamValues() {
            String sd = "[x@1 a=\"q\\\"uo\\]te\" b=\"back\\\\slash\" c=\"]\"]";
            SyslogMessage m = parse("<30>1 - host app - - " + sd + " msg");

            assertThat(m.structuredData()).isEqualTo(sd);
            assertThat(m.message()).isEqualTo("msg");
        }

        @Test
        void byteOrderMarkBeforeMessageIsSkipped() {
            byte[] bytes = concat(
                    "<30>1 - host app - - - ".getBytes(UTF_8),
                    new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                    "h\u00e9llo".getBytes(UTF_8));
            SyslogMessage m = parse(bytes);

            assertThat(m.message()).isEqualTo("h\u00e9llo");
            assertThat(m.messageLength()).isEqualTo("h\u00e9llo".getBytes(UTF_8).length);
        }

        @Test
        void byteOrderMarkOnly() {
            byte[] bytes = concat(
                    "<30>1 - host app - - - ".getBytes(UTF_8), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});

            assertThat(parse(bytes).message()).isEmpty();
        }

        @Test
        void emptyMessage() {
            SyslogMessage noSpace = parse("<30>1 2026-01-05T12:34:56Z host app 1 - -");
            assertThat(noSpace.message()).isEmpty();
            assertThat(noSpace.program()).isEqualTo("app");

            SyslogMessage trailingSpace = parse("<30>1 2026-01-05T12:34:56Z host app 1 - [a@1 b=\"c\"] ");
            assertThat(trailingSpace.message()).isEmpty();
            assertThat(trailingSpace.structuredData()).isEqualTo("[a@1 b=\"c\"]");
        }

        @Test
        void twoDigitVersion() {
            SyslogMessage m = parse("<30>12 - host app - - - hi");

            assertThat(m.format()).isEqualTo(SyslogMessage.Format.RFC5424);
            assertThat(m.hostname()).isEqualTo("host");
            assertThat(m.message()).isEqualTo("hi");
        }
    }

    @Nested
    class Errors {
        @ParameterizedTest
        @ValueSource(
                strings = {
                    "",
                    "<3",
                    "30>Jan  5 12:34:56 OpenWrt dnsmasq[1]: x",
                    "Jan  5 12:34:56 OpenWrt dnsmasq[1]: x",
                    " <30>Jan  5 12:34:56 OpenWrt dnsmasq[1]: x",
                })
        void missingOpeningBracket(String line) {
            assertThat(drop(line)).isEqualTo(DropReason.BAD_PRI);
        }

        @ParameterizedTest
        @ValueSource(strings = {"<ab>Jan  5 12:34:56 x", "<>Jan  5 12:34:56 x", "<3a>x", "<-1>x", "< 30>x"})
        void nonNumericPri(String line) {
            assertThat(drop(line)).isEqualTo(DropReason.BAD_PRI);
        }

        @ParameterizedTest
        @ValueSource(strings = {"<192>Jan  5 12:34:56 x", "<999>x", "<1000>x", "<0030>x"})
        void priOutOfRange(String line) {
            assertThat(drop(line)).isEqualTo(DropReason.BAD_PRI);
        }

        @ParameterizedTest
        @ValueSource(strings = {"<30Jan  5 12:34:56 OpenWrt dnsmasq[1]: x", "<30", "<191"})
        void missingClosingBracket(String line) {
            assertThat(drop(line)).isEqualTo(DropReason.BAD_PRI);
        }

        @Test
        void priBoundariesAreAccepted() {
            assertThat(parse("<0>x").pri()).isZero();
            assertThat(parse("<191>x").pri()).isEqualTo(191);
        }

        @Test
        void nothingAfterPri() {
            assertThat(drop("<30>")).isEqualTo(DropReason.BAD_HEADER);
            assertThat(drop("<30>   ")).isEqualTo(DropReason.BAD_HEADER);
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "<30>1 2026-11-22T01:59:45Z vm dnsmasq",
                    "<30>1 2026-11-22T01:59:45Z vm dnsmasq 5533 -",
                    "<30>1 -",
                    "<30>1 - - - - -",
                    "<30>1 - - - - - ",
                    "<30>1 -  - - - - -",
                })
        void rfc5424HeaderWithMissingFields(String line) {
            assertThat(drop(line)).isEqualTo(DropReason.BAD_HEADER);
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "<30>1 - host app - - [x@1 a=\"1\"",
                    "<30>1 - host app - - [x@1 a=\"1]\"",
                    "<30>1 - host app - - [x@1 a=\"1\\\"] msg",
                    "<30>1 - host app - - [x@1 a=\"1\"][y@2 b=\"2\" msg",
                    "<30>1 - host app - - [",
                    "<30>1 - host app - - [] msg",
                    "<30>1 - host app - - [x@1]msg",
                    "<30>1 - host app - - nosd msg",
                })
        void badStructuredData(String line) {
            assertThat(drop(line)).isEqualTo(DropReason.BAD_STRUCTURED_DATA);
        }
    }

    @Test
    void parsesOnlyTheGivenRangeOfALargerBuffer() {
        String line = "<30>Jan  5 12:34:56 OpenWrt dnsmasq[1]: hello";
        byte[] bytes = ("JUNK" + line + " TRAILING GARBAGE").getBytes(UTF_8);
        SyslogMessage m = new SyslogMessage();

        assertThat(SyslogParser.parse(bytes, 4, line.length(), m)).isNull();
        assertThat(m.pri()).isEqualTo(30);
        assertThat(m.hostname()).isEqualTo("OpenWrt");
        assertThat(m.program()).isEqualTo("dnsmasq");
        assertThat(m.message()).isEqualTo("hello");
        assertThat(m.buf()).isSameAs(bytes);
    }

    @Test
    void reusedMessageForgetsFieldsOfThePreviousLine() {
        SyslogMessage m = new SyslogMessage();
        byte[] first = "<30>1 2026-01-05T12:34:56Z host app 9 MID [a@1 b=\"c\"] first".getBytes(UTF_8);
        byte[] second = "<13>netifd: second".getBytes(UTF_8);

        assertThat(SyslogParser.parse(first, 0, first.length, m)).isNull();
        assertThat(SyslogParser.parse(second, 0, second.length, m)).isNull();

        assertThat(m.format()).isEqualTo(SyslogMessage.Format.RFC3164);
        assertThat(m.pri()).isEqualTo(13);
        assertThat(m.timestamp()).isEmpty();
        assertThat(m.hostname()).isEmpty();
        assertThat(m.procId()).isEmpty();
        assertThat(m.msgId()).isEmpty();
        assertThat(m.structuredData()).isEmpty();
        assertThat(m.program()).isEqualTo("netifd");
        assertThat(m.message()).isEqualTo("second");
    }

    static List<String> localeSamples() {
        return List.of(
                "<30>Jan  5 12:34:56 OpenWrt dnsmasq[1]: query[A] INSTAGRAM.COM from 192.168.1.10",
                "<30>Oct 10 10:10:10 ISTANBUL r1: dnsmasq-dhcp[1]: DHCPINFORM(br-lan) 192.168.1.20 aa:bb:cc:dd:ee:ff",
                "<6>Mar  9 01:02:03 OpenWrt kernel: [ 1.0] eth0: link up",
                "<29>Dec  1 00:00:00 netifd: Interface 'wan' is now up",
                "<30>2026-11-22T01:59:45+03:00 host dnsmasq[2]: hi",
                "<30>1 2026-11-22T01:59:45.999048+00:00 vm dnsmasq 5533 - [timeQuality tzKnown=\"1\" isSynced=\"0\"]"
                        + " 1 127.0.0.10/36096 query[A] google.com from 127.0.0.10",
                "<30>1 - - - - - -");
    }

    static List<Arguments> locales() {
        return List.of(
                Arguments.of(Locale.forLanguageTag("tr-TR")),
                Arguments.of(Locale.GERMANY),
                Arguments.of(Locale.forLanguageTag("ar-EG")));
    }

    @ParameterizedTest
    @MethodSource("locales")
    void defaultLocaleDoesNotChangeResults(Locale locale) {
        List<List<String>> expected = new ArrayList<>();
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.ROOT);
            for (String line : localeSamples()) {
                expected.add(fields(parse(line)));
            }
            Locale.setDefault(locale);
            List<List<String>> actual = new ArrayList<>();
            for (String line : localeSamples()) {
                actual.add(fields(parse(line)));
            }
            assertThat(actual).isEqualTo(expected);
            // every sample has a timestamp under any locale (month names are matched in English)
            assertThat(actual.subList(0, 5))
                    .allSatisfy(f -> assertThat(f.get(2)).isNotEmpty());
        } finally {
            Locale.setDefault(saved);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
