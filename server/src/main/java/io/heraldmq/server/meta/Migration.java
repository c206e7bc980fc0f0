package io.heraldmq.server.meta;

import java.util.List;
import java.util.Objects;

/**
 * One versioned schema script on the classpath. Versions are applied in ascending order, each at most once.
 *
 * @param version     1, 2, 3 ... as in the script name {@code V<version>__<description>.sql}
 * @param description what the script does (stored in {@code schema_version} for people)
 * @param resource    classpath resource of the script
 */
record Migration(int version, String description, String resource) {
    /**
     * The scripts of this release. Append new ones here; never edit one that has shipped, because
     * {@link SchemaMigrator} refuses to open a database whose recorded checksum no longer matches.
     */
    static final List<Migration> ALL = List.of(
            new Migration(1, "initial", "db/migration/V1__initial.sql"),
            new Migration(2, "destinations keyed by kind and name", "db/migration/V2__destination_kind.sql"));

    Migration {
        if (version <= 0) {
            throw new IllegalArgumentException("version must be > 0: " + version);
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(resource, "resource");
    }
}
