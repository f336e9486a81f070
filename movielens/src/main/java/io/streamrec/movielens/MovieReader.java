package io.streamrec.movielens;

import io.streamrec.schema.Movie;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads movie metadata from any official MovieLens file ({@code u.item}, {@code movies.dat}, {@code movies.csv}),
 * detecting the format, into a {@code List<Movie>} in file order.
 */
public final class MovieReader {
    /** The metadata of one file with how its reading went. */
    public record LoadedMovies(Path file, MovieLensFormat format, List<Movie> movies, ParseReport report) {}

    /** The 19 genres of ml-100k in {@code u.genre} order, for a {@code u.item} without its {@code u.genre}. */
    public static final List<String> ML100K_GENRES = List.of(
            "unknown",
            "Action",
            "Adventure",
            "Animation",
            "Children's",
            "Comedy",
            "Crime",
            "Documentary",
            "Drama",
            "Fantasy",
            "Film-Noir",
            "Horror",
            "Musical",
            "Mystery",
            "Romance",
            "Sci-Fi",
            "Thriller",
            "War",
            "Western");

    /** u.item's "unknown" flag and movies.csv's "(no genres listed)" both mean no genre, so both become an empty list. */
    private static final Set<String> NO_GENRE = Set.of("unknown", "(no genres listed)");

    private static final int U_ITEM_FIXED_FIELDS = 5;

    private MovieReader() {}

    /** The movies of {@code fileOrDir} (a metadata file, or a MovieLens folder holding one). */
    public static List<Movie> read(Path fileOrDir) throws IOException {
        return load(fileOrDir).movies();
    }

    /** As {@link #read} but with the file, its detected format and the parse report. */
    public static LoadedMovies load(Path fileOrDir) throws IOException {
        Path file = MovieLensFiles.moviesFile(fileOrDir);
        MovieLensFormat format = MovieLensFormat.detect(file);
        if (format.isRatings()) {
            throw new MovieLensFormatException(
                    file + " is " + format.description() + ", a ratings file, not movie metadata");
        }
        ParseReport report = new ParseReport(file.getFileName().toString());
        List<Movie> movies =
                switch (format) {
                    case U_ITEM -> readUItem(file, report);
                    case MOVIES_DAT -> readMoviesDat(file, report);
                    default -> readMoviesCsv(file, report);
                };
        return new LoadedMovies(file, format, List.copyOf(movies), report);
    }

    private static List<Movie> readUItem(Path file, ParseReport report) throws IOException {
        List<String> genres = uGenre(file.resolveSibling("u.genre"), report);
        int expected = U_ITEM_FIXED_FIELDS + genres.size();
        String text = decode(file, StandardCharsets.ISO_8859_1, report);
        List<Movie> movies = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        long lineNumber = 0;
        for (String line : lines(text)) {
            lineNumber++;
            if (line.isBlank()) continue;
            List<String> f = split(line, '|');
            if (f.size() != expected) {
                report.malformed(lineNumber, "expected " + expected + " '|'-separated fields, found " + f.size(), line);
                continue;
            }
            int id = positiveInt(f.get(0));
            if (id <= 0) {
                report.malformed(lineNumber, "movie id must be a positive integer", line);
                continue;
            }
            List<String> movieGenres = new ArrayList<>();
            boolean flagsOk = true;
            for (int g = 0; g < genres.size(); g++) {
                String flag = f.get(U_ITEM_FIXED_FIELDS + g).strip();
                if (flag.equals("1")) {
                    if (!NO_GENRE.contains(genres.get(g))) movieGenres.add(genres.get(g));
                } else if (!flag.equals("0")) {
                    flagsOk = false;
                    break;
                }
            }
            if (!flagsOk) {
                report.malformed(lineNumber, "genre flags must be 0 or 1", line);
                continue;
            }
            add(movies, seen, report, lineNumber, line, id, f.get(1), movieGenres);
        }
        report.lines(lineNumber);
        return movies;
    }

    /** Genre names by index from {@code u.genre} ({@code name|index} lines); the standard 19 when absent or broken. */
    static List<String> uGenre(Path genreFile, ParseReport report) throws IOException {
        if (!Files.isRegularFile(genreFile)) {
            return ML100K_GENRES;
        }
        String text = TextDecoding.decode(Files.readAllBytes(genreFile), StandardCharsets.ISO_8859_1)
                .text();
        TreeMap<Integer, String> byIndex = new TreeMap<>();
        for (String line : lines(text)) {
            if (line.isBlank()) continue;
            int bar = line.lastIndexOf('|');
            int index = bar < 0 ? -1 : nonNegativeInt(line.substring(bar + 1));
            if (index < 0 || byIndex.put(index, line.substring(0, bar).strip()) != null) {
                report.note("u.genre unreadable at '" + line + "'; using the standard 19 ml-100k genres");
                return ML100K_GENRES;
            }
        }
        if (byIndex.isEmpty() || byIndex.lastKey() != byIndex.size() - 1) {
            report.note("u.genre indices are not 0..n-1; using the standard 19 ml-100k genres");
            return ML100K_GENRES;
        }
        return List.copyOf(byIndex.values());
    }

