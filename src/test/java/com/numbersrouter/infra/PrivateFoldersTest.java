package com.numbersrouter.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class PrivateFoldersTest {

    @TempDir
    Path root;

    @Test
    void aFolderAndTheParentsItNeedsAreCreatedForTheOwnerOnly() throws Exception {
        Path spool = PrivateFolders.create(root.resolve("data").resolve("spool"));

        assertThat(permissions(spool)).isEqualTo("rwx------");
        assertThat(permissions(root.resolve("data"))).isEqualTo("rwx------");
    }

    /** An operator may have opened one on purpose (a backup agent's group): the node leaves it as it is. */
    @Test
    void aFolderThatExistsKeepsItsPermissions() throws Exception {
        Path shared = Files.createDirectory(root.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));

        PrivateFolders.create(shared);

        assertThat(permissions(shared)).isEqualTo("rwxr-x---");
    }

    private static String permissions(Path folder) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(folder));
    }
}
