package io.steward.server.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Files and folders only the server's own user may read: owner-only modes set explicitly, so that
 * the umask the server was started with does not matter.
 */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {}

    /** The attribute that creates a file owner-only (then {@link #restrict} it to be sure). */
    public static FileAttribute<Set<PosixFilePermission>> fileAttribute() {
        return PosixFilePermissions.asFileAttribute(FILE);
    }

    /**
     * Makes {@code folder} (and missing parents) if needed and leaves it 0700, tightening a folder
     * that exists with a wider mode.
     */
    public static Path folder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(FOLDER));
        }
        if (!Files.getPosixFilePermissions(folder, LinkOption.NOFOLLOW_LINKS).equals(FOLDER)) {
            Files.setPosixFilePermissions(folder, FOLDER);
        }
        return folder;
    }

    /** Leaves the file 0600, whatever the umask made it. */
    public static void restrict(Path file) throws IOException {
        Files.setPosixFilePermissions(file, FILE);
    }

    /** The folder {@code file} is in, made owner-only as {@link #folder} makes it. */
    public static Path folderOf(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null) {
            throw new IOException(file + " is not in a folder");
        }
        return folder(parent);
    }

    /**
     * Why a user other than this process's (and root) could change {@code path}, or swap it for
     * something else through a folder on its way, or null when none could. Every folder on the way
     * is checked, written and resolved, as OpenSSH checks a key's folders: each must belong to root
     * or this user and be writable by no one else, except a folder with the sticky bit (such as
     * {@code /tmp}), where others may add entries but not rename or remove this user's.
     */
    public static @Nullable String changeableByOthers(Path path) throws IOException {
        int uid = processUid();
        Path absolute = path.toAbsolutePath().normalize();
        var checked = new java.util.LinkedHashSet<Path>();
        for (Path p = absolute; p != null; p = p.getParent()) {
            checked.add(p);
        }
        for (Path p = absolute.toRealPath(); p != null; p = p.getParent()) {
            checked.add(p);
        }
        for (Path p : checked) {
            if (Files.isSymbolicLink(p)) {
                continue; // a link's own mode means nothing: the folder holding it and its target are checked
            }
            int owner = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            boolean sticky =
                    (mode & 01000) != 0 && !p.equals(absolute) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            if (owner != 0 && owner != uid) {
                return p + " belongs to user id " + owner + " (this server runs as user id " + uid + ")";
            }
            if ((mode & 022) != 0 && !sticky) {
                return p + " can be written by " + ((mode & 002) != 0 ? "every user" : "its group") + " (mode "
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS))
                        + ")";
            }
        }
        return null;
    }

    /** The user id this process runs as: the owner of a file it makes. */
    public static int processUid() throws IOException {
        Path self = Path.of("/proc/self");
        if (Files.exists(self)) {
            return (Integer) Files.getAttribute(self, "unix:uid");
        }
        Path probe = Files.createTempFile(".uid-", ".probe");
        try {
            return (Integer) Files.getAttribute(probe, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } finally {
            Files.delete(probe);
        }
    }

    /** Whether users other than the owner may read {@code file}. */
    public static boolean readableByOthers(Path file) throws IOException {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        return mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ);
    }
}
