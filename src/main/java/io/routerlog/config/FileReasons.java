package io.routerlog.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import org.jspecify.annotations.Nullable;

/**
 * Why a file cannot be read, in a few words a user can act on ("no such file", "permission denied (owner root,
 * mode rw-------)", "is a directory", "not a regular file"), for every file routerlog reads: the config file, TLS
 * files, GeoIP databases, the lease file and capture files. The JDK's own messages often only repeat the path.
 */
public final class FileReasons {
    private FileReasons() {}

    /** "cannot read FILE: REASON". */
    public static String cannotRead(Path file, IOException e) {
        return "cannot read " + file + ": " + reason(file, e);
    }

    /**
     * Why {@code file} cannot be read as a regular file, or null when it can. Checked before a file is handed to
     * something that would fail less clearly (a database reader, a watcher).
     */
    public static @Nullable String whyUnreadable(Path file) {
        String missing = whyMissing(file);
        if (missing != null) {
            return missing;
        }
        if (Files.isDirectory(file)) {
            return "is a directory";
        }
        if (!Files.isRegularFile(file)) {
            return "not a regular file";
        }
        if (!Files.isReadable(file)) {
            return denied(file);
        }
        return null;
    }

    /** Throws a {@link SettingException} naming {@code option} when {@code file} cannot be read, saying why. */
    public static void requireReadable(String option, Path file) {
        String why = whyUnreadable(file);
        if (why != null) {
            throw new SettingException(option, "cannot read " + file + ": " + why);
        }
    }

    /** Why reading {@code file} failed with {@code e}. */
    public static String reason(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            String missing = whyMissing(file);
            return missing != null ? missing : "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return denied(file);
        }
        if (e instanceof NotDirectoryException) {
            return "a part of the path is not a directory";
        }
        if (Files.isDirectory(file)) {
            return "is a directory";
        }
        String known = whyUnreadable(file);
        if (known != null && !known.equals("not a regular file")) {
            return known;
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return lowerFirst(fs.getReason());
        }
        String m = e.getMessage();
        return m == null || m.equals(file.toString()) ? e.getClass().getSimpleName() : m;
    }

    /** Why {@code file} does not exist (or cannot be seen), or null when it does. */
    private static @Nullable String whyMissing(Path file) {
        if (Files.exists(file)) {
            return null;
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return "a symbolic link to a file that does not exist";
        }
        // the nearest directory that exists, and the first one below it that does not
        Path dir = file.toAbsolutePath().getParent();
        Path missingDir = null;
        while (dir != null && !Files.exists(dir)) {
            missingDir = dir;
            dir = dir.getParent();
        }
        if (dir != null && !Files.isDirectory(dir)) {
            return "no such file (" + dir + " is not a directory)";
        }
        if (dir != null && !Files.isExecutable(dir)) {
            return "permission denied (on the directory " + dir + ")";
        }
        return missingDir == null ? "no such file" : "no such file (no directory " + missingDir + ")";
    }

    /** "permission denied", with the file's owner and mode when they can be read. */
    private static String denied(Path file) {
        try {
            PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class);
            return "permission denied (owner " + a.owner().getName() + ", mode "
                    + PosixFilePermissions.toString(a.permissions()) + ")";
        } catch (IOException | UnsupportedOperationException e) {
            return "permission denied";
        }
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
