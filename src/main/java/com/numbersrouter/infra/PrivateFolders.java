package com.numbersrouter.infra;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The folders the node keeps subscriber data in (the spool's orders and events, the port-out audit journal, the
 * in-process broker's store) are created readable by the node's own user only. With the JVM's usual umask they would
 * be readable by every user of the host, and the files in them too. A folder that exists already keeps the
 * permissions its owner gave it (a backup agent's group, say): README "Security" says how to tighten an older one.
 */
public final class PrivateFolders {

    private static final FileAttribute<?>[] OWNER_ONLY =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                    : new FileAttribute<?>[0];

    private PrivateFolders() {
    }

    /** Creates {@code folder}, and any parent that is missing, as {@code rwx------}; returns it. */
    public static Path create(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder, OWNER_ONLY);
        }
        return folder;
    }
}
