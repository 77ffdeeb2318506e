package io.steward.server.db;

import io.steward.server.files.PrivateFiles;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * The embedded PostgreSQL's programs, unpacked from the archive bundled with Steward into a folder
 * only Steward's user can write, and checked against that archive before every start.
 *
 * <p>The folder ({@code <data-dir>/pg-binaries}) must be a real folder owned by this user with
 * mode 0700; one that is not (made by someone else, or opened up) is refused, never used or
 * repaired, since another user could have planted programs in it. Inside it, the programs are
 * unpacked where the embedded-PostgreSQL library looks for them ({@code PG-<md5 of the archive>}),
 * together with {@value #MANIFEST}: the archive's SHA-256 and the SHA-256 of every file as read from
 * the archive. Before each start every file is hashed again and compared; anything missing,
 * changed or added makes the folder be unpacked afresh.
 */
public final class PostgresBinaries {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);
    static final String MANIFEST = ".steward-binaries";
    /** Files the library itself keeps beside the programs. */
    private static final java.util.Set<String> LIBRARY_FILES = java.util.Set.of(".exists", "epg-lock");

    /** The folder cannot be trusted: another user owns it, or it is not owner-only. */
    public static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private final Path folder;
    private final Path workingDirectory;

    private PostgresBinaries(Path folder) {
        this.folder = folder;
        this.workingDirectory = folder.resolve("unpacked");
    }

    /**
     * The checked programs in {@code folder} (made owner-only if it does not exist), unpacked or
     * unpacked again when they are not exactly the bundled archive's.
     *
     * @throws Refused when an existing {@code folder} is not this user's alone
     */
    public static PostgresBinaries prepare(Path folder) throws IOException {
        Path parent = folder.toAbsolutePath().getParent();
        if (parent == null) {
            throw new Refused("the PostgreSQL programs folder " + folder + " is not in a folder");
        }
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PrivateFiles.FOLDER));
            } catch (FileAlreadyExistsException e) {
                // made meanwhile: checked below like any existing one
            }
        }
        refuseUnlessPrivate(folder, PrivateFiles.processUid());
        String unsafe = PrivateFiles.changeableByOthers(parent);
        if (unsafe != null) {
            throw new Refused("the folder " + parent + " holding the PostgreSQL programs folder is not safe: " + unsafe
                    + ". Another user could swap the programs folder for one of their own; Steward runs PostgreSQL"
                    + " only from a folder no one else can reach, so keep the data folder where only its user and"
                    + " root can write (chmod go-w on the folder named)");
        }
        var binaries = new PostgresBinaries(folder);
        binaries.check();
        return binaries;
    }

    /**
     * An empty private folder for the library's own scratch space (where, left to itself, it would
     * look for stale data folders of earlier runs in {@code /tmp}).
     */
    public Path libraryFolder() throws IOException {
        Path scratch = folder.resolve("library");
        PrivateFiles.folder(scratch);
        return scratch;
    }

    /** The folder the library is told to find the programs in. */
    public java.io.File workingDirectory() {
        return workingDirectory.toFile();
    }

    /**
     * What hands the library the bundled archive. A resolver of its own per folder, so that the
     * library (which remembers where it unpacked each resolver's archive) uses this folder.
     */
    public PgBinaryResolver resolver() {
        return new PgBinaryResolver() {
            @Override
            public InputStream getPgBinary(String system, String machineHardware) throws IOException {
                return archive(system, machineHardware);
            }

            @Override
            public String toString() {
                return "the bundled PostgreSQL for " + folder;
            }
        };
    }

    /**
     * Puts the working folder back to owner-only after the library opened it up (it makes its
     * working folder writable by everyone, which inside this owner-only folder reaches no one).
     */
    public void tighten() throws IOException {
        if (Files.isDirectory(workingDirectory, LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(workingDirectory, PrivateFiles.FOLDER);
        }
    }

    private void check() throws IOException {
        byte[] archive = bundledArchive();
        String md5 = hex(digest("MD5", archive));
        String sha256 = hex(digest("SHA-256", archive));
        PrivateFiles.folder(workingDirectory);
        Path programs = workingDirectory.resolve("PG-" + md5);
        String problem = problem(programs, sha256);
        if (problem == null) {
            return;
        }
        if (Files.exists(programs, LinkOption.NOFOLLOW_LINKS)) {
            LOG.warn(
                    "the PostgreSQL programs in {} are not the bundled ones ({}); unpacking them again",
                    programs,
                    problem);
        }
        unpack(archive, sha256, programs);
    }

    /** Why the unpacked programs are not the archive's, or null when they are. */
    private static @Nullable String problem(Path programs, String sha256) throws IOException {
        Path manifest = programs.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
            return "no " + MANIFEST;
        }
        var lines = new BufferedReader(new StringReader(Files.readString(manifest, StandardCharsets.UTF_8)));
        if (!("archive " + sha256).equals(lines.readLine())) {
            return "unpacked from another archive";
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            int space = line.indexOf(' ');
            expected.put(line.substring(space + 1), line.substring(0, space));
        }
        Map<String, String> actual = contents(programs);
        for (var e : expected.entrySet()) {
            String found = actual.get(e.getKey());
            if (!e.getValue().equals(found)) {
                return (found == null ? "missing " : "changed ") + e.getKey();
            }
        }
        for (String name : actual.keySet()) {
            if (!expected.containsKey(name)) {
                return "not in the archive: " + name;
            }
        }
        return null;
    }

    /** Every file and link under {@code programs}: its SHA-256, or {@code link:<target>}. */
    private static Map<String, String> contents(Path programs) throws IOException {
        Map<String, String> found = new LinkedHashMap<>();
        try (Stream<Path> paths = Files.walk(programs)) {
            for (Path path : paths.toList()) {
                String name = programs.relativize(path).toString();
                if (name.isEmpty() || name.equals(MANIFEST) || LIBRARY_FILES.contains(name)) {
                    continue;
                }
                if (Files.isSymbolicLink(path)) {
                    found.put(name, "link:" + Files.readSymbolicLink(path));
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    found.put(name, hex(digest("SHA-256", Files.readAllBytes(path))));
                } else if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    found.put(name, "special file");
                }
            }
        }
        return found;
    }

    /**
     * Unpacks the archive into a fresh folder beside {@code programs}, with the manifest taken from
     * the archive as it is read, and only then moves it into place.
     */
    private void unpack(byte[] archive, String sha256, Path programs) throws IOException {
        Path fresh = Files.createTempDirectory(workingDirectory, ".unpacking-");
        try {
            var manifest = new StringBuilder("archive ").append(sha256).append('\n');
            var links = new ArrayList<String>();
            try (var tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    Path target = fresh.resolve(entry.getName()).normalize();
                    String name = fresh.relativize(target).toString();
                    if (!target.startsWith(fresh) || name.isEmpty()) {
                        continue;
                    }
                    if (entry.isDirectory()) {
                        PrivateFiles.folder(target);
                    } else if (entry.isSymbolicLink()) {
                        // judged against the unpacking folder as given, relative or not
                        Path linkFolder = target.getParent();
                        if (linkFolder == null
                                || !linkFolder
                                        .resolve(entry.getLinkName())
                                        .normalize()
                                        .startsWith(fresh)) {
                            throw new IOException("the bundled PostgreSQL archive links " + name + " to "
                                    + entry.getLinkName() + ", outside its own folder: not unpacked");
                        }
                        PrivateFiles.folder(linkFolder);
                        Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                        links.add("link:" + entry.getLinkName() + " " + name);
                    } else if (entry.isFile()) {
                        PrivateFiles.folderOf(target);
                        byte[] content = tar.readAllBytes();
                        Files.write(Files.createFile(target, PrivateFiles.fileAttribute()), content);
                        boolean program = name.startsWith("bin/") || (entry.getMode() & 0100) != 0;
                        Files.setPosixFilePermissions(
                                target, PosixFilePermissions.fromString(program ? "rwx------" : "rw-------"));
                        manifest.append(hex(digest("SHA-256", content)))
                                .append(' ')
                                .append(name)
                                .append('\n');
                    }
                }
            }
            links.forEach(line -> manifest.append(line).append('\n'));
            Files.writeString(
                    Files.createFile(fresh.resolve(MANIFEST), PrivateFiles.fileAttribute()),
                    manifest,
                    StandardCharsets.UTF_8);
            // the library's marker, newer than everything else, says the folder is complete
            Files.createFile(fresh.resolve(".exists"), PrivateFiles.fileAttribute());
            delete(programs);
            Files.move(fresh, programs, StandardCopyOption.ATOMIC_MOVE);
            programs.resolve(".exists").toFile().setLastModified(System.currentTimeMillis() + 1_000);
            LOG.info("unpacked the bundled PostgreSQL into {}", programs);
        } finally {
            delete(fresh);
        }
    }

    private static void refuseUnlessPrivate(Path folder, int uid) throws IOException {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            throw new Refused("the PostgreSQL programs folder " + folder + " is not a folder (a link or a file is"
                    + " never followed): remove it and start again");
        }
        int owner = (Integer) Files.getAttribute(folder, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(folder, LinkOption.NOFOLLOW_LINKS));
        if (owner != uid || !mode.equals("rwx------")) {
            throw new Refused("the PostgreSQL programs folder " + folder + " belongs to user id " + owner
                    + " with mode " + mode + "; Steward runs PostgreSQL only from a folder its own user (id " + uid
                    + ") alone can use (mode rwx------). Someone else may have put programs there: remove the"
                    + " folder and start again, and Steward unpacks its own");
        }
    }

    private static byte[] bundledArchive() throws IOException {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        try (InputStream in = archive("Linux", arch.equals("amd64") ? "x86_64" : arch)) {
            return in.readAllBytes();
        }
    }

    /**
     * The PostgreSQL archive from the class path. The library's own resolver refuses to start when
     * the archive is reachable twice (a jar listed on the class path and again through a manifest
     * {@code Class-Path}, as when the console runs from a build); the first copy will do.
     */
    private static InputStream archive(String system, String machine) throws IOException {
        String name = "postgres-" + system.toLowerCase(Locale.ROOT) + "-" + machine + ".txz";
        InputStream in = PostgresBinaries.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(
                    "no PostgreSQL binaries for " + system + "/" + machine + " on the class path (" + name + ")");
        }
        return in;
    }

    private static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has " + algorithm, e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
