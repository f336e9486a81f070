package io.streamrec.movielens;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Finds the ratings or movie-metadata file inside a MovieLens folder (or accepts a file as is). */
public final class MovieLensFiles {
    /** Newest format first: a folder holding several (hand-assembled) picks the richest. */
    static final List<String> RATINGS_NAMES = List.of("ratings.csv", "ratings.dat", "u.data");

    static final List<String> MOVIES_NAMES = List.of("movies.csv", "movies.dat", "u.item");

    private MovieLensFiles() {}

    /** {@code fileOrDir} itself when it is a file, else the ratings file inside it. */
    public static Path ratingsFile(Path fileOrDir) throws IOException {
        return find(fileOrDir, RATINGS_NAMES, "ratings");
    }

    /** {@code fileOrDir} itself when it is a file, else the movie-metadata file inside it. */
    public static Path moviesFile(Path fileOrDir) throws IOException {
        return find(fileOrDir, MOVIES_NAMES, "movie metadata");
    }

    private static Path find(Path fileOrDir, List<String> names, String what) throws IOException {
        if (Files.isRegularFile(fileOrDir)) {
            return fileOrDir;
        }
        if (!Files.isDirectory(fileOrDir)) {
            throw new NoSuchFileException(fileOrDir.toString(), null, "no such file or directory");
        }
        for (String name : names) {
            Path candidate = fileOrDir.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new MovieLensFormatException(
                "no " + what + " file (" + String.join(", ", names) + ") in folder " + fileOrDir);
    }
}
