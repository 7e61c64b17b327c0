package io.routerlog.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.routerlog.testing.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reasons given for files that cannot be read, from real files. */
class FileReasonsTest {
    @TempDir
    Path dir;

    /** What reading {@code file} as the program does says. */
    private static @Nullable String readFailure(Path file) {
        try {
            Files.readAllBytes(file);
            return null;
        } catch (IOException e) {
            return FileReasons.reason(file, e);
        }
    }

    @Test
    void missingFileAndMissingDirectory() {
        Path missing = dir.resolve("routerlog.conf");
        assertThat(FileReasons.whyUnreadable(missing)).isEqualTo("no such file");
        assertThat(readFailure(missing)).isEqualTo("no such file");
        Path deeper = dir.resolve("etc/routerlog/routerlog.conf");
        assertThat(readFailure(deeper)).isEqualTo("no such file (no directory " + dir.resolve("etc") + ")");
    }

    @Test
    void directory() throws IOException {
        Path d = Files.createDirectory(dir.resolve("GeoLite2-ASN.mmdb"));
        assertThat(FileReasons.whyUnreadable(d)).isEqualTo("is a directory");
        assertThat(readFailure(d)).isEqualTo("is a directory");
        assertThat(FileReasons.cannotRead(d, new IOException("Is a directory")))
                .isEqualTo("cannot read " + d + ": is a directory");
    }

    @Test
    void aFileInPlaceOfADirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("tls"), "x");
        assertThat(readFailure(file.resolve("key.pem"))).isEqualTo("no such file (" + file + " is not a directory)");
    }

    @Test
    void brokenSymbolicLink() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("current.pcap"), dir.resolve("rotated-away.pcap"));
        assertThat(FileReasons.whyUnreadable(link)).isEqualTo("a symbolic link to a file that does not exist");
        assertThat(readFailure(link)).isEqualTo("a symbolic link to a file that does not exist");
    }

    @Test
    void notARegularFile() throws Exception {
        Path fifo = dir.resolve("leases.fifo");
        assumeTrue(Command.of("mkfifo", fifo.toString()).run().succeeded(), "needs mkfifo");
        assertThat(FileReasons.whyUnreadable(fifo)).isEqualTo("not a regular file");
    }

    @Test
    void readableFileHasNoReason() throws IOException {
        assertThat(FileReasons.whyUnreadable(Files.writeString(dir.resolve("ok.conf"), "max-pairs = 1000\n")))
                .isNull();
    }

    @Test
    void permissionDenied() throws IOException {
        // root reads everything; the jar test StartFailuresIT checks this as an unprivileged user
        assumeFalse("root".equals(System.getProperty("user.name")), "root can read any file");
        Path secret = Files.writeString(dir.resolve("key.pem"), "secret");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        assertThat(FileReasons.whyUnreadable(secret))
                .startsWith("permission denied (owner ")
                .endsWith(", mode ---------)");
        assertThat(readFailure(secret)).startsWith("permission denied");
    }
}
