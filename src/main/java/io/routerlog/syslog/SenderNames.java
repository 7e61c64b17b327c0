package io.routerlog.syslog;

import io.routerlog.bytes.IpText;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The text of sender addresses ({@code 192.168.1.1}, {@code fd00::1}), kept per address so that a steady set of
 * senders costs a map lookup per datagram and nothing per message. One instance per receive thread.
 */
final class SenderNames {
    /** More senders than a network has routers: past it the table starts over rather than grow. */
    private static final int MAX_SENDERS = 1024;

    private static final byte[] UNKNOWN = new byte[0];

    private final Map<InetAddress, byte[]> texts = new HashMap<>();
    private final byte[] scratch = new byte[IpText.MAX_TEXT];
    private @Nullable InetAddress last;
    private byte[] lastText = UNKNOWN;

    /** The text of {@code sender}'s address, or empty when it is not an IP socket address. */
    byte[] text(SocketAddress sender) {
        if (!(sender instanceof InetSocketAddress socket) || socket.getAddress() == null) {
            return UNKNOWN;
        }
        InetAddress address = socket.getAddress();
        if (address.equals(last)) {
            return lastText;
        }
        byte[] text = texts.get(address);
        if (text == null) {
            if (texts.size() >= MAX_SENDERS) {
                texts.clear();
            }
            byte[] raw = address.getAddress();
            text = Arrays.copyOf(scratch, IpText.format(raw, raw.length, scratch, 0));
            texts.put(address, text);
        }
        last = address;
        lastText = text;
        return text;
    }
}
