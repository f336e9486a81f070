package io.streamrec.movielens;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Small helpers for writing fixture files byte-exactly and for finding the optional shared MovieLens data. */
final class Fixtures {
    private Fixtures() {}

    /** Writes {@code lines} joined by {@code eol} (also after the last line) in {@code charset}. */
    static Path write(Path dir, String name, Charset charset, String eol, String... lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) sb.append(l).append(eol);
        Path p = dir.resolve(name);
        Files.write(p, sb.toString().getBytes(charset));
        return p;
    }

    static Path writeUtf8(Path dir, String name, String... lines) throws IOException {
        return write(dir, name, StandardCharsets.UTF_8, "\n", lines);
    }

    static List<int[]> collect(Path file) throws IOException {
        List<int[]> out = new ArrayList<>();
        RatingsReader.read(file, (u, i, r, ts) -> out.add(new int[] {u, i, (int) (r * 10), (int) (ts / 1000)}));
        return out;
    }

    /** The shared MovieLens folder {@code sub} (e.g. "ml-100k"), or skips the test when it is not on this machine. */
    static Path sharedData(String sub) {
        String root = System.getProperty("streamrec.shared.data");
        Assumptions.assumeTrue(root != null && !root.isBlank(), "streamrec.shared.data not set");
        Path dir = Path.of(root).resolve(sub);
        Assumptions.assumeTrue(Files.isDirectory(dir), "no shared MovieLens data at " + dir);
        return dir;
    }

    static Path sharedFile(String sub, String name) {
        Path f = sharedData(sub).resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(f), "no shared file " + f);
        return f;
    }
}