    private static List<Movie> readMoviesDat(Path file, ParseReport report) throws IOException {
        String text = decode(file, StandardCharsets.ISO_8859_1, report);
        List<Movie> movies = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        long lineNumber = 0;
        for (String line : lines(text)) {
            lineNumber++;
            if (line.isBlank()) continue;
            // First and last "::" delimit the title, so a title that itself contains "::" survives.
            int first = line.indexOf("::");
            int last = line.lastIndexOf("::");
            if (first < 0 || last == first) {
                report.malformed(lineNumber, "expected MovieID::Title::Genres", line);
                continue;
            }
            int id = positiveInt(line.substring(0, first));
            if (id <= 0) {
                report.malformed(lineNumber, "movie id must be a positive integer", line);
                continue;
            }
            add(
                    movies,
                    seen,
                    report,
                    lineNumber,
                    line,
                    id,
                    line.substring(first + 2, last),
                    genres(line.substring(last + 2)));
        }
        report.lines(lineNumber);
        return movies;
    }

    private static List<Movie> readMoviesCsv(Path file, ParseReport report) throws IOException {
        String text = decode(file, StandardCharsets.UTF_8, report);
        CsvRecordReader csv = new CsvRecordReader(text);
        List<Movie> movies = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        boolean first = true;
        for (List<String> r = csv.next(); r != null; r = csv.next()) {
            long lineNumber = csv.recordLine();
            if (r.size() == 1 && r.get(0).isBlank()) continue;
            if (first) {
                first = false;
                String compact = String.join(",", r).replace(" ", "").toLowerCase(Locale.ROOT);
                if (compact.equals(MovieLensFormat.MOVIES_CSV_HEADER)) continue;
            }
            String echo = String.join(",", r);
            if (csv.unterminatedQuote()) {
                report.malformed(lineNumber, "unterminated quoted field", echo);
                continue;
            }
            if (r.size() != 3) {
                report.malformed(lineNumber, "expected 3 fields (movieId,title,genres), found " + r.size(), echo);
                continue;
            }
            int id = positiveInt(r.get(0));
            if (id <= 0) {
                report.malformed(lineNumber, "movie id must be a positive integer", echo);
                continue;
            }
            add(movies, seen, report, lineNumber, echo, id, r.get(1), genres(r.get(2)));
        }
        report.lines(lines(text).size());
        return movies;
    }

    private static void add(
            List<Movie> movies,
            Set<Integer> seen,
            ParseReport report,
            long lineNumber,
            String line,
            int id,
            String title,
            List<String> genres) {
        String t = title.strip();
        if (t.isEmpty()) {
            report.malformed(lineNumber, "empty title", line);
        } else if (!seen.add(id)) {
            report.malformed(lineNumber, "duplicate movie id " + id, line);
        } else {
            movies.add(new Movie(id, t, genres));
            report.ok();
        }
    }

    private static List<String> genres(String field) {
        List<String> out = new ArrayList<>();
        for (String g : split(field, '|')) {
            String name = g.strip();
            if (!name.isEmpty() && !NO_GENRE.contains(name)) out.add(name);
        }
        return out;
    }

    private static String decode(Path file, Charset official, ParseReport report) throws IOException {
        TextDecoding.Decoded d = TextDecoding.decode(Files.readAllBytes(file), official);
        if (!d.charset().equals(official)) {
            report.note("decoded as " + d.charset().name() + ", not the official " + official.name());
        }
        return d.text();
    }

    /** Lines without terminators (LF or CRLF); no trailing empty line for a final newline. */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            int e = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            out.add(text.substring(start, e));
            start = end + 1;
        }
        return out;
    }

    /** Splits on a single character, keeping empty fields (no regex: titles hold regex metacharacters). */
    static List<String> split(String s, char sep) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = s.indexOf(sep); i >= 0; i = s.indexOf(sep, start)) {
            out.add(s.substring(start, i));
            start = i + 1;
        }
        out.add(s.substring(start));
        return out;
    }

    private static int positiveInt(String s) {
        int v = nonNegativeInt(s);
        return v > 0 ? v : -1;
    }

    private static int nonNegativeInt(String s) {
        String t = s.strip();
        if (t.isEmpty() || t.length() > 10) return -1;
        long v = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }
}
